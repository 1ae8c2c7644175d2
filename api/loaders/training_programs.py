"""DataLoader: training programs (with their seat counts) by id, in key order.

Created lazily per request in `ctx.extra` (the frame's Loaders registry stays untouched), so
a list of enrollments resolves all their programs in one Cypher statement.
"""

from __future__ import annotations

from typing import Any

from strawberry.dataloader import DataLoader

from graph.training import Program, get_programs

EXTRA_KEY = "training_programs_loader"


def training_programs_loader(ctx: Any) -> DataLoader[str, Program | None]:
    loader = ctx.extra.get(EXTRA_KEY)
    if loader is None:

        async def load(keys: list[str]) -> list[Program | None]:
            found = await get_programs(ctx.driver, list(keys))
            return [found.get(key) for key in keys]

        loader = DataLoader(load_fn=load)
        ctx.extra[EXTRA_KEY] = loader
    return loader
