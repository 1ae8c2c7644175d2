"""createEvent with repeated shifts (`repeatDays`, `weekdays`): one ShiftInput becomes a shift on
each day, at the same Cairo wall-clock times across a DST change, through the live API."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .conftest import Api
from .world import World

CAIRO = ZoneInfo("Africa/Cairo")
CREATE = """mutation($input: CreateEventInput!) { createEvent(input: $input) {
  event { id shifts { startsAt endsAt needs { count } } } } }"""


def _input(**shift: Any) -> dict[str, Any]:
    base = {
        "startsAt": "2027-04-26T17:00:00+02:00",  # Monday; Egypt's clocks go forward Friday 30th
        "endsAt": "2027-04-26T21:00:00+02:00",
        "needs": [{"skill": "food_packing", "count": 3}],
    }
    base.update(shift)
    return {
        "title": "Ramadan drive",
        "domain": "POVERTY",
        "governorate": "01",
        "latitude": 30.05,
        "longitude": 31.25,
        "shifts": [base],
    }


def _local(day: int, month: int, hour: int) -> str:
    return datetime(2027, month, day, hour, tzinfo=CAIRO).isoformat()


async def test_a_daily_shift_keeps_its_cairo_clock_across_dst(api: Api, world: World) -> None:
    a = await world.association()
    answer = await api.as_role("COORDINATOR", CREATE, {"input": _input(repeatDays=7)}, association=a)
    assert answer.errors == [], answer.errors
    shifts = sorted(answer.data["createEvent"]["event"]["shifts"], key=lambda s: s["startsAt"])
    days = [(26, 4), (27, 4), (28, 4), (29, 4), (30, 4), (1, 5), (2, 5)]
    assert [s["startsAt"] for s in shifts] == [_local(d, m, 17) for d, m in days]
    assert [s["endsAt"] for s in shifts] == [_local(d, m, 21) for d, m in days]
    assert shifts[3]["startsAt"].endswith("+02:00") and shifts[4]["startsAt"].endswith("+03:00")
    assert all(s["needs"] == [{"count": 3}] for s in shifts)


async def test_weekdays_keep_only_those_days(api: Api, world: World) -> None:
    a = await world.association()
    fridays = _input(repeatDays=14, weekdays=[5])
    answer = await api.as_role("COORDINATOR", CREATE, {"input": fridays}, association=a)
    assert answer.errors == [], answer.errors
    starts = sorted(s["startsAt"] for s in answer.data["createEvent"]["event"]["shifts"])
    assert starts == [_local(30, 4, 17), _local(7, 5, 17)]


async def test_a_shift_without_repeat_is_one_shift(api: Api, world: World) -> None:
    a = await world.association()
    answer = await api.as_role("COORDINATOR", CREATE, {"input": _input()}, association=a)
    assert len(answer.data["createEvent"]["event"]["shifts"]) == 1


async def test_bad_repetitions_name_their_field(api: Api, world: World) -> None:
    a = await world.association()
    cases = [
        ({"repeatDays": 0}, "input.shifts[0].repeatDays"),
        ({"repeatDays": 91}, "input.shifts[0].repeatDays"),
        ({"weekdays": [5]}, "input.shifts[0].weekdays"),
        ({"repeatDays": 7, "weekdays": [8]}, "input.shifts[0].weekdays"),
        ({"repeatDays": 3, "weekdays": [5]}, "input.shifts[0].weekdays"),  # Mon-Wed: no Friday
        ({"repeatDays": 3, "endsAt": "2027-04-27T18:00:00+02:00"}, "input.shifts[0].endsAt"),
    ]
    for shift, field in cases:
        answer = await api.as_role("COORDINATOR", CREATE, {"input": _input(**shift)}, association=a)
        assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == [field], (shift, answer.errors)
    many = _input(repeatDays=90)
    many["shifts"] = many["shifts"] * 5  # 450 shifts once repeated: over the 400 an event holds
    answer = await api.as_role("COORDINATOR", CREATE, {"input": many}, association=a)
    assert answer.codes == ["BAD_USER_INPUT"] and answer.fields == ["input.shifts"]
    listed = await api.as_role("COORDINATOR", "{ events { totalCount } }", association=a)
    assert listed.data["events"]["totalCount"] == 0  # nothing half-written
