"""ShiftInput: a shift's times and needs, optionally repeated day after day."""

from datetime import datetime

import strawberry

from api.types.need_input import NeedInput


@strawberry.input
class ShiftInput:
    starts_at: datetime
    ends_at: datetime
    needs: list[NeedInput]
    urgent: bool | None = False
    repeat_days: int | None = strawberry.field(
        default=None,
        description="Repeat this shift daily on this many consecutive days (1-90), from the "
        "day of startsAt: the same Cairo wall-clock times every day, across DST changes "
        "(a 30-day Ramadan drive of daily 17:00-21:00 shifts is one ShiftInput).",
    )
    weekdays: list[int] | None = strawberry.field(
        default=None,
        description="With repeatDays: keep only these ISO weekdays (1 = Monday ... 7 = Sunday).",
    )
