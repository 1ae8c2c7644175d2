"""`tahaluf migrate`: apply the graph schema (constraints, indexes) and the reference data,
then backfill the derived volunteer properties (graph.volunteer_derived) and bring the skill-gap
supply cells up to date (graph.supply_cells: after the derived properties they read)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from graph.driver import check_connection, create_driver, unavailable_error
from graph.errors import GraphUnavailable
from graph.reference_data import load_reference_data
from graph.schema import apply_schema
from graph.supply_rebuild import ensure_supply
from graph.volunteer_derived import backfill_volunteer_derived


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate", help="apply Neo4j constraints, indexes and reference data, and backfill derived"
        " volunteer properties (idempotent)"
    )
    parser.set_defaults(func=run)


async def migrate() -> str:
    driver = create_driver()
    try:
        await check_connection(driver)
        try:
            version = await apply_schema(driver)
            counts = await load_reference_data(driver)
            derived = await backfill_volunteer_derived(driver)
            supply = await ensure_supply(driver, derived_written=derived.written)
        except Exception as exc:
            error = unavailable_error(driver, exc)
            if error is None:
                raise
            raise error from None
    finally:
        await driver.close()
    return (
        f"schema version {version} applied; reference data: {counts.governorates} governorates, "
        f"{counts.skills} skills ({counts.implies} implications), "
        f"{counts.associations} associations; derived volunteer properties: "
        f"{derived.written} of {derived.volunteers} volunteers updated; skill-gap supply cells: "
        + (f"{supply.volunteers} volunteers refreshed" if supply.action == "refreshed"
           else supply.action)
    )


def run(args: argparse.Namespace) -> int:
    try:
        print(asyncio.run(migrate()))
    except GraphUnavailable as exc:
        print(f"tahaluf migrate: {exc}", file=sys.stderr)
        return 1
    return 0
