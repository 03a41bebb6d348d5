"""Requests per key (or per client address without one), counted in PostgreSQL.

The same mechanism as the search rate limit (lookup/ratelimit.py): one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING per window adds and reads the count at once,
so parallel requests (in any process, on any machine sharing the database) cannot both slip
under the limit. Its own UNLOGGED table, so each limit forgets only its own old windows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from api.models import ApiRateCounter

TABLE = ApiRateCounter._meta.db_table


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int = 0  # the tightest window's allowance
    remaining: int = 0  # in that window
    retry_after: int = 0  # seconds until the fullest window starts again


def api_rate_consume(
    *, client: str, limits: list[tuple[int, int]], now: datetime | None = None
) -> RateDecision:
    """Count one request for `client` in every (requests, seconds) window of `limits`."""
    if not limits:
        return RateDecision(allowed=True)
    now = now or timezone.now()
    epoch = now.timestamp()
    windows = []
    for allowed, seconds in limits:
        start = datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)
        windows.append((f"{seconds}:{client}"[:100], start, allowed, seconds))
    values = ", ".join(["(%s, %s, 1)"] * len(windows))
    params = [p for key, start, _, _ in windows for p in (key, start)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (client, window_start, hits) VALUES {values} "
            f"ON CONFLICT (client, window_start) DO UPDATE SET hits = {TABLE}.hits + 1 "
            "RETURNING client, hits",
            params,
        )
        hits = dict(cursor.fetchall())
        if any(hits[key] == 1 for key, *_ in windows):
            # A client's first request in a window: a good moment to forget old windows.
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE window_start < %s",
                [now - timedelta(seconds=max(seconds for _, seconds in limits) * 2)],
            )
    tightest = min(windows, key=lambda w: w[2] - hits[w[0]])
    remaining = max(tightest[2] - hits[tightest[0]], 0)
    waits = [
        math.ceil((start + timedelta(seconds=seconds) - now).total_seconds())
        for key, start, allowed, seconds in windows
        if hits[key] > allowed
    ]
    if waits:
        return RateDecision(allowed=False, limit=tightest[2], remaining=0, retry_after=max(1, max(waits)))
    return RateDecision(allowed=True, limit=tightest[2], remaining=remaining)
