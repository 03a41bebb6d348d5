"""The meter: who may use a resource (a code page, a question), decided and counted here only.

Rules are settings (settings.METER_RULES, one entry per resource): uses per period for a
guest, an account whose email is not verified yet, and a verified account; the period
(day, month or never, calendar, in TIME_ZONE); for guests, optionally a cap per client
address per day, so new cookies do not give new uses. Staff and unlimited plans are not
counted. Staff may grant an account more uses of a resource (grant()).

A use either unlocks an item (a code page unlocks its code: using it again in the period is
free) or, with item=None, simply counts (a question asked).

The counting is done by PostgreSQL: each decision is one conditional statement
(INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... RETURNING), so parallel requests queue on
the row and none passes the allowance. Run inside a transaction that lasts to the end of the
view (@meter.metered), a request that fails afterwards takes its use back.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import BooleanField, IntegerField
from django.db.models.expressions import RawSQL
from django.http import HttpRequest
from django.utils import timezone

from codeahead.client import client_key
from meter.models import AddressUsage, Grant, Unlock, Usage

NEVER_PERIOD = date(2000, 1, 1)
PERIODS = ("day", "month", "never")

GUEST_COOKIE = "codeahead_guest"
GUEST_COOKIE_SALT = "accounts.guest"  # the salt cookies were first signed with: they stay valid
GUEST_ID = re.compile(r"^[0-9a-f]{32}$")


class Kind(enum.StrEnum):
    GUEST = "guest"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    UNLIMITED = "unlimited"


@dataclass(frozen=True)
class Reader:
    """Whoever is using a resource: an account or a guest cookie, with what the rules need."""

    key: str
    kind: Kind
    user_id: int | None = None
    address_hash: str = ""

    @property
    def is_guest(self) -> bool:
        return self.kind == Kind.GUEST

    @property
    def is_verified_member(self) -> bool:
        """A verified account, or staff, or an unlimited plan: it sees the members' sections."""
        return self.kind in (Kind.VERIFIED, Kind.UNLIMITED)


@dataclass(frozen=True)
class Rule:
    """settings.METER_RULES[resource]: uses per period for each kind of reader."""

    resource: str
    guest: int
    unverified: int
    verified: int
    period: str = "month"
    guest_per_address_per_day: int | None = None  # None: no cap per address

    def allowance(self, kind: Kind) -> int | None:
        """Uses per period before grants; None means not counted."""
        return None if kind == Kind.UNLIMITED else getattr(self, kind.value)

    @property
    def more_when_verified(self) -> int:
        return self.verified - self.guest


def rule(resource: str) -> Rule:
    try:
        values = settings.METER_RULES[resource]
    except KeyError:
        raise ImproperlyConfigured(f"settings.METER_RULES has no rule for {resource!r}") from None
    found = Rule(resource=resource, **values)
    if found.period not in PERIODS:
        raise ImproperlyConfigured(f"METER_RULES[{resource!r}]['period'] must be one of {PERIODS}")
    return found


class Reason(enum.StrEnum):
    UNLIMITED = "unlimited"
    GRANTED = "granted"
    ALREADY_UNLOCKED = "already unlocked"
    EXHAUSTED = "exhausted"
    ADDRESS_EXHAUSTED = "address exhausted"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    remaining: int | None  # None: unlimited
    renews_on: date | None  # None: never
    reader: Reader
    resource: str

    @property
    def counted(self) -> bool:
        """This use took one of the reader's uses (from peek(): it would take one)."""
        return self.reason == Reason.GRANTED

    @property
    def rule(self) -> Rule:
        return rule(self.resource)


# Readers.


def reader_for_user(user) -> Reader:
    if user.is_unmetered:
        return Reader(key=f"user:{user.pk}", kind=Kind.UNLIMITED, user_id=user.pk)
    # accounts.backends loads the flag with the user; ask only for a user loaded otherwise.
    verified = getattr(user, "email_verified", None)
    if verified is None:
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    return Reader(key=f"user:{user.pk}", kind=Kind.VERIFIED if verified else Kind.UNVERIFIED, user_id=user.pk)


def reader_for_guest(*, guest_id: str, address_hash: str) -> Reader:
    return Reader(key=f"guest:{guest_id}", kind=Kind.GUEST, address_hash=address_hash)


