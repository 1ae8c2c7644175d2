"""ShiftInput: a shift's times and needs."""

from datetime import datetime

import strawberry

from api.types.need_input import NeedInput


@strawberry.input
class ShiftInput:
    starts_at: datetime
    ends_at: datetime
    needs: list[NeedInput]
    urgent: bool | None = False
