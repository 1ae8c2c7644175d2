"""CostTerm: one named term of an assignment's cost (travel, fairness, ...)."""

import strawberry


@strawberry.type
class CostTerm:
    name: str
    value: float
