"""Code page view quotas: who may open a code page, decided and counted here only.

Rules (settings.QUOTA_*): a guest gets QUOTA_GUEST_VIEWS views per period; an account whose
email is verified gets QUOTA_ACCOUNT_EXTRA_VIEWS more (plus any extra views staff granted);
an unverified account keeps the guest's allowance; staff and unlimited plans are not counted.
Re-viewing a code already unlocked in the period is free. Guests are also capped per client
address per day, so new cookies do not give new views.

The counting is done by PostgreSQL: each step is one conditional statement
(INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... RETURNING), so parallel requests queue on
the row and none passes the limit. Run inside the request's transaction (@counts_page_view),
a request that fails afterwards rolls its view back.

Most views are re-views. page_view_peek answers them with one plain read, outside any
transaction; only a view that may be counted goes on to page_view_consume, which decides.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import GuestAddressUsage, PageViewUnlock, PageViewUsage, User

if TYPE_CHECKING:
    from lookup.models import Code

NEVER_PERIOD = date(2000, 1, 1)


class Kind(enum.StrEnum):
    GUEST = "guest"
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    UNLIMITED = "unlimited"


@dataclass(frozen=True)
class Subject:
    """Whoever is reading: an account or a guest cookie, with what the rules need to know."""

    key: str
    kind: Kind
    user_id: int | None = None
    extra_views: int = 0
    address_hash: str = ""

    @property
    def allowance(self) -> int | None:
        """Views per period; None means not counted."""
        if self.kind == Kind.UNLIMITED:
            return None
        if self.kind == Kind.GUEST:
            return settings.QUOTA_GUEST_VIEWS
        if self.kind == Kind.UNVERIFIED:
            return settings.QUOTA_GUEST_VIEWS + self.extra_views
        return settings.QUOTA_GUEST_VIEWS + settings.QUOTA_ACCOUNT_EXTRA_VIEWS + self.extra_views

    @property
    def is_registered(self) -> bool:
        """A verified (or unlimited) account: it may see the sections beyond the descriptions."""
        return self.kind in (Kind.VERIFIED, Kind.UNLIMITED)


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
    subject: Subject
    remaining: int | None  # None: unlimited
    renews_on: date | None  # None: never

    @property
    def counted(self) -> bool:
        return self.reason == Reason.GRANTED

    # For the banner's wording.
    @property
    def guest_views(self) -> int:
        return settings.QUOTA_GUEST_VIEWS

    @property
    def account_extra_views(self) -> int:
        return settings.QUOTA_ACCOUNT_EXTRA_VIEWS


def subject_for_user(user: User) -> Subject:
    if user.has_unlimited_views:
        return Subject(key=f"user:{user.pk}", kind=Kind.UNLIMITED, user_id=user.pk)
    # accounts.backends loads the flag with the user; ask only for a user loaded otherwise.
    verified = getattr(user, "email_verified", None)
    if verified is None:
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    return Subject(
        key=f"user:{user.pk}",
        kind=Kind.VERIFIED if verified else Kind.UNVERIFIED,
        user_id=user.pk,
        extra_views=user.extra_views,
    )


def subject_for_guest(*, guest_id: str, address_hash: str) -> Subject:
    return Subject(key=f"guest:{guest_id}", kind=Kind.GUEST, address_hash=address_hash)


def period_start(now: datetime) -> date:
    """First day of the quota period holding `now`, in the site's time zone."""
    today = timezone.localdate(now)
    if settings.QUOTA_PERIOD == "day":
        return today
    if settings.QUOTA_PERIOD == "month":
        return today.replace(day=1)
    return NEVER_PERIOD


def renews_on(now: datetime) -> date | None:
    start = period_start(now)
    if settings.QUOTA_PERIOD == "day":
        return start + timedelta(days=1)
    if settings.QUOTA_PERIOD == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return None


