"""Constraints and indexes of the graph, applied idempotently, versioned by a SchemaVersion node.

Every statement uses IF NOT EXISTS, so `apply_schema` may run any number of times and from
several processes at once; the (:SchemaVersion {id:'schema'}) node records the version applied.
"""

from __future__ import annotations

from typing import Final, LiteralString

from neo4j import AsyncDriver
from neo4j.exceptions import ClientError

SCHEMA_VERSION: Final = 1

# Labels whose nodes are keyed by a unique string `id` (DESIGN.md "Graph model").
ID_LABELS: Final[tuple[str, ...]] = (
    "Volunteer",
    "Association",
    "Event",
    "Shift",
    "Assignment",
    "ExchangeRequest",
    "TrainingProgram",
    "Enrollment",
    "MatchingRun",
    "Campaign",
    "SchemaVersion",
)

CONSTRAINTS: Final[tuple[LiteralString, ...]] = (
    "CREATE CONSTRAINT volunteer_id IF NOT EXISTS FOR (n:Volunteer) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT association_id IF NOT EXISTS FOR (n:Association) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT shift_id IF NOT EXISTS FOR (n:Shift) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT assignment_id IF NOT EXISTS FOR (n:Assignment) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT exchange_request_id IF NOT EXISTS"
    " FOR (n:ExchangeRequest) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT training_program_id IF NOT EXISTS"
    " FOR (n:TrainingProgram) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT enrollment_id IF NOT EXISTS FOR (n:Enrollment) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT matching_run_id IF NOT EXISTS FOR (n:MatchingRun) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT campaign_id IF NOT EXISTS FOR (n:Campaign) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT schema_version_id IF NOT EXISTS"
    " FOR (n:SchemaVersion) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT skill_code IF NOT EXISTS FOR (n:Skill) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT governorate_code IF NOT EXISTS FOR (n:Governorate) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT volunteer_national_id_hash IF NOT EXISTS"
    " FOR (n:Volunteer) REQUIRE n.nationalIdHash IS UNIQUE",
    # the skill-gap supply counts (graph.supply_cells), MERGEd by key
    "CREATE CONSTRAINT supply_cell_key IF NOT EXISTS FOR (n:SupplyCell) REQUIRE n.key IS UNIQUE",
)

# Range indexes behind the API's filters and the workers' scans.
INDEXES: Final[tuple[LiteralString, ...]] = (
    "CREATE INDEX volunteer_active IF NOT EXISTS FOR (n:Volunteer) ON (n.active)",
    # a skill-gap report reads the cells of each demanded (skill, governorate, level)
    "CREATE INDEX supply_cell_group IF NOT EXISTS"
    " FOR (n:SupplyCell) ON (n.skill, n.governorate, n.level)",
    "CREATE INDEX assignment_status IF NOT EXISTS FOR (n:Assignment) ON (n.status)",
    "CREATE INDEX assignment_starts_at IF NOT EXISTS FOR (n:Assignment) ON (n.startsAt)",
    "CREATE INDEX assignment_run_id IF NOT EXISTS FOR (n:Assignment) ON (n.runId)",
    "CREATE INDEX assignment_event_id IF NOT EXISTS FOR (n:Assignment) ON (n.eventId)",
    "CREATE INDEX shift_starts_at IF NOT EXISTS FOR (n:Shift) ON (n.startsAt)",
    "CREATE INDEX event_starts_at IF NOT EXISTS FOR (n:Event) ON (n.startsAt)",
    "CREATE INDEX event_domain IF NOT EXISTS FOR (n:Event) ON (n.domain)",
    "CREATE INDEX event_campaign IF NOT EXISTS FOR (n:Event) ON (n.campaign)",
    "CREATE INDEX exchange_request_status IF NOT EXISTS FOR (n:ExchangeRequest) ON (n.status)",
    "CREATE INDEX matching_run_status IF NOT EXISTS FOR (n:MatchingRun) ON (n.status)",
    # volunteers whose matching data changed after the worker's candidate index was loaded
    "CREATE INDEX volunteer_changed_at IF NOT EXISTS FOR (n:Volunteer) ON (n.changedAt)",
    "CREATE INDEX training_program_starts_at IF NOT EXISTS FOR (n:TrainingProgram) ON (n.startsAt)",
    "CREATE INDEX enrollment_status IF NOT EXISTS FOR (n:Enrollment) ON (n.status)",
    "CREATE INDEX skill_domain IF NOT EXISTS FOR (n:Skill) ON (n.domain)",
    # Full-text search on names; the Arabic analyzer folds hamza/ta-marbuta/ya and stems, and
    # nameNorm carries our own normalisation (graph.arabic_normalize) for exact folding.
    "CREATE FULLTEXT INDEX volunteer_names IF NOT EXISTS FOR (v:Volunteer)"
    " ON EACH [v.name, v.nameNorm] OPTIONS {indexConfig: {`fulltext.analyzer`: 'arabic'}}",
)

