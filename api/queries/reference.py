"""Reference data: governorates and skills."""

import strawberry
from strawberry.types import Info

from api.permissions import IsAuthenticated
from api.types.governorate import Governorate
from api.types.skill import Skill
from graph.governorates import governorate_codes
from graph.skills import skill_codes


@strawberry.type
class ReferenceQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def governorates(self, info: Info) -> list[Governorate]:
        codes = await governorate_codes(info.context.driver)
        rows = await info.context.loaders.governorates.load_many(codes)
        return [Governorate.from_row(r) for r in rows if r is not None]

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def skills(self, info: Info) -> list[Skill]:
        codes = await skill_codes(info.context.driver)
        rows = await info.context.loaders.skills.load_many(codes)
        return [Skill.from_row(r) for r in rows if r is not None]