def read_guest_id(request: HttpRequest) -> str | None:
    """The id in the request's signed guest cookie; None when absent, expired or forged."""
    guest_id = request.get_signed_cookie(
        GUEST_COOKIE, default=None, salt=GUEST_COOKIE_SALT, max_age=settings.QUOTA_GUEST_COOKIE_AGE
    )
    return guest_id if guest_id and GUEST_ID.match(guest_id) else None


def reader_for(request: HttpRequest) -> Reader:
    """The request's reader: its account, else the guest of its signed cookie, else a new guest
    (whose cookie meter.middleware.MeterMiddleware sets on the response). Resolved once."""
    reader = getattr(request, "_meter_reader", None)
    if reader is None:
        if request.user.is_authenticated:
            reader = reader_for_user(request.user)
        else:
            guest_id = read_guest_id(request)
            if guest_id is None:
                guest_id = request.meter_new_guest_id = secrets.token_hex(16)
            reader = reader_for_guest(guest_id=guest_id, address_hash=client_key(request))
        request._meter_reader = reader
    return reader


# Periods.


def period_start(now: datetime, period: str) -> date:
    """First day of the period holding `now`, in the site's time zone."""
    today = timezone.localdate(now)
    if period == "day":
        return today
    if period == "month":
        return today.replace(day=1)
    return NEVER_PERIOD


def renews_on(now: datetime, period: str) -> date | None:
    start = period_start(now, period)
    if period == "day":
        return start + timedelta(days=1)
    if period == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return None


# Deciding and counting.

_ALLOWANCE = f"""%(base)s + COALESCE(
    (SELECT extra FROM {Grant._meta.db_table} WHERE user_id = %(user_id)s AND resource = %(resource)s), 0)"""

# One statement does the whole decision, so parallel requests queue on the rows they touch:
# 1. with an item, note it as unlocked this period, unless it already is (then the use is free);
# 2. only if it was new (or there is no item), count one use, only while under the allowance;
# 3. only if counted and a capped guest, count one use for the address, only while under its cap.
_CONSUME_SQL = f"""
WITH allowance AS (SELECT {_ALLOWANCE} AS uses
), unlocked AS (
    INSERT INTO {Unlock._meta.db_table} (reader, resource, period, item, user_id, created_at)
    SELECT %(reader)s, %(resource)s, %(period)s, %(item)s, %(user_id)s, %(now)s
    -- A plain index look-up first keeps the common case (a re-use) from attempting an insert.
    WHERE %(item)s IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM {Unlock._meta.db_table}
        WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s AND item = %(item)s
    )
    ON CONFLICT (reader, resource, period, item) DO NOTHING
    RETURNING 1
), counted AS (
    INSERT INTO {Usage._meta.db_table} AS usage (reader, resource, period, used, user_id, updated_at)
    SELECT %(reader)s, %(resource)s, %(period)s, 1, %(user_id)s, %(now)s FROM allowance
    WHERE (%(item)s IS NULL OR EXISTS (SELECT 1 FROM unlocked)) AND allowance.uses > 0
    ON CONFLICT (reader, resource, period)
    DO UPDATE SET used = usage.used + 1, updated_at = EXCLUDED.updated_at
    WHERE usage.used < (SELECT uses FROM allowance)
    RETURNING used
), addressed AS (
    INSERT INTO {AddressUsage._meta.db_table} AS usage (address_hash, resource, day, used)
    SELECT %(address_hash)s, %(resource)s, %(day)s, 1
    WHERE EXISTS (SELECT 1 FROM counted) AND %(capped)s AND %(cap)s > 0
    ON CONFLICT (address_hash, resource, day) DO UPDATE SET used = usage.used + 1
    WHERE usage.used < %(cap)s
    RETURNING used
)
SELECT (SELECT count(*) FROM unlocked),
       (SELECT used FROM counted),
       (SELECT used FROM addressed),
       COALESCE((SELECT used FROM {Usage._meta.db_table}
                 WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s), 0),
       (SELECT uses FROM allowance)
"""

# A refused use takes back what the statement above wrote (same transaction: nobody saw it).
_UNDO_UNLOCK_SQL = f"""
DELETE FROM {Unlock._meta.db_table}
WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s AND item = %(item)s
"""
_UNDO_COUNT_SQL = f"""
UPDATE {Usage._meta.db_table} SET used = used - 1
WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s
"""