FULLTEXT_VOLUNTEER_NAMES: Final = "volunteer_names"

# Secondary indexes on Volunteer that a bulk load into an EMPTY graph may drop and rebuild
# (populating an index once is cheaper than 250K incremental updates); constraints stay.
BULK_LOAD_DROPPABLE: Final[tuple[LiteralString, ...]] = (
    "DROP INDEX volunteer_names IF EXISTS",
    "DROP INDEX volunteer_active IF EXISTS",
)

# Indexes no statement uses any more, dropped where an older schema made them.
RETIRED: Final[tuple[LiteralString, ...]] = (
    # the skill-gap supply read volunteers through it before the supply cells
    # (graph.supply_cells); every Volunteer write paid for it since
    "DROP INDEX volunteer_supply IF EXISTS",
)

READ_SCHEMA_VERSION: LiteralString = (
    "OPTIONAL MATCH (s:SchemaVersion {id: 'schema'}) RETURN s.version AS version"
)
WRITE_SCHEMA_VERSION: LiteralString = """
MERGE (s:SchemaVersion {id: 'schema'})
SET s.version = CASE WHEN coalesce(s.version, 0) > $version THEN s.version ELSE $version END,
    s.appliedAt = datetime()
"""
AWAIT_INDEXES: LiteralString = "CALL db.awaitIndexes($seconds)"

# Another process creating the same rule at the same moment is success, not failure.
_ALREADY_THERE = (
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
    "Neo.ClientError.Schema.ConstraintWithNameAlreadyExists",
    "Neo.ClientError.Schema.IndexWithNameAlreadyExists",
)


async def drop_bulk_load_indexes(driver: AsyncDriver) -> None:
    """Drop the Volunteer secondary indexes before a bulk load; `apply_schema` rebuilds them."""
    async with driver.session() as session:
        for statement in BULK_LOAD_DROPPABLE:
            await (await session.run(statement)).consume()


async def schema_version(driver: AsyncDriver) -> int:
    """The schema version recorded in the database (0 if never applied)."""
    records, _, _ = await driver.execute_query(READ_SCHEMA_VERSION)
    value = records[0]["version"]
    return int(value) if value is not None else 0


async def apply_schema(driver: AsyncDriver, *, await_seconds: int = 120) -> int:
    """Create every constraint and index that is missing, wait until they are online,
    and record SCHEMA_VERSION. Safe to run repeatedly and concurrently. Returns the version."""
    async with driver.session() as session:
        for statement in (*CONSTRAINTS, *INDEXES, *RETIRED):
            try:
                result = await session.run(statement)
                await result.consume()
            except ClientError as exc:
                if exc.code not in _ALREADY_THERE:
                    raise
        result = await session.run(AWAIT_INDEXES, seconds=await_seconds)
        await result.consume()
    await driver.execute_query(WRITE_SCHEMA_VERSION, version=SCHEMA_VERSION)
    return SCHEMA_VERSION
