"""Bearer JWT (HS256) -> Viewer. Expired, unsigned (alg none) or wrongly signed tokens are refused."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

import jwt

ALGORITHM: Final = "HS256"
ROLES: Final = ("ADMIN", "COORDINATOR", "TRAINER", "VOLUNTEER")


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is calling: role, subject (a volunteer's id for VOLUNTEER), association (coordinators, trainers)."""

    role: str
    sub: str
    association: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "ADMIN"

    @property
    def is_coordinator(self) -> bool:
        return self.role == "COORDINATOR" and self.association is not None

    @property
    def is_trainer(self) -> bool:
        return self.role == "TRAINER" and self.association is not None

    @property
    def is_volunteer(self) -> bool:
        return self.role == "VOLUNTEER"


class TokenRejected(Exception):
    """The token was presented but cannot be trusted; `key` names the message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# Tokens this process has verified, with the time window they stay valid in: a client sends
# the same token with every request for hours, and HS256 verification with the claim checks
# (PyJWT) was ~5% of a `me { assignments }` request's CPU. Only successes are kept, keyed by
# the secret too, and `exp`/`nbf` are checked again on every hit; the oldest entry goes first.
VERIFIED_TOKENS_MAX = 4096
_verified: dict[tuple[str, str], tuple[Viewer, float, float]] = {}


def viewer_from_token(token: str, secret: str) -> Viewer:
    key = (secret, token)
    hit = _verified.get(key)
    if hit is not None:
        viewer, not_before, expires = hit
        if not_before <= time.time() < expires:  # PyJWT's rule: valid while now < exp
            return viewer
        _verified.pop(key, None)  # verify again below, which names why it is refused
    viewer, not_before, expires = _verify(token, secret)
    if len(_verified) >= VERIFIED_TOKENS_MAX:
        _verified.pop(next(iter(_verified)), None)
    _verified[key] = (viewer, not_before, expires)
    return viewer


def _verify(token: str, secret: str) -> tuple[Viewer, float, float]:
    """The token's viewer and the [nbf, exp) window it is valid in, or TokenRejected."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "role"]}
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRejected("token_expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenRejected("token_invalid") from exc
    role = claims.get("role")
    sub = claims.get("sub")
    association = claims.get("association")
    if role not in ROLES or not isinstance(sub, str) or not sub:
        raise TokenRejected("token_invalid")
    if association is not None and not isinstance(association, str):
        raise TokenRejected("token_invalid")
    not_before = float(claims.get("nbf", float("-inf")))
    return Viewer(role=role, sub=sub, association=association), not_before, float(claims["exp"])


def viewer_from_header(authorization: str | None, secret: str) -> Viewer | None:
    """None when there is no Authorization header; TokenRejected when there is a bad one."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenRejected("token_invalid")
    return viewer_from_token(token.strip(), secret)


def mint_token(
    secret: str, *, role: str, sub: str, association: str | None = None, hours: float = 24.0
) -> str:
    """A signed development/test token."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "sub": sub,
        "role": role,
        "iat": now,
        "exp": now + timedelta(hours=hours),
    }
    if association is not None:
        claims["association"] = association
    return jwt.encode(claims, secret, algorithm=ALGORITHM)