def consume(*, reader: Reader, resource: str, item: str | None, now: datetime) -> Decision:
    """Decide whether `reader` may use `resource` (unlocking `item`), using one of its uses if
    needed. item=None: every call counts."""
    found = rule(resource)
    base = found.allowance(reader.kind)
    renewal = renews_on(now, found.period)
    if base is None:
        return Decision(True, Reason.UNLIMITED, None, renewal, reader, resource)

    capped = reader.is_guest and found.guest_per_address_per_day is not None
    params = {
        "reader": reader.key,
        "resource": resource,
        "period": period_start(now, found.period),
        "item": item,
        "user_id": reader.user_id,
        "now": now,
        "base": base,
        "capped": capped,
        "address_hash": reader.address_hash,
        "day": timezone.localdate(now),
        "cap": found.guest_per_address_per_day or 0,
    }
    # Inside the request's transaction (@meter.metered) this adds no statement; called alone,
    # it makes one, so that an undo below is never seen half done.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_CONSUME_SQL, params)
        unlocked, counted, addressed, used_before, allowance = cursor.fetchone()
        if item is not None and not unlocked:
            remaining = max(allowance - used_before, 0)
            return Decision(True, Reason.ALREADY_UNLOCKED, remaining, renewal, reader, resource)
        if counted is None:
            if item is not None:
                cursor.execute(_UNDO_UNLOCK_SQL, params)
            return Decision(False, Reason.EXHAUSTED, 0, renewal, reader, resource)
        remaining = allowance - counted
        if capped:
            if addressed is None:
                if item is not None:
                    cursor.execute(_UNDO_UNLOCK_SQL, params)
                cursor.execute(_UNDO_COUNT_SQL, params)
                return Decision(False, Reason.ADDRESS_EXHAUSTED, 0, renewal, reader, resource)
            remaining = min(remaining, params["cap"] - addressed)
    return Decision(True, Reason.GRANTED, remaining, renewal, reader, resource)


_PEEK_SQL = f"""
SELECT %(item)s IS NOT NULL AND EXISTS (
           SELECT 1 FROM {Unlock._meta.db_table}
           WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s AND item = %(item)s),
       COALESCE((SELECT used FROM {Usage._meta.db_table}
                 WHERE reader = %(reader)s AND resource = %(resource)s AND period = %(period)s), 0),
       {_ALLOWANCE}
"""


def peek(*, reader: Reader, resource: str, item: str | None, now: datetime) -> Decision:
    """What consume() would say, without using anything: one read, no lock, no write.

    Its "already unlocked" and "unlimited" are final (nothing would be counted), and so is its
    "exhausted", since a period's count never goes down; its "granted" is only a forecast.
    """
    found = rule(resource)
    base = found.allowance(reader.kind)
    renewal = renews_on(now, found.period)
    if base is None:
        return Decision(True, Reason.UNLIMITED, None, renewal, reader, resource)
    params = {
        "reader": reader.key,
        "resource": resource,
        "period": period_start(now, found.period),
        "item": item,
        "user_id": reader.user_id,
        "base": base,
    }
    with connection.cursor() as cursor:
        cursor.execute(_PEEK_SQL, params)
        unlocked, used, allowance = cursor.fetchone()
    return _peek_decision(reader, resource, renewal, unlocked, used, allowance)


def _peek_decision(reader, resource, renewal, unlocked: bool, used: int, allowance: int) -> Decision:
    remaining = max(allowance - used, 0)
    if unlocked:
        return Decision(True, Reason.ALREADY_UNLOCKED, remaining, renewal, reader, resource)
    if remaining:
        return Decision(True, Reason.GRANTED, remaining, renewal, reader, resource)
    return Decision(False, Reason.EXHAUSTED, 0, renewal, reader, resource)


def peek_columns(*, reader: Reader, resource: str, now: datetime, item_sql: str) -> dict[str, RawSQL]:
    """peek() as columns of the caller's own query, so that the row a use unlocks and what the
    meter says of it come in one statement: `Code.objects.annotate(**peek_columns(...))`.

    item_sql is that query's SQL for the item (a column of its own, such as
    '"lookup_code"."id"::text'); the meter knows nothing of the table. Read the row back with
    peeked(). No columns for a reader who is not counted.
    """
    found = rule(resource)
    base = found.allowance(reader.kind)
    if base is None:
        return {}
    key = (reader.key, resource, period_start(now, found.period))
    return {
        "meter_unlocked": RawSQL(
            f"EXISTS (SELECT 1 FROM {Unlock._meta.db_table} WHERE reader = %s AND resource = %s"
            f" AND period = %s AND item = {item_sql})",
            key,
            output_field=BooleanField(),
        ),
        "meter_used": RawSQL(
            f"COALESCE((SELECT used FROM {Usage._meta.db_table} WHERE reader = %s AND resource = %s"
            " AND period = %s), 0)",
            key,
            output_field=IntegerField(),
        ),
        "meter_allowance": RawSQL(
            f"%s + COALESCE((SELECT extra FROM {Grant._meta.db_table} WHERE user_id = %s AND resource = %s), 0)",
            (base, reader.user_id, resource),
            output_field=IntegerField(),
        ),
    }


