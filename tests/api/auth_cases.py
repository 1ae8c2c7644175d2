"""What the authorization matrices share: the identities, how each one calls the API, and what a
refusal must look like (codes, data null for the field, a known message, nothing of the object)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Collection, Iterable
from typing import Any

import jwt

from api.messages import MESSAGES

from .conftest import Answer, Api

ROLES = ("ADMIN", "COORDINATOR", "TRAINER", "VOLUNTEER")
REFUSALS = {"FORBIDDEN", "UNAUTHENTICATED"}


def refusal_messages(*keys: str) -> set[str]:
    """Every language's text of the named refusal messages."""
    return {text for key in keys for text in MESSAGES[key]}


def identity_kwargs(
    api: Api, secret: str, identity: str, association: str, volunteer: str
) -> dict[str, Any]:
    """kwargs for Api.call as one identity: a role (coordinator/trainer of `association`, the
    volunteer `volunteer`) or a bad one (anonymous, expired, alg-none, wrong-key, garbage)."""
    now = int(time.time())
    if identity == "ADMIN":
        return {"token": api.token("ADMIN", "ops")}
    if identity == "COORDINATOR":
        return {"token": api.token("COORDINATOR", "coord", association)}
    if identity == "TRAINER":
        return {"token": api.token("TRAINER", "trainer", association)}
    if identity == "VOLUNTEER":
        return {"token": api.token("VOLUNTEER", volunteer)}
    if identity == "anonymous":
        return {}
    if identity == "expired":
        token = jwt.encode(
            {"sub": "ops", "role": "ADMIN", "exp": now - 60}, secret, algorithm="HS256"
        )
        return {"token": token}
    if identity == "alg-none":
        token = jwt.encode(
            {"sub": "ops", "role": "ADMIN", "exp": now + 600}, None, algorithm="none"
        )
        return {"token": token}
    if identity == "wrong-key":
        token = jwt.encode(
            {"sub": "ops", "role": "ADMIN", "exp": now + 600},
            "another-secret-that-is-long-enough-32b",
            algorithm="HS256",
        )
        return {"token": token}
    return {"raw_authorization": "Basic Zm9vOmJhcg=="}


async def ask_as_each(
    api: Api,
    secret: str,
    query: str,
    variables: dict[str, Any],
    identities: Iterable[str],
    *,
    association: str,
    volunteer: str,
) -> list[Answer]:
    """The same call once per identity, all at once, answers in identity order."""
    return list(
        await asyncio.gather(
            *[
                api.call(
                    query,
                    variables,
                    **identity_kwargs(api, secret, who, association, volunteer),
                )
                for who in identities
            ]
        )
    )


def assert_refused(
    answer: Answer,
    field: str,
    expected: set[str],
    label: str,
    *,
    messages: Collection[str],
    secret_words: Iterable[str],
) -> None:
    assert answer.codes and set(answer.codes) <= expected, f"{label}: {answer.errors}"
    assert answer.data is None or answer.data.get(field) is None, f"{label}: leaked {answer.data}"
    for error in answer.errors:
        assert error["message"] in messages, f"{label}: message {error['message']!r}"
        for word in secret_words:
            assert word not in str(error), label


def check_answer(
    answer: Answer,
    *,
    who: str,
    field: str,
    allowed: set[str],
    bad: Collection[str],
    label: str,
    messages: Collection[str],
    secret_words: Iterable[str],
) -> None:
    """A bad identity is UNAUTHENTICATED, an allowed role gets past authorization (and no
    INTERNAL), any other role is FORBIDDEN."""
    if who in bad:
        assert_refused(
            answer,
            field,
            {"UNAUTHENTICATED"},
            label,
            messages=messages,
            secret_words=secret_words,
        )
    elif who in allowed:
        assert not set(answer.codes) & REFUSALS, f"{label}: refused {answer.errors}"
        assert "INTERNAL" not in answer.codes, f"{label}: {answer.errors}"
    else:
        assert_refused(
            answer, field, {"FORBIDDEN"}, label, messages=messages, secret_words=secret_words
        )
