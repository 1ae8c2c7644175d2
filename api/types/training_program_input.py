"""TrainingProgramInput: what a trainer (or an admin, naming the association) creates."""

from datetime import datetime

import strawberry


@strawberry.input
class TrainingProgramInput:
    title: str
    skill: str
    grants_level: int
    governorate: str
    capacity: int
    starts_at: datetime
    ends_at: datetime
    valid_for_days: int | None = None
    association: strawberry.ID | None = strawberry.field(
        default=None,
        description="Admins only: the association that runs the program (trainers run their own).",
    )