def peeked(*, reader: Reader, resource: str, now: datetime, row) -> Decision:
    """peek()'s decision from a row read with peek_columns()."""
    found = rule(resource)
    renewal = renews_on(now, found.period)
    if found.allowance(reader.kind) is None:
        return Decision(True, Reason.UNLIMITED, None, renewal, reader, resource)
    return _peek_decision(reader, resource, renewal, row.meter_unlocked, row.meter_used, row.meter_allowance)


def remaining(*, reader: Reader, resource: str, now: datetime) -> int | None:
    """Uses left this period; None: not counted."""
    return peek(reader=reader, resource=resource, item=None, now=now).remaining


def grant(*, user, resource: str, extra: int) -> int:
    """Give `user` `extra` more uses of `resource` every period (negative takes back, down to
    none). Returns the account's extra uses now."""
    rule(resource)  # an unknown resource is a mistake, not a silent row
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Grant._meta.db_table} AS given (user_id, resource, extra)
            VALUES (%(user_id)s, %(resource)s, GREATEST(%(extra)s, 0))
            ON CONFLICT (user_id, resource) DO UPDATE SET extra = GREATEST(given.extra + %(extra)s, 0)
            RETURNING extra
            """,
            {"user_id": user.pk, "resource": resource, "extra": extra},
        )
        return cursor.fetchone()[0]


def guest_usage_carry(*, guest_id: str, user, now: datetime) -> int:
    """Carry what a guest used this period over to the account it logged in to, for every
    resource: its unlocked items stay unlocked and its uses count for the account.

    The guest's own rows keep their count (logging out gives no new guest use); they are marked
    carried so that logging in again does not count them twice. Returns the uses carried.
    """
    if user.is_unmetered:
        return 0
    guest_key = f"guest:{guest_id}"
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for resource in settings.METER_RULES:
            period = period_start(now, rule(resource).period)
            params = {
                "guest": guest_key,
                "reader": f"user:{user.pk}",
                "resource": resource,
                "period": period,
                "user_id": user.pk,
                "now": now,
            }
            # Claimed in one statement: of two logins at once, one carries and the other finds
            # the row carried already.
            cursor.execute(
                f"""
                UPDATE {Usage._meta.db_table} SET carried_to_id = %(user_id)s
                WHERE reader = %(guest)s AND resource = %(resource)s AND period = %(period)s
                  AND carried_to_id IS NULL
                RETURNING used
                """,
                params,
            )
            claimed = cursor.fetchone()
            if claimed is None:
                continue
            cursor.execute(
                f"""
                WITH carried AS (
                    INSERT INTO {Unlock._meta.db_table} (reader, resource, period, item, user_id, created_at)
                    SELECT %(reader)s, resource, period, item, %(user_id)s, created_at
                    FROM {Unlock._meta.db_table}
                    WHERE reader = %(guest)s AND resource = %(resource)s AND period = %(period)s
                    ON CONFLICT (reader, resource, period, item) DO NOTHING
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM carried),
                       (SELECT count(*) FROM {Unlock._meta.db_table}
                        WHERE reader = %(guest)s AND resource = %(resource)s AND period = %(period)s)
                """,
                params,
            )
            new_unlocks, guest_unlocks = cursor.fetchone()
            # Items the account had already unlocked cost it nothing again; uses without an
            # item (questions) are all carried.
            carried = new_unlocks + max(claimed[0] - guest_unlocks, 0)
            if carried:
                cursor.execute(
                    f"""
                    INSERT INTO {Usage._meta.db_table} AS usage (reader, resource, period, used, user_id, updated_at)
                    VALUES (%(reader)s, %(resource)s, %(period)s, %(carried)s, %(user_id)s, %(now)s)
                    ON CONFLICT (reader, resource, period) DO UPDATE
                    SET used = usage.used + EXCLUDED.used, updated_at = EXCLUDED.updated_at
                    """,
                    {**params, "carried": carried},
                )
            total += carried
    return total


def usage_prune(*, older_than_days: int, now: datetime) -> dict[str, int]:
    """Delete usage records of periods that ended more than `older_than_days` ago."""
    cutoff = timezone.localdate(now) - timedelta(days=older_than_days)
    deleted = {"address": AddressUsage.objects.filter(day__lt=cutoff).delete()[0], "unlocks": 0, "usage": 0}
    # A "never" period starts in 2000 and never ends: its usage is never old.
    usage = Usage.objects.exclude(period=NEVER_PERIOD)
    unlocks = Unlock.objects.exclude(period=NEVER_PERIOD)
    # A month's records are old once the whole month is: keep the month holding the cutoff.
    # Resources with no rule (any more) are treated as monthly, the safer guess.
    daily = [resource for resource in settings.METER_RULES if rule(resource).period == "day"]
    for records in (usage, unlocks):
        old = records.filter(resource__in=daily, period__lt=cutoff) | records.exclude(
            resource__in=daily
        ).filter(period__lt=cutoff.replace(day=1))
        deleted["usage" if records is usage else "unlocks"] = old.delete()[0]
    return deleted


# What an item is, for people (the admin, the account page): an app that meters items says
# how to name them, and where each one is read.

_item_labels: dict[str, Callable[[list[str]], dict[str, str]]] = {}
_item_links: dict[str, Callable[[list[str]], dict[str, tuple[str, str]]]] = {}


def describe_items(
    resource: str,
    labels: Callable[[list[str]], dict[str, str]],
    links: Callable[[list[str]], dict[str, tuple[str, str]]] | None = None,
) -> None:
    """Register `labels(items) -> {item: label}` for a resource's items (from an AppConfig.ready()),
    and optionally `links(items) -> {item: (label, url)}`, in the order to list them."""
    _item_labels[resource] = labels
    if links is not None:
        _item_links[resource] = links


def item_labels(resource: str, items: list[str]) -> dict[str, str]:
    labels = _item_labels.get(resource)
    found = labels(items) if labels else {}
    return {item: found.get(item, item) for item in items}


def item_links(resource: str, items: list[str]) -> list[tuple[str, str]]:
    """(label, url) of each item its app can link to, in the app's order; [] when it cannot."""
    links = _item_links.get(resource)
    return list(links(items).values()) if links and items else []


