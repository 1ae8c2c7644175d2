"""SharingPolicyInput: borrowers null = lend to every member association."""

import strawberry


@strawberry.input
class SharingPolicyInput:
    lends: bool
    max_share: float
    requires_approval: bool
    borrowers: list[strawberry.ID] | None = None
    association: strawberry.ID | None = strawberry.field(
        default=None, description="Admins only: which association (coordinators act for their own)."
    )
