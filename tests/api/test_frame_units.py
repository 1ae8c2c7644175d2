"""Pure checks of the frame's small pieces (no server): masking, errors, auth, paging, limits."""

from __future__ import annotations

import time

import jwt
import pytest
from graphql import GraphQLError

from api import auth
from api.auth import TokenRejected, mint_token, viewer_from_header, viewer_from_token
from api.context import language_of
from api.errors import ApiError, bad_input, to_client_error
from api.pagination import offset_after, offset_cursor, page_size
from api.types.values import parse_datetime, serialize_datetime
from api.types.volunteer import mask_phone
from graph.keyed_reads import many_per_key, one_per_key

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"


def test_mask_phone_keeps_prefix_and_last_two() -> None:
    assert mask_phone("01012345689") == "010******89"
    assert mask_phone("0101") == "****"
    assert mask_phone(None) is None


def test_unexpected_error_becomes_internal_without_details() -> None:
    error = GraphQLError(
        "boom", path=["volunteers"], original_error=RuntimeError("secret /etc/passwd")
    )
    safe = to_client_error(error, "en")
    assert safe.extensions == {"code": "INTERNAL"}
    assert "secret" not in safe.message and "passwd" not in safe.message


def test_api_error_is_localized_with_its_field() -> None:
    error = GraphQLError(
        "x", path=["createEvent"], original_error=bad_input("input.title", "required")
    )
    english, arabic = to_client_error(error, "en"), to_client_error(error, "ar")
    assert english.extensions == {"code": "BAD_USER_INPUT", "field": "input.title"}
    assert "input.title" in english.message and "is required" in english.message
    assert "مطلوب" in arabic.message


def test_service_down_is_unavailable() -> None:
    from neo4j.exceptions import ServiceUnavailable

    error = GraphQLError("x", path=["me"], original_error=ServiceUnavailable("down"))
    assert to_client_error(error, "en").extensions == {"code": "UNAVAILABLE"}
    assert isinstance(ApiError("CONFLICT", "conflict"), Exception)


def test_language_from_accept_language() -> None:
    assert language_of("ar") == "ar" and language_of("ar-EG,en;q=0.8") == "ar"
    assert language_of("en-US,ar;q=0.5") == "en" and language_of(None) == "en"


def test_tokens() -> None:
    token = mint_token(SECRET, role="TRAINER", sub="t1", association="A01")
    viewer = viewer_from_header(f"Bearer {token}", SECRET)
    assert (viewer.role, viewer.sub, viewer.association) == ("TRAINER", "t1", "A01")
    assert viewer_from_header(None, SECRET) is None
    now = int(time.time())
    bad = {
        "expired": jwt.encode(
            {"sub": "a", "role": "ADMIN", "exp": now - 1}, SECRET, algorithm="HS256"
        ),
        "none": jwt.encode({"sub": "a", "role": "ADMIN", "exp": now + 60}, None, algorithm="none"),
        "role": jwt.encode(
            {"sub": "a", "role": "ROOT", "exp": now + 60}, SECRET, algorithm="HS256"
        ),
        "no-exp": jwt.encode({"sub": "a", "role": "ADMIN"}, SECRET, algorithm="HS256"),
    }
    for name, value in bad.items():
        with pytest.raises(TokenRejected):
            viewer_from_header(f"Bearer {value}", SECRET)
        assert name
    with pytest.raises(TokenRejected):
        viewer_from_header("Token abc", SECRET)


def test_paging_arguments() -> None:
    assert page_size(None) == 50 and page_size(200) == 200 and page_size(0) == 0
    for wrong in (201, -1):
        with pytest.raises(ApiError) as refused:
            page_size(wrong)
        assert refused.value.field == "first"
    assert offset_after(offset_cursor(9)) == 10
    with pytest.raises(ApiError):
        offset_after("garbage")


def test_loader_results_follow_key_order() -> None:
    rows = [{"id": "b"}, {"id": "a"}]
    assert one_per_key(rows, ["a", "x", "b"], "id") == [{"id": "a"}, None, {"id": "b"}]
    grouped = many_per_key(
        [{"k": "b", "n": 1}, {"k": "a", "n": 2}, {"k": "b", "n": 3}], ["a", "b", "c"], "k"
    )
    assert grouped == [[{"k": "a", "n": 2}], [{"k": "b", "n": 1}, {"k": "b", "n": 3}], []]


def test_datetimes_need_an_offset_and_show_in_cairo() -> None:
    parsed = parse_datetime("2026-07-01T09:00:00Z")
    assert serialize_datetime(parsed) == "2026-07-01T12:00:00+03:00"  # Cairo summer time (DST)
    assert (
        serialize_datetime(parse_datetime("2026-01-01T09:00:00+00:00"))
        == "2026-01-01T11:00:00+02:00"
    )
    with pytest.raises(ValueError):
        parse_datetime("2026-07-01T09:00:00")


def test_a_cached_token_is_refused_once_it_expires() -> None:
    exp = int(time.time()) + 1
    token = jwt.encode({"sub": "v1", "role": "VOLUNTEER", "exp": exp}, SECRET, algorithm="HS256")
    assert viewer_from_token(token, SECRET).sub == "v1"  # verified, then kept
    assert viewer_from_token(token, SECRET).sub == "v1"  # from the cache
    time.sleep(max(0.0, exp - time.time()) + 0.05)
    with pytest.raises(TokenRejected) as refused:
        viewer_from_token(token, SECRET)
    assert refused.value.key == "token_expired"


def test_a_cached_token_is_refused_under_another_secret() -> None:
    token = mint_token(SECRET, role="ADMIN", sub="a1")
    assert viewer_from_token(token, SECRET).is_admin
    with pytest.raises(TokenRejected):
        viewer_from_token(token, SECRET + "-rotated")


def test_a_token_not_yet_valid_is_refused_and_not_kept() -> None:
    now = int(time.time())
    token = jwt.encode(
        {"sub": "a", "role": "ADMIN", "exp": now + 60, "nbf": now + 30}, SECRET, algorithm="HS256"
    )
    for _ in range(2):
        with pytest.raises(TokenRejected):
            viewer_from_token(token, SECRET)
    assert (SECRET, token) not in auth._verified


def test_the_verified_token_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_MAX", 3)
    monkeypatch.setattr(auth, "_verified", {})
    tokens = [mint_token(SECRET, role="VOLUNTEER", sub=f"v{i}") for i in range(5)]
    assert [viewer_from_token(t, SECRET).sub for t in tokens] == [f"v{i}" for i in range(5)]
    assert list(auth._verified) == [(SECRET, t) for t in tokens[2:]]  # the oldest went first
