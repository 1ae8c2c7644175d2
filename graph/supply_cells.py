"""Supply cells: the skill-gap supply kept as counts, so a national report reads thousands of
small nodes instead of every skill holding.

The report's supply (graph.skill_gaps) counts, per demanded (governorate, skill, minLevel),
the distinct active volunteers living there who hold the skill or one that IMPLIES it
(transitively) at a level >= minLevel, not expired at the window's end `to`, and available in
the window. For one volunteer and one skill t, let E(m) be the latest expiry among its
qualifying holdings of level >= m (never, when one of them has no expiry). The volunteer
counts for (t, m) exactly when E(m) is never or later than `to`. So each volunteer
contributes one *entry* per (t, m) it can serve, m = 1..5: E(m), its governorate and its weekly
availability spans (graph.availability_spans). An entry belongs to the cell

    (governorate, skill t, level m, availSpans, expiry month of E(m) or "never")

and a `SupplyCell` node per cell holds how many entries it has (`count`) and, for a month
bucket, their exact expiries (`exps`, epoch ms). The report then takes, per demanded group,
the cells of its exact level whose spans meet the window: a "never" cell or a month that
starts after `to` counts whole, the month containing `to` counts the exps after `to`, earlier
months nothing. That is the same number as the per-holding count, exactly.

Only active volunteers with a governorate and at least one availability span have entries (the
others are never supply). A volunteer stores its entries as strings "<cell key>#<expiry ms or
-1>" in `supplyEntries`, so a refresh knows what it contributed before.

Keeping them in step: every writer that changes a volunteer's skills, availability, residence
or active flag calls `refresh_supply` with those volunteer ids inside its own write
transaction (registerVolunteer, updateAvailability, the CSV import, training completion, the
seed). A refresh recomputes the volunteers' entries from the graph, diffs them with the stored
ones, and applies the net change per cell in ascending key order - cells are locked last in
the global lock order (graph/assignments.py) and in one order among themselves, so concurrent
refreshes queue instead of deadlocking; an emptied cell is deleted. A second refresh of an
unchanged volunteer writes nothing. graph.supply_rebuild runs the same refresh over every
volunteer, or rebuilds every cell, for the seed and `tahaluf migrate`. Cell keys are built from
governorate and skill codes, which contain neither '|' nor '#'.
"""

from __future__ import annotations

from typing import Final, LiteralString

from neo4j import AsyncManagedTransaction

MAX_LEVEL: Final = 5

# A volunteer's entries as "<governorate>|<skill>|<level>|<spans>|<month ms or -1>#<expiry ms
# or -1>", sorted (one per skill it can serve and level up to its best); none when $withdraw.
VOLUNTEER_ENTRIES: LiteralString = """
CALL (v) {
  WITH v, v.active = true AND v.governorate IS NOT NULL
          AND size(coalesce(v.availSpans, [])) > 0 AND NOT $withdraw AS counts,
       reduce(s = '', x IN coalesce(v.availSpans, []) | s + toString(x) + ',') AS spans
  OPTIONAL MATCH (v)-[h:HAS_SKILL]->(:Skill)-[:IMPLIES*0..]->(t:Skill)
  WHERE counts
  WITH v, spans, t.code AS skill,
       collect({level: h.level, exp: h.expiresAt.epochMillis}) AS held
  WHERE skill IS NOT NULL
  UNWIND range(1, $maxLevel) AS m
  WITH v, spans, skill, m, [x IN held WHERE x.level >= m] AS q
  WHERE size(q) > 0
  WITH v, spans, skill, m,
       CASE WHEN any(x IN q WHERE x.exp IS NULL) THEN -1
            ELSE reduce(e = 0, x IN q | CASE WHEN x.exp > e THEN x.exp ELSE e END) END AS exp
  WITH v, spans, skill, m, exp,
       CASE WHEN exp < 0 THEN -1
            ELSE datetime.truncate('month', datetime({epochMillis: exp})).epochMillis END AS month
  WITH v.governorate + '|' + skill + '|' + toString(m) + '|' + spans + '|' + toString(month)
       + '#' + toString(exp) AS entry
  ORDER BY entry
  RETURN collect(entry) AS entries
}
"""

# A new cell's properties from its key ($part = split(key, '|')): month and monthEnd are epoch
# ms (-1 = the "never" bucket).
CELL_FROM_KEY: LiteralString = """c.governorate = part[0], c.skill = part[1],
  c.level = toInteger(part[2]), c.spans = [x IN split(part[3], ',') WHERE x <> '' | toInteger(x)],
  c.month = toInteger(part[4]),
  c.monthEnd = CASE WHEN toInteger(part[4]) < 0 THEN -1
    ELSE (datetime({epochMillis: toInteger(part[4])}) + duration({months: 1})).epochMillis END"""

# Recompute the entries of volunteers $ids, store them, and apply the net change per cell
# (with $withdraw, take them out: before they are deleted).
REFRESH_SUPPLY: LiteralString = """
UNWIND $ids AS vid
MATCH (v:Volunteer {id: vid})
""" + VOLUNTEER_ENTRIES + """
WITH v, entries, coalesce(v.supplyEntries, []) AS old
WHERE v.supplyEntries IS NULL OR entries <> old
SET v.supplyEntries = entries
WITH [e IN entries WHERE NOT e IN old | [e, 1]] + [e IN old WHERE NOT e IN entries | [e, -1]]
     AS changes
UNWIND changes AS change
WITH split(change[0], '#') AS parts, change[1] AS delta
WITH parts[0] AS key, delta, toInteger(parts[1]) AS exp
WITH key, sum(delta) AS d,
     collect(CASE WHEN delta > 0 AND exp >= 0 THEN exp END) AS added,
     collect(CASE WHEN delta < 0 AND exp >= 0 THEN exp END) AS removed
ORDER BY key
WITH key, d, added, removed, split(key, '|') AS part
MERGE (c:SupplyCell {key: key})
ON CREATE SET """ + CELL_FROM_KEY + """, c.count = 0, c.exps = []
SET c.count = c.count + d,
    c.exps = reduce(l = c.exps, r IN removed |
      CASE WHEN r IN l
           THEN l[..head([i IN range(0, size(l) - 1) WHERE l[i] = r])]
                + l[head([i IN range(0, size(l) - 1) WHERE l[i] = r]) + 1..]
           ELSE l END) + added
WITH c, c.count <= 0 AS empty, d
FOREACH (_ IN CASE WHEN empty THEN [1] ELSE [] END | DELETE c)
RETURN count(*) AS cells
"""

async def _refresh(
    tx: AsyncManagedTransaction, volunteer_ids: list[str], *, withdraw: bool
) -> int:
    if not volunteer_ids:
        return 0
    result = await tx.run(
        REFRESH_SUPPLY, ids=sorted(set(volunteer_ids)), maxLevel=MAX_LEVEL, withdraw=withdraw
    )
    record = await result.single(strict=True)
    return int(record["cells"])


async def refresh_supply(tx: AsyncManagedTransaction, volunteer_ids: list[str]) -> int:
    """Bring the supply cells of these volunteers up to date, inside the caller's transaction;
    returns how many cells changed (0 when nothing did)."""
    return await _refresh(tx, volunteer_ids, withdraw=False)


async def withdraw_supply(tx: AsyncManagedTransaction, volunteer_ids: list[str]) -> int:
    """Take these volunteers out of the supply cells (call before deleting them)."""
    return await _refresh(tx, volunteer_ids, withdraw=True)
