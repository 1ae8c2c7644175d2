"""AvailabilityWindow: a weekly window, weekday 1=Mon..7=Sun, "HH:MM" Cairo time."""

import json
from typing import Any

import strawberry


@strawberry.type
class AvailabilityWindow:
    weekday: int
    start_time: str
    end_time: str

    @classmethod
    def list_from_json(cls, text: Any) -> list["AvailabilityWindow"]:
        if not text:
            return []
        try:
            items = json.loads(text) if isinstance(text, str) else text
        except ValueError:
            return []
        return [
            cls(weekday=int(w["weekday"]), start_time=str(w["start"]), end_time=str(w["end"]))
            for w in items
            if isinstance(w, dict) and {"weekday", "start", "end"} <= w.keys()
        ]
