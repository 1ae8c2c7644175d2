"""Schema and reference data on the real test Neo4j: idempotent, enforced, complete."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from engine.reference.associations import ASSOCIATIONS
from engine.reference.skills import SKILLS, implication_edges
from graph.reference_data import load_reference_data
from graph.schema import CONSTRAINTS, INDEXES, SCHEMA_VERSION, apply_schema, schema_version

SHOW_CONSTRAINTS = "SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names"
SHOW_INDEXES = ("SHOW INDEXES YIELD name, type, state, options "
                "RETURN name, type, state, options")


async def _names(driver) -> tuple[set[str], set[str]]:
    c, _, _ = await driver.execute_query(SHOW_CONSTRAINTS)
    i, _, _ = await driver.execute_query(SHOW_INDEXES)
    return set(c[0]["names"]), {r["name"] for r in i}


async def test_schema_applied_twice_is_idempotent(neo4j_driver) -> None:
    before = await _names(neo4j_driver)
    assert await apply_schema(neo4j_driver) == SCHEMA_VERSION
    assert await apply_schema(neo4j_driver) == SCHEMA_VERSION
    after = await _names(neo4j_driver)
    assert after == before
    assert await schema_version(neo4j_driver) == SCHEMA_VERSION
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (s:SchemaVersion {id: 'schema'}) RETURN count(s) AS n")
    assert records[0]["n"] == 1
    constraint_names, index_names = after
    assert len(constraint_names) >= len(CONSTRAINTS)
    assert {"volunteer_id", "skill_code", "governorate_code",
            "volunteer_national_id_hash"} <= constraint_names
    assert {"volunteer_names", "assignment_status", "shift_starts_at"} <= index_names
    assert len(INDEXES) >= 10


async def test_all_indexes_online_and_fulltext_uses_arabic_analyzer(neo4j_driver) -> None:
    records, _, _ = await neo4j_driver.execute_query(SHOW_INDEXES)
    ours = {r["name"]: r for r in records}
    fulltext = ours["volunteer_names"]
    assert fulltext["type"] == "FULLTEXT"
    assert fulltext["options"]["indexConfig"]["fulltext.analyzer"] == "arabic"
    assert all(r["state"] == "ONLINE" for r in records)


async def test_unique_constraints_reject_duplicates(neo4j_driver, prefix) -> None:
    vid = prefix + "dup"
    try:
        await neo4j_driver.execute_query(
            "CREATE (:Volunteer {id: $id, nationalIdHash: $h})", id=vid, h=prefix + "hash")
        with pytest.raises(ConstraintError):
            await neo4j_driver.execute_query("CREATE (:Volunteer {id: $id})", id=vid)
        with pytest.raises(ConstraintError):  # same person under another id
            await neo4j_driver.execute_query(
                "CREATE (:Volunteer {id: $id, nationalIdHash: $h})", id=vid + "2",
                h=prefix + "hash")
        with pytest.raises(ConstraintError):
            await neo4j_driver.execute_query("CREATE (:Skill {code: 'first_aid'})")
    finally:
        await neo4j_driver.execute_query(
            "MATCH (v:Volunteer) WHERE v.id STARTS WITH $p DETACH DELETE v", p=prefix)


async def test_reference_data_counts_and_is_idempotent(neo4j_driver) -> None:
    first = await load_reference_data(neo4j_driver)
    second = await load_reference_data(neo4j_driver)
    assert first == second
    assert first.governorates == 27
    assert first.skills >= len(SKILLS) >= 40
    assert first.associations == len(ASSOCIATIONS)
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (a:Skill)-[:IMPLIES]->(b:Skill) RETURN a.code AS a, b.code AS b")
    assert {(r["a"], r["b"]) for r in records} == set(implication_edges())
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (g:Governorate {code: '21'}) RETURN g.nameAr AS ar, g.nameEn AS en, g.lat AS lat")
    assert (records[0]["ar"], records[0]["en"]) == ("الجيزة", "Giza")
    assert 29 < records[0]["lat"] < 31


async def test_reference_reload_keeps_a_changed_sharing_policy(neo4j_driver) -> None:
    """Associations are created with their default policy only once; coordinators' edits stay."""
    records, _, _ = await neo4j_driver.execute_query(
        "MATCH (a:Association {id: 'A01'}) RETURN a.lends AS lends, a.maxShare AS share")
    original = records[0]
    await neo4j_driver.execute_query(
        "MATCH (a:Association {id: 'A01'}) SET a.maxShare = 0.123456")
    try:
        await load_reference_data(neo4j_driver)
        records, _, _ = await neo4j_driver.execute_query(
            "MATCH (a:Association {id: 'A01'}) RETURN a.maxShare AS share")
        assert records[0]["share"] == 0.123456
    finally:
        await neo4j_driver.execute_query(
            "MATCH (a:Association {id: 'A01'}) SET a.maxShare = $s", s=original["share"])


async def test_fulltext_arabic_search_finds_hamza_variants(neo4j_driver, prefix) -> None:
    from graph.arabic_normalize import normalize_arabic

    names = {"a": "أحمد إبراهيم الشربيني", "b": "منى احمد السيد", "c": "محمود علي"}
    try:
        await neo4j_driver.execute_query(
            "UNWIND $rows AS r CREATE (:Volunteer {id: r.id, name: r.name, nameNorm: r.norm})",
            rows=[{"id": prefix + k, "name": n, "norm": normalize_arabic(n)}
                  for k, n in names.items()])
        query = ("CALL db.index.fulltext.queryNodes('volunteer_names', $q) YIELD node "
                 "WHERE node.id STARTS WITH $p RETURN collect(node.id) AS ids")
        for term in ("احمد", "أحمد", "إحمد"):
            records, _, _ = await neo4j_driver.execute_query(query, q=term, p=prefix)
            assert set(records[0]["ids"]) == {prefix + "a", prefix + "b"}, term
        records, _, _ = await neo4j_driver.execute_query(query, q="ابراهيم", p=prefix)
        assert records[0]["ids"] == [prefix + "a"]
    finally:
        await neo4j_driver.execute_query(
            "MATCH (v:Volunteer) WHERE v.id STARTS WITH $p DETACH DELETE v", p=prefix)
