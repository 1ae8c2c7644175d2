"""The CSV import job: parse and validate every row, upsert the good ones, report the bad ones."""

from __future__ import annotations

import logging
from typing import Any

from graph import csv_import
from graph.settings import get_settings
from workers.csv_rows import BadCsv, parse_volunteers_csv

log = logging.getLogger("tahaluf.workers.import")


async def import_csv(ctx: dict[str, Any], job_id: str, text: str) -> dict[str, Any]:
    """arq job IMPORT_CSV. Re-runnable: people are merged by national-ID hash."""
    driver = ctx["neo4j"]
    job = await csv_import.mark_import_running(driver, job_id)
    if job is None:
        return {"importId": job_id, "status": "MISSING_OR_FINISHED"}
    try:
        known = await csv_import.skill_codes(driver)
        rows, errors = parse_volunteers_csv(text, get_settings().id_secret, known)
    except BadCsv as exc:
        await csv_import.finish_import_job(
            driver, job_id, status="FAILED", rows_total=0, imported=0, created=0, errors=[],
            error=str(exc),
        )
        return {"importId": job_id, "status": "FAILED", "error": str(exc)}
    imported, created = await csv_import.upsert_volunteers(
        driver, association=job["association"], rows=[r.as_params() for r in rows], job_id=job_id
    )
    report = [e.as_dict() for e in errors]
    await csv_import.finish_import_job(
        driver, job_id, status="SUCCEEDED", rows_total=len(rows) + len(errors),
        imported=imported, created=created, errors=report,
    )
    log.info("import %s: %d rows imported (%d new), %d rejected", job_id, imported, created, len(errors))
    return {"importId": job_id, "status": "SUCCEEDED", "imported": imported, "created": created,
            "rejected": len(errors)}
