"""Arabic-aware normalisation of names for storage (`Volunteer.nameNorm`) and search.

Pure text logic, no I/O: the same function runs when a name is written and when a search
string arrives, so أحمد / احمد / أَحْمَد / احـمـد all become "احمد".
"""

from __future__ import annotations

import re
import unicodedata

_CHAR_MAP = str.maketrans(
    {
        # hamza forms of alef and alef wasla -> bare alef
        "\u0623": "\u0627",  # أ
        "\u0625": "\u0627",  # إ
        "\u0622": "\u0627",  # آ
        "\u0671": "\u0627",  # ٱ
        "\u0649": "\u064a",  # ى alef maqsura -> ي
        "\u06cc": "\u064a",  # ی Persian yeh (common from Persian/Urdu keyboards) -> ي
        "\u0629": "\u0647",  # ة ta marbuta -> ه
        "\u06a9": "\u0643",  # ک Persian keheh -> ك
    }
)

# tashkeel U+064B..U+0652, superscript alef U+0670, tatweel U+0640
_DROP = re.compile("[\u064b-\u0652\u0670\u0640]")
_SPACES = re.compile(r"\s+")


def normalize_arabic(text: str) -> str:
    """Fold the spelling variants of Arabic (and the case of Latin) so equal names compare equal.

    Compatibility forms (presentation ligatures, Arabic-Indic digits) are unfolded with NFKC,
    hamza-alef forms become ا, ى becomes ي, ة becomes ه, diacritics and tatweel are dropped,
    runs of whitespace become one space, and Latin letters are casefolded.
    """
    folded = unicodedata.normalize("NFKC", text)
    folded = _DROP.sub("", folded).translate(_CHAR_MAP)
    folded = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in folded)
    return _SPACES.sub(" ", folded).strip().casefold()
