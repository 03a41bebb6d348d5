"""The quota rules, straight through the service function (accounts.quota)."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts import quota
from accounts.models import GuestAddressUsage, PageViewUnlock, PageViewUsage
from codeahead.client import address_hash
from lookup.models import Code
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=NEW_YORK)


def guest(address: str = "203.0.113.7") -> quota.Subject:
    return quota.subject_for_guest(guest_id=secrets.token_hex(16), address_hash=address_hash(address))


def codes(count: int) -> list[Code]:
    found = list(Code.objects.order_by("pk")[:count])
    assert len(found) == count
    return found


def views_granted(subject: quota.Subject, attempts: int, now: datetime = NOW) -> list[bool]:
    return [quota.page_view_consume(subject=subject, code=code, now=now).allowed for code in codes(attempts)]


def account_subject(email: str, **fields) -> quota.Subject:
    return quota.subject_for_user(make_account(email, **fields))


@pytest.mark.parametrize(
    ("who", "make_subject", "allowance"),
    [
        ("guest", lambda: guest(), 1),
        ("unverified account", lambda: account_subject("new@example.com", verified=False), 1),
        ("verified account", lambda: account_subject("reader@example.com"), 6),
        ("verified account with 2 extra views", lambda: account_subject("vip@example.com", extra_views=2), 8),
        ("staff", lambda: account_subject("staff@example.com", is_staff=True), None),
        ("unlimited plan", lambda: account_subject("pro@example.com", plan="unlimited"), None),
    ],
)
def test_each_kind_of_reader_gets_exactly_its_allowance(who, make_subject, allowance):
    subject = make_subject()
    attempts = 12

    granted = views_granted(subject, attempts)

    assert subject.allowance == allowance, who
    expected = attempts if allowance is None else allowance
    assert granted == [True] * expected + [False] * (attempts - expected), who
    if allowance is None:
        assert not PageViewUsage.objects.exists(), "unlimited readers are not counted"


def test_unverified_accounts_are_told_to_verify_not_given_sections():
    subject = account_subject("new@example.com", verified=False)

    decision = quota.page_view_consume(subject=subject, code=codes(1)[0], now=NOW)

    assert decision.allowed and decision.remaining == 0
    assert subject.kind == quota.Kind.UNVERIFIED and not subject.is_registered
    assert account_subject("reader@example.com").is_registered


def test_viewing_an_unlocked_code_again_is_free():
    subject = account_subject("reader@example.com")
    first, *others = codes(6)
    quota.page_view_consume(subject=subject, code=first, now=NOW)
    for code in others:
        quota.page_view_consume(subject=subject, code=code, now=NOW)

    again = quota.page_view_consume(subject=subject, code=first, now=NOW)
    new = quota.page_view_consume(subject=subject, code=codes(7)[-1], now=NOW)

    assert again.allowed and again.reason == quota.Reason.ALREADY_UNLOCKED and again.remaining == 0
    assert not new.allowed
    assert PageViewUsage.objects.get(subject=subject.key).used == 6


def test_a_guest_who_registers_keeps_what_it_used_and_has_five_left():
    visitor = guest()
    read = codes(1)[0]
    assert quota.page_view_consume(subject=visitor, code=read, now=NOW).allowed
    user = make_account("reader@example.com")

    carried = quota.guest_usage_carry(guest_id=visitor.key.removeprefix("guest:"), user=user, now=NOW)
    again = quota.guest_usage_carry(guest_id=visitor.key.removeprefix("guest:"), user=user, now=NOW)

    account = quota.subject_for_user(user)
    assert (carried, again) == (1, 0)
    assert quota.page_views_remaining(subject=account, now=NOW) == 5
    # The code read as a guest stays unlocked for the account, for free.
    assert (
        quota.page_view_consume(subject=account, code=read, now=NOW).reason == quota.Reason.ALREADY_UNLOCKED
    )
    assert views_granted(account, 7).count(True) == 6  # the read one (free) and 5 new
    # Logging out gives no new guest view: the guest's own count stays used.
    assert not quota.page_view_consume(subject=visitor, code=codes(2)[1], now=NOW).allowed


@pytest.mark.parametrize(
    ("period", "last_moment", "first_moment_after"),
    [
        (
            "month",
            datetime(2026, 11, 30, 23, 59, 59, tzinfo=NEW_YORK),
            datetime(2026, 12, 1, 0, 0, tzinfo=NEW_YORK),
        ),
        (
            "month",
            datetime(2026, 12, 31, 23, 59, tzinfo=NEW_YORK),
            datetime(2027, 1, 1, 0, 1, tzinfo=NEW_YORK),
        ),
        (
            "day",
            datetime(2026, 11, 27, 23, 59, tzinfo=NEW_YORK),
            datetime(2026, 11, 28, 0, 0, tzinfo=NEW_YORK),
        ),
    ],
)
def test_the_allowance_renews_at_the_period_boundary(settings, period, last_moment, first_moment_after):
    settings.QUOTA_PERIOD = period
    subject = account_subject("reader@example.com")

    assert views_granted(subject, 7, now=last_moment).count(True) == 6
    renewed = quota.page_view_consume(subject=subject, code=codes(7)[-1], now=first_moment_after)

    assert renewed.allowed and renewed.remaining == 5
    assert quota.renews_on(last_moment) == first_moment_after.date()


def test_a_never_renewing_allowance_stays_used(settings):
    settings.QUOTA_PERIOD = "never"
    subject = account_subject("reader@example.com")
    views_granted(subject, 6)

    years_later = quota.page_view_consume(
        subject=subject, code=codes(7)[-1], now=datetime(2030, 1, 1, tzinfo=NEW_YORK)
    )

    assert not years_later.allowed and years_later.renews_on is None


def test_new_guest_cookies_from_one_address_stop_at_the_daily_cap():
    decisions = [
        quota.page_view_consume(subject=guest("198.51.100.1"), code=code, now=NOW) for code in codes(5)
    ]

    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert decisions[3].reason == quota.Reason.ADDRESS_EXHAUSTED
    # A refused view leaves nothing behind: 3 unlocks, 3 counted views.
    assert PageViewUnlock.objects.count() == 3
    assert sorted(PageViewUsage.objects.values_list("used", flat=True)) == [0, 0, 1, 1, 1]
    # Another address is not affected; the next day the address may read again.
    assert quota.page_view_consume(subject=guest("198.51.100.2"), code=codes(1)[0], now=NOW).allowed
    tomorrow = datetime(2026, 11, 28, 9, 0, tzinfo=NEW_YORK)
    assert quota.page_view_consume(subject=guest("198.51.100.1"), code=codes(1)[0], now=tomorrow).allowed


def test_addresses_are_stored_as_keyed_hashes(settings):
    quota.page_view_consume(subject=guest("198.51.100.1"), code=codes(1)[0], now=NOW)

    stored = GuestAddressUsage.objects.get().address_hash
    assert "198.51.100.1" not in stored and len(stored) == 64
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    assert address_hash("198.51.100.1") != stored


def test_ipv6_addresses_count_per_64_network():
    assert address_hash("2001:db8:1:2::1") == address_hash("2001:db8:1:2:ffff::9")
    assert address_hash("2001:db8:1:2::1") != address_hash("2001:db8:1:3::1")
    # IPv4 clients seen through a dual-stack socket stay one address each.
    assert address_hash("::ffff:198.51.100.1") == address_hash("198.51.100.1")
    assert address_hash("::ffff:198.51.100.1") != address_hash("::ffff:198.51.100.2")


def test_a_zero_guest_allowance_refuses_guests(settings):
    settings.QUOTA_GUEST_VIEWS = 0

    assert views_granted(guest(), 2) == [False, False]
    assert views_granted(account_subject("reader@example.com"), 6).count(True) == 5
    assert not PageViewUnlock.objects.filter(subject__startswith="guest:").exists()


def test_prune_deletes_usage_older_than_the_given_age(settings):
    settings.QUOTA_PERIOD = "day"
    subject = account_subject("reader@example.com")
    old = datetime(2025, 1, 10, 12, 0, tzinfo=NEW_YORK)
    views_granted(subject, 2, now=old)
    views_granted(guest(), 1, now=old)
    today = timezone.now()
    views_granted(subject, 1, now=today)

    call_command("prune_page_views", "--days", "30")

    assert list(PageViewUsage.objects.values_list("period", flat=True)) == [timezone.localdate(today)]
    assert PageViewUnlock.objects.count() == 1
    assert not GuestAddressUsage.objects.exists()
