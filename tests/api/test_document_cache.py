"""Parsed and validated documents are cached by query text, and the limits still hold."""

from __future__ import annotations

from uuid import uuid4

from strawberry.extensions.parser_cache import _get_parse_cache
from strawberry.extensions.validation_cache import _get_validate_cache

from api.schema import DOCUMENT_CACHE_SIZE, MAX_DEPTH, build_schema


async def test_same_query_text_is_parsed_and_validated_once() -> None:
    schema = build_schema()
    validate = _get_validate_cache(DOCUMENT_CACHE_SIZE)
    parse = _get_parse_cache(DOCUMENT_CACHE_SIZE)
    # a text no other test sent; the directive keeps it off the compiled plans (api/plan.py),
    # which answer a document the second time without parsing or validating it at all
    query = f"query Q{uuid4().hex} {{ __typename @include(if: true) }}"
    before_v, before_p = validate.cache_info(), parse.cache_info()
    first = await schema.execute(query)
    second = await schema.execute(query)
    assert first.errors is None and second.errors is None
    assert second.data == {"__typename": "Query"}
    after_v, after_p = validate.cache_info(), parse.cache_info()
    assert after_v.misses - before_v.misses == 1 and after_v.hits - before_v.hits == 1
    assert after_p.misses - before_p.misses == 1 and after_p.hits - before_p.hits == 1


async def test_a_cached_document_is_still_refused_by_the_limits() -> None:
    schema = build_schema()
    deep = "{ skills " + "{ implies " * MAX_DEPTH + "{ code }" + " }" * MAX_DEPTH + " }"
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }"
    for query, word in ((deep, "depth"), (aliases, "aliases")):
        for _ in range(2):  # the second time the validation result comes from the cache
            result = await schema.execute(query)
            assert result.data is None and result.errors
            assert any(word in e.message.lower() for e in result.errors), result.errors