# One statement does the whole decision, so parallel requests queue on the rows they touch:
# 1. note the code as unlocked this period, unless it already is (then the view is free);
# 2. only if it was new, count one view, but only while under the allowance;
# 3. only if counted and a guest, count one view for the client address, only while under its cap.
_CONSUME_SQL = f"""
WITH unlocked AS (
    INSERT INTO {PageViewUnlock._meta.db_table} (subject, period, code_id, user_id, created_at)
    SELECT %(subject)s, %(period)s, %(code_id)s, %(user_id)s, %(now)s
    -- A plain index look-up first keeps the common case (a re-view) from attempting an insert.
    WHERE NOT EXISTS (
        SELECT 1 FROM {PageViewUnlock._meta.db_table}
        WHERE subject = %(subject)s AND period = %(period)s AND code_id = %(code_id)s
    )
    ON CONFLICT (subject, period, code_id) DO NOTHING
    RETURNING 1
), counted AS (
    INSERT INTO {PageViewUsage._meta.db_table} AS usage (subject, period, used, user_id, updated_at)
    SELECT %(subject)s, %(period)s, 1, %(user_id)s, %(now)s
    WHERE EXISTS (SELECT 1 FROM unlocked) AND %(allowance)s > 0
    ON CONFLICT (subject, period) DO UPDATE SET used = usage.used + 1, updated_at = EXCLUDED.updated_at
    WHERE usage.used < %(allowance)s
    RETURNING used
), addressed AS (
    INSERT INTO {GuestAddressUsage._meta.db_table} AS usage (address_hash, day, used)
    SELECT %(address_hash)s, %(day)s, 1
    WHERE EXISTS (SELECT 1 FROM counted) AND %(is_guest)s AND %(cap)s > 0
    ON CONFLICT (address_hash, day) DO UPDATE SET used = usage.used + 1
    WHERE usage.used < %(cap)s
    RETURNING used
)
SELECT (SELECT count(*) FROM unlocked),
       (SELECT used FROM counted),
       (SELECT used FROM addressed),
       COALESCE((SELECT used FROM {PageViewUsage._meta.db_table}
                 WHERE subject = %(subject)s AND period = %(period)s), 0)
"""

# A refused view takes back what the statement above wrote (same transaction: nobody saw it).
_UNDO_UNLOCK_SQL = f"""
DELETE FROM {PageViewUnlock._meta.db_table}
WHERE subject = %(subject)s AND period = %(period)s AND code_id = %(code_id)s
"""
_UNDO_COUNT_SQL = f"""
UPDATE {PageViewUsage._meta.db_table} SET used = used - 1
WHERE subject = %(subject)s AND period = %(period)s
"""


def page_view_consume(*, subject: Subject, code: Code, now: datetime) -> Decision:
    """Decide whether `subject` may open `code`'s page, using one of its views if needed."""
    allowance = subject.allowance
    renewal = renews_on(now)
    if allowance is None:
        return Decision(True, Reason.UNLIMITED, subject, None, renewal)

    is_guest = subject.kind == Kind.GUEST
    params = {
        "subject": subject.key,
        "period": period_start(now),
        "code_id": code.pk,
        "user_id": subject.user_id,
        "now": now,
        "allowance": allowance,
        "is_guest": is_guest,
        "address_hash": subject.address_hash,
        "day": timezone.localdate(now),
        "cap": settings.QUOTA_GUEST_VIEWS_PER_ADDRESS_PER_DAY,
    }
    # Inside the request's transaction (@counts_page_view) this adds no statement; called
    # alone, it makes one, so that an undo below is never seen half done.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_CONSUME_SQL, params)
        unlocked, counted, addressed, used_before = cursor.fetchone()
        if not unlocked:
            return Decision(True, Reason.ALREADY_UNLOCKED, subject, max(allowance - used_before, 0), renewal)
        if counted is None:
            cursor.execute(_UNDO_UNLOCK_SQL, params)
            return Decision(False, Reason.EXHAUSTED, subject, 0, renewal)
        remaining = allowance - counted
        if is_guest:
            if addressed is None:
                cursor.execute(_UNDO_UNLOCK_SQL, params)
                cursor.execute(_UNDO_COUNT_SQL, params)
                return Decision(False, Reason.ADDRESS_EXHAUSTED, subject, 0, renewal)
            remaining = min(remaining, params["cap"] - addressed)
    return Decision(True, Reason.GRANTED, subject, remaining, renewal)


_PEEK_SQL = f"""
SELECT EXISTS (SELECT 1 FROM {PageViewUnlock._meta.db_table}
               WHERE subject = %(subject)s AND period = %(period)s AND code_id = %(code_id)s),
       COALESCE((SELECT used FROM {PageViewUsage._meta.db_table}
                 WHERE subject = %(subject)s AND period = %(period)s), 0)
"""


