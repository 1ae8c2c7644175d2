"""RegisterVolunteerInput."""

import strawberry

from api.types.availability_input import AvailabilityInput
from api.types.skill_level_input import SkillLevelInput


@strawberry.input
class RegisterVolunteerInput:
    national_id: str
    name: str
    phone: str
    governorate: str
    association: strawberry.ID
    skills: list[SkillLevelInput] | None = None
    availability: list[AvailabilityInput] | None = None