# What an account used: its own page.


@dataclass(frozen=True)
class ResourceUsage:
    """One resource on the account page: this period's uses and what they unlocked."""

    resource: str
    used: int
    allowance: int | None  # None: not counted
    renews_on: date | None
    unlocked: list[tuple[str, str]]  # (label, url) of the items free to use again this period

    @property
    def remaining(self) -> int | None:
        return None if self.allowance is None else max(self.allowance - self.used, 0)


def account_usage(*, user, now: datetime) -> list[ResourceUsage]:
    """Every resource's use by `user` this period: three queries, and one per resource whose
    app links its items (what it unlocked)."""
    reader = reader_for_user(user)
    rules = [rule(resource) for resource in settings.METER_RULES]
    periods = {found.resource: period_start(now, found.period) for found in rules}
    used = {
        (row.resource, row.period): row.used
        for row in Usage.objects.filter(
            reader=reader.key, resource__in=periods, period__in=set(periods.values())
        )
    }
    extra = dict(Grant.objects.filter(user_id=user.pk).values_list("resource", "extra"))
    items: dict[str, list[str]] = {}
    unlocks = Unlock.objects.filter(reader=reader.key, resource__in=periods, period__in=set(periods.values()))
    for resource, period, item in unlocks.order_by("created_at").values_list("resource", "period", "item"):
        if periods[resource] == period:
            items.setdefault(resource, []).append(item)
    usages = []
    for found in rules:
        base = found.allowance(reader.kind)
        usages.append(
            ResourceUsage(
                resource=found.resource,
                used=used.get((found.resource, periods[found.resource]), 0),
                allowance=None if base is None else base + extra.get(found.resource, 0),
                renews_on=renews_on(now, found.period),
                unlocked=item_links(found.resource, items.get(found.resource, [])),
            )
        )
    return usages
