"""Per-client limits counted in PostgreSQL: searches (so scripts cannot scrape the code sets
through search), and any other limit that passes its own keys (CaseConsultant's refusals).

Counted in a PostgreSQL table of its own, shared by every gunicorn worker: one
INSERT ... ON CONFLICT DO UPDATE ... RETURNING per window adds and reads the count
atomically, so concurrent requests cannot both slip under the limit (the cache's get-then-set
could not promise that). The counter table
is UNLOGGED (migration 0003): counts are worthless after a crash, and skipping the
write-ahead log keeps this cheap.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from codeahead.client import client_key


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int = 0  # seconds until the fullest window starts again


def search_rate_consume(*, client: str, now: datetime | None = None) -> RateDecision:
    """Count one search for `client` in every window of settings.SEARCH_RATE_LIMITS."""
    return rate_consume(keys=[client], limits=settings.SEARCH_RATE_LIMITS, now=now)


def _windows(keys: list[str], limits: list[tuple[int, int]], now: datetime) -> list[tuple]:
    epoch = now.timestamp()
    windows = []
    for allowed, seconds in limits:
        start = datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)
        for key in keys:
            # The window's length first: cutting a long client key must never merge two windows.
            windows.append((f"{seconds}:{key}"[:64], start, allowed, seconds))
    return windows


def _decision(windows: list[tuple], hits: dict[str, int], now: datetime, *, over) -> RateDecision:
    waits = [
        math.ceil((start + timedelta(seconds=seconds) - now).total_seconds())
        for key, start, allowed, seconds in windows
        if over(hits.get(key, 0), allowed)
    ]
    if waits:
        return RateDecision(allowed=False, retry_after=max(1, max(waits)))
    return RateDecision(allowed=True)


def rate_consume(
    *, keys: list[str], limits: list[tuple[int, int]], now: datetime | None = None
) -> RateDecision:
    """Count one hit for each key in every (hits, seconds) window of `limits`: refused once any
    key is past its allowance. Other limits (CaseConsultant's) share the table with their own keys."""
    if not limits or not keys:
        return RateDecision(allowed=True)
    now = now or timezone.now()
    windows = _windows(keys, limits, now)
    values = ", ".join(["(%s, %s, 1)"] * len(windows))
    params = [p for key, start, _, _ in windows for p in (key, start)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO lookup_searchratecounter (client, window_start, hits) VALUES {values} "
            "ON CONFLICT (client, window_start) DO UPDATE SET hits = lookup_searchratecounter.hits + 1 "
            "RETURNING client, hits",
            params,
        )
        hits = dict(cursor.fetchall())
        if any(hits[key] == 1 for key, *_ in windows):
            # A first hit in a window: a good moment to forget old windows, each length its own
            # (a key starts with its window's length), so a short limit never drops a long one's.
            for seconds in {seconds for _, seconds in limits}:
                cursor.execute(
                    "DELETE FROM lookup_searchratecounter WHERE client LIKE %s AND window_start < %s",
                    [f"{seconds}:%", now - timedelta(seconds=seconds * 2)],
                )
    return _decision(windows, hits, now, over=lambda hit, allowed: hit > allowed)


def rate_peek(*, keys: list[str], limits: list[tuple[int, int]], now: datetime | None = None) -> RateDecision:
    """Whether one more hit would be refused for any key, counting nothing."""
    if not limits or not keys:
        return RateDecision(allowed=True)
    now = now or timezone.now()
    windows = _windows(keys, limits, now)
    condition = " OR ".join(["(client = %s AND window_start = %s)"] * len(windows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT client, hits FROM lookup_searchratecounter WHERE {condition}",
            [p for key, start, _, _ in windows for p in (key, start)],
        )
        hits = dict(cursor.fetchall())
    return _decision(windows, hits, now, over=lambda hit, allowed: hit >= allowed)


def rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429 with Retry-After once a client searches faster than the limits allow."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        decision = search_rate_consume(client=client_key(request))
        if not decision.allowed:
            response = HttpResponse(
                f"Too many searches from your address. Please wait {decision.retry_after} seconds.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(decision.retry_after)
            return response
        return view(request, *args, **kwargs)

    return wrapper
