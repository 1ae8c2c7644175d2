"""Send a freed slot back to matching (workers.enqueue.enqueue_refill), never failing the caller.

The status change is already committed when this runs; if Redis is down the proposal-expiry
cron re-matches open slots later, so a failed enqueue is logged, not raised.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from api.context import Context
from workers.enqueue import enqueue_refill

log = logging.getLogger("tahaluf.api")


async def request_refill(ctx: Context, shift_id: str, exclude: Sequence[str] = ()) -> None:
    requested_by = ctx.viewer.sub if ctx.viewer else None
    try:
        await enqueue_refill(
            ctx.redis, ctx.driver, shift_id, list(exclude), requested_by=requested_by
        )
    except Exception:  # noqa: BLE001 - committed already; the expiry cron will re-match
        log.exception("could not queue a refill for shift %s", shift_id)
