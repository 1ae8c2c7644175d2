"""Role permissions for root fields: each a message and a one-line check.

A missing or refused token is UNAUTHENTICATED (raised by `require_viewer`); a signed-in
viewer without the role is FORBIDDEN. Object-level scope lives in api/scope.py.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from api.auth import Viewer
from api.errors import forbidden


class _RolePermission(BasePermission):
    message = "forbidden"

    def check(self, viewer: Viewer) -> bool:
        raise NotImplementedError

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.check(info.context.require_viewer())

    def on_unauthorized(self) -> None:
        raise forbidden(self.message)


class IsAuthenticated(_RolePermission):
    message = "forbidden"

    def check(self, viewer: Viewer) -> bool:
        return True


class IsAdmin(_RolePermission):
    message = "not_admin"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_admin


class IsCoordinator(_RolePermission):
    message = "not_coordinator"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_coordinator


class IsVolunteer(_RolePermission):
    message = "not_volunteer"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_volunteer


class IsTrainerOrAdmin(_RolePermission):
    message = "not_trainer"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_admin or viewer.is_trainer


class IsAdminOrCoordinator(_RolePermission):
    message = "forbidden"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_admin or viewer.is_coordinator


class IsStaff(_RolePermission):
    """Admins, coordinators and trainers (not volunteers)."""

    message = "forbidden"

    def check(self, viewer: Viewer) -> bool:
        return viewer.is_admin or viewer.is_coordinator or viewer.is_trainer
