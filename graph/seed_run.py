"""The whole seed: schema + reference data, associations, volunteers, Ramadan campaign.

Idempotent: ids are deterministic, so a re-run with the same seed MERGEs onto what exists.
A namespaced run (`id_prefix`, for tests) gets its own non-lending associations and can be
removed again with `delete_namespace`, touching nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import LiteralString

from neo4j import AsyncDriver

from graph.reference_data import load_reference_data
from graph.schema import apply_schema, drop_bulk_load_indexes
from graph.seed_campaign import CampaignConfig, generate_campaign
from graph.seed_load import (
    LoadStats,
    SeedSupply,
    any_volunteer,
    load_volunteers,
    volunteers_with_prefix,
)
from graph.seed_load_events import load_campaign, merge_namespace_associations
from graph.seed_people import PeopleConfig, PeopleGenerator, lookups
from graph.supply_rebuild import (
    implied_codes,
    refresh_all_supply,
    withdraw_namespace_supply,
    write_counted_cells,
)


@dataclass(frozen=True, slots=True)
class SeedOptions:
    volunteers: int
    seed: int
    id_prefix: str = ""
    id_secret: str = "dev-national-id-secret-change-me"
    if_empty: bool = False
    batch_size: int = 10_000
    writers: int = 1
    today: date = date(2026, 11, 25)
    # Into a graph with NO volunteer at all: drop the Volunteer secondary indexes during the
    # load and rebuild them after (counted in volunteer_seconds). Never on a shared database.
    bulk: bool = False


@dataclass(frozen=True, slots=True)
class SeedReport:
    skipped: bool
    mode: str = ""
    volunteers: int = 0
    relationships: int = 0
    events: int = 0
    shifts: int = 0
    volunteer_seconds: float = 0.0
    existing: int = 0
    index_seconds: float = 0.0
    bulk: bool = False


async def run_seed(
    driver: AsyncDriver, options: SeedOptions,
    on_progress: Callable[[int], None] | None = None,
) -> SeedReport:
    if options.volunteers < 0:
        raise ValueError("--volunteers must be >= 0")
    # Schema first, even when skipping: a bulk load interrupted midway left indexes to rebuild.
    await apply_schema(driver)
    await load_reference_data(driver)
    if options.if_empty:
        has = (await volunteers_with_prefix(driver, options.id_prefix) > 0
               if options.id_prefix else await any_volunteer(driver))
        if has:
            return SeedReport(skipped=True)
    if options.id_prefix:
        await merge_namespace_associations(driver, options.id_prefix)
    existing = await volunteers_with_prefix(driver, options.id_prefix)
    stats, index_seconds, bulk = await load_people(driver, options, existing, on_progress)
    campaign = generate_campaign(CampaignConfig(seed=options.seed, id_prefix=options.id_prefix))
    await load_campaign(driver, campaign)
    return SeedReport(
        skipped=False, mode=stats.mode, volunteers=stats.volunteers,
        relationships=stats.relationships, events=len(campaign.events),
        shifts=len(campaign.shifts), volunteer_seconds=stats.seconds + index_seconds,
        existing=existing, index_seconds=index_seconds, bulk=bulk,
    )


async def load_people(
    driver: AsyncDriver, options: SeedOptions, existing: int,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[LoadStats, float, bool]:
    """Generate and write the volunteers and their supply cells (graph.supply_cells); returns
    (stats, seconds of index rebuild and supply cells after the load, bulk used)."""
    people = PeopleGenerator(PeopleConfig(
        seed=options.seed, id_prefix=options.id_prefix, id_secret=options.id_secret,
        today=options.today,
    ))
    bulk = options.bulk and existing == 0 and not await any_volunteer(driver)
    look = lookups(options.id_prefix)
    supply = None
    if bulk:
        await drop_bulk_load_indexes(driver)
        # a graph that held no volunteer: its skill-gap supply is counted as the rows are made
        supply = SeedSupply.for_lookups(look, await implied_codes(driver))
    stats = await load_volunteers(
        driver, people.blocks(options.volunteers), look,
        total=options.volunteers, fresh=existing == 0, batch_size=options.batch_size,
        writers=options.writers, on_progress=on_progress, supply=supply,
    )
    start = time.perf_counter()
    if supply is not None:
        await apply_schema(driver, await_seconds=600)
        # the cells counted as the rows were made (writing them while the indexes populate
        # saved nothing: both want the two cores)
        await write_counted_cells(driver, supply.tally.rows())
    else:
        await refresh_all_supply(driver, prefix=options.id_prefix)
    # index rebuild and supply cells, counted in the load time
    index_seconds = time.perf_counter() - start
    return stats, index_seconds, bulk


DELETE_NAMESPACE_NODES: LiteralString = """
MATCH (n) WHERE (n:Volunteer OR n:Event OR n:Shift OR n:Campaign OR n:Association)
  AND n.id STARTS WITH $prefix
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
"""


async def delete_namespace(driver: AsyncDriver, prefix: str) -> None:
    """Remove every seeded node whose id starts with `prefix` (never the whole graph)."""
    if len(prefix) < 3:
        raise ValueError("refusing to delete a namespace with a prefix shorter than 3 characters")
    await withdraw_namespace_supply(driver, prefix)
    async with driver.session() as session:
        result = await session.run(DELETE_NAMESPACE_NODES, prefix=prefix)
        await result.consume()
