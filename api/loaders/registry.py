"""All DataLoaders of one request, created fresh per request (no cross-request caching)."""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver
from strawberry.dataloader import DataLoader

from api.loaders.assignments import assignments_loader
from api.loaders.associations import associations_loader
from api.loaders.event_shifts import event_shifts_loader
from api.loaders.events import events_loader
from api.loaders.exchange_requests import exchange_requests_loader
from api.loaders.governorates import governorates_loader
from api.loaders.shift_assignments import shift_assignments_loader
from api.loaders.shift_needs import shift_needs_loader
from api.loaders.shifts import shifts_loader
from api.loaders.skills import skills_loader
from api.loaders.volunteer_assignments import volunteer_assignments_loader
from api.loaders.volunteer_memberships import volunteer_memberships_loader
from api.loaders.volunteer_skills import volunteer_skills_loader
from api.loaders.volunteers import volunteers_loader


@dataclass
class Loaders:
    volunteers: DataLoader
    volunteer_memberships: DataLoader
    volunteer_skills: DataLoader
    associations: DataLoader
    skills: DataLoader
    governorates: DataLoader
    events: DataLoader
    shifts: DataLoader
    event_shifts: DataLoader
    shift_needs: DataLoader
    assignments: DataLoader
    shift_assignments: DataLoader
    exchange_requests: DataLoader
    volunteer_assignments: DataLoader

    @classmethod
    def create(cls, driver: AsyncDriver) -> Loaders:
        return cls(
            volunteers=volunteers_loader(driver),
            volunteer_memberships=volunteer_memberships_loader(driver),
            volunteer_skills=volunteer_skills_loader(driver),
            associations=associations_loader(driver),
            skills=skills_loader(driver),
            governorates=governorates_loader(driver),
            events=events_loader(driver),
            shifts=shifts_loader(driver),
            event_shifts=event_shifts_loader(driver),
            shift_needs=shift_needs_loader(driver),
            assignments=assignments_loader(driver),
            shift_assignments=shift_assignments_loader(driver),
            exchange_requests=exchange_requests_loader(driver),
            volunteer_assignments=volunteer_assignments_loader(driver),
        )

    def clear_all(self) -> None:
        """Forget cached rows (after a mutation changed them)."""
        for loader in vars(self).values():
            loader.clear_all()
