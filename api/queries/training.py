"""Queries about training: programs, the skill-gap report, and the admin's overlap report."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.errors import bad_input, not_found
from api.pagination import offset_after, offset_cursor, page_size
from api.permissions import IsAdmin, IsAuthenticated, IsTrainerOrAdmin
from api.types.connection import build_connection
from api.types.coordination_overlap import CoordinationOverlap
from api.types.skill_gap import SkillGap
from api.types.trained_volunteers import TrainedVolunteers
from api.types.training_program import TrainingProgram
from api.types.training_program_connection import TrainingProgramConnection
from api.validation import known_governorate
from graph.coordination import coordination_overlaps
from graph.skill_gaps import skill_gaps
from graph.training import get_programs, list_programs
from graph.training_reports import trained_volunteers as trained_rows

MAX_REPORT_WINDOW = timedelta(days=366)
MAX_OVERLAPS = 1000


def _window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise bad_input("to", "end_after_start")
    if end - start > MAX_REPORT_WINDOW:
        raise bad_input("to", "too_long", max=f"{MAX_REPORT_WINDOW.days} days")


@strawberry.type
class TrainingQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def training_programs(
        self,
        info: Info,
        governorate: str | None = None,
        skill: str | None = None,
        association: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> TrainingProgramConnection:
        """Programs are the alliance's open offer: every signed-in user may list them."""
        await known_governorate(info.context, "governorate", governorate)
        limit = page_size(first)
        skip = offset_after(after)
        programs, total = await list_programs(
            info.context.driver,
            skill=skill,
            governorate=governorate,
            association_id=str(association) if association is not None else None,
            skip=skip,
            limit=limit,
        )
        nodes = [TrainingProgram.from_program(p) for p in programs]
        return build_connection(
            TrainingProgramConnection,
            nodes,
            [offset_cursor(skip + i) for i in range(len(nodes))],
            has_next=skip + len(nodes) < total,
            has_previous=skip > 0,
            total=total,
        )

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def training_program(self, info: Info, id: strawberry.ID) -> TrainingProgram | None:
        found = await get_programs(info.context.driver, [str(id)])
        if str(id) not in found:
            raise not_found("training program")
        return TrainingProgram.from_program(found[str(id)])

    @strawberry.field(permission_classes=[IsTrainerOrAdmin])
    async def skill_gaps(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        governorate: str | None = None,
    ) -> list[SkillGap]:
        """Open demand of shifts starting in [from, to) against available certified volunteers
        living in the same governorate; largest gap first (see graph/skill_gaps.py)."""
        _window(from_, to)
        await known_governorate(info.context, "governorate", governorate)
        rows = await skill_gaps(info.context.driver, from_, to, governorate)
        return [SkillGap.from_row(r) for r in rows]

    @strawberry.field(permission_classes=[IsTrainerOrAdmin])
    async def trained_volunteers(
        self, info: Info, skill: str | None = None, governorate: str | None = None
    ) -> list[TrainedVolunteers]:
        """Volunteers trained per governorate (where they live) and skill, most trained first."""
        await known_governorate(info.context, "governorate", governorate)
        rows = await trained_rows(info.context.driver, skill=skill, governorate=governorate)
        return [TrainedVolunteers.from_row(r) for r in rows]

    @strawberry.field(permission_classes=[IsAdmin])
    async def coordination_overlaps(
        self,
        info: Info,
        from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
        first: int | None = None,
    ) -> list[CoordinationOverlap]:
        """Pairs of events of different associations, same domain, overlapping in time, within
        5 km of each other, touching [from, to); each pair once, earliest overlap first."""
        _window(from_, to)
        limit = page_size(first) if first is not None else MAX_OVERLAPS
        overlaps = await coordination_overlaps(info.context.driver, from_, to, limit)
        return [
            CoordinationOverlap(
                reason=o.reason,
                distance_km=o.distance_km,
                first_id=o.first_event_id,
                second_id=o.second_event_id,
            )
            for o in overlaps
        ]
