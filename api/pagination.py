"""`first`/`after` handling shared by every connection: the cap of 200 and offset cursors."""

from __future__ import annotations

import functools
from typing import Final

from api.errors import bad_input
from api.types.values import decode_cursor, encode_cursor

MAX_FIRST: Final = 200
DEFAULT_FIRST: Final = 50


def page_size(first: int | None) -> int:
    """`first` or the default; outside 0..200 is BAD_USER_INPUT on field `first`."""
    if first is None:
        return DEFAULT_FIRST
    if first < 0 or first > MAX_FIRST:
        raise bad_input("first", "first_range", max=MAX_FIRST)
    return first


def offset_after(after: str | None) -> int:
    """The offset just past an offset cursor (0 when there is none)."""
    if after is None:
        return 0
    value = decode_cursor("o", after)
    if value is None or not value.isdigit():
        raise bad_input("after", "cursor_invalid")
    return int(value) + 1


@functools.lru_cache(maxsize=4096)
def offset_cursor(position: int) -> str:
    """The cursor of a position in an offset-paged list (every page's edges have one)."""
    return encode_cursor("o", position)


def key_after(after: str | None) -> str | None:
    """The id in a keyset cursor (volunteer lists are ordered by id)."""
    if after is None:
        return None
    value = decode_cursor("k", after)
    if value is None:
        raise bad_input("after", "cursor_invalid")
    return value


def key_cursor(key: str) -> str:
    return encode_cursor("k", key)