def page_view_peek(*, subject: Subject, code: Code, now: datetime) -> Decision:
    """What page_view_consume would say, without using a view: one read, no lock, no write.

    Its "already unlocked" and "unlimited" are final (nothing would be counted), and so is its
    "exhausted", since a period's count never goes down; its "granted" is only a forecast.
    """
    allowance = subject.allowance
    renewal = renews_on(now)
    if allowance is None:
        return Decision(True, Reason.UNLIMITED, subject, None, renewal)
    with connection.cursor() as cursor:
        cursor.execute(_PEEK_SQL, {"subject": subject.key, "period": period_start(now), "code_id": code.pk})
        unlocked, used = cursor.fetchone()
    remaining = max(allowance - used, 0)
    if unlocked:
        return Decision(True, Reason.ALREADY_UNLOCKED, subject, remaining, renewal)
    if remaining:
        return Decision(True, Reason.GRANTED, subject, remaining, renewal)
    return Decision(False, Reason.EXHAUSTED, subject, 0, renewal)


def page_views_remaining(*, subject: Subject, now: datetime) -> int | None:
    allowance = subject.allowance
    if allowance is None:
        return None
    usage = PageViewUsage.objects.filter(subject=subject.key, period=period_start(now)).first()
    return max(allowance - (usage.used if usage else 0), 0)


def guest_usage_carry(*, guest_id: str, user: User, now: datetime) -> int:
    """Carry the codes a guest unlocked this period over to the account it logged in to.

    The guest's own row keeps its count (logging out gives no new guest view); it is marked
    carried so that logging in again does not count it twice. Returns the views carried.
    """
    if user.has_unlimited_views:
        return 0
    guest_key = f"guest:{guest_id}"
    period = period_start(now)
    with transaction.atomic():
        claimed = PageViewUsage.objects.filter(subject=guest_key, period=period, carried_to=None).update(
            carried_to=user
        )
        if not claimed:
            return 0
        params = {
            "guest": guest_key,
            "subject": f"user:{user.pk}",
            "period": period,
            "user_id": user.pk,
            "now": now,
        }
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH carried AS (
                    INSERT INTO {PageViewUnlock._meta.db_table} (subject, period, code_id, user_id, created_at)
                    SELECT %(subject)s, period, code_id, %(user_id)s, created_at
                    FROM {PageViewUnlock._meta.db_table} WHERE subject = %(guest)s AND period = %(period)s
                    ON CONFLICT (subject, period, code_id) DO NOTHING
                    RETURNING 1
                )
                SELECT count(*) FROM carried
                """,
                params,
            )
            carried = cursor.fetchone()[0]
            if carried:
                cursor.execute(
                    f"""
                    INSERT INTO {PageViewUsage._meta.db_table} AS usage (subject, period, used, user_id, updated_at)
                    VALUES (%(subject)s, %(period)s, %(carried)s, %(user_id)s, %(now)s)
                    ON CONFLICT (subject, period) DO UPDATE
                    SET used = usage.used + EXCLUDED.used, updated_at = EXCLUDED.updated_at
                    """,
                    {**params, "carried": carried},
                )
    return carried


def page_view_usage_prune(*, older_than_days: int, now: datetime) -> dict[str, int]:
    """Delete usage records of periods that ended more than `older_than_days` ago."""
    cutoff = timezone.localdate(now) - timedelta(days=older_than_days)
    deleted = {"address": GuestAddressUsage.objects.filter(day__lt=cutoff).delete()[0]}
    # A "never" period starts in 2000 and never ends: its usage is never old.
    periods = PageViewUsage.objects.filter(period__lt=cutoff).exclude(period=NEVER_PERIOD)
    unlocks = PageViewUnlock.objects.filter(period__lt=cutoff).exclude(period=NEVER_PERIOD)
    if settings.QUOTA_PERIOD == "month":
        # A month's records are old once the whole month is: keep the month holding the cutoff.
        periods = periods.filter(period__lt=cutoff.replace(day=1))
        unlocks = unlocks.filter(period__lt=cutoff.replace(day=1))
    deleted["unlocks"] = unlocks.delete()[0]
    deleted["usage"] = periods.delete()[0]
    return deleted
