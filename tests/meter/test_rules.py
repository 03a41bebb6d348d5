"""The meter's rules, straight through its service functions (meter.services)."""

from __future__ import annotations

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from codeahead.client import address_hash
from lookup.models import Code
from meter import services
from meter.models import AddressUsage, Grant, Unlock, Usage
from tests.factories import make_account

pytestmark = pytest.mark.usefixtures("demo_codes")

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=NEW_YORK)


@pytest.fixture
def code_page_rule(settings):
    """Change the code page rule for one test: code_page_rule(period="day")."""

    def change(**values):
        settings.METER_RULES = {
            **settings.METER_RULES,
            "code_page": {**settings.METER_RULES["code_page"], **values},
        }

    return change


def guest(address: str = "203.0.113.7") -> services.Reader:
    return services.reader_for_guest(guest_id=secrets.token_hex(16), address_hash=address_hash(address))


def account(email: str, **fields) -> services.Reader:
    return services.reader_for_user(make_account(email, **fields))


def codes(count: int) -> list[Code]:
    found = list(Code.objects.order_by("pk")[:count])
    assert len(found) == count
    return found


def view(reader: services.Reader, code: Code, now: datetime = NOW) -> services.Decision:
    return services.consume(reader=reader, resource="code_page", item=str(code.pk), now=now)


def views_granted(reader: services.Reader, attempts: int, now: datetime = NOW) -> list[bool]:
    return [view(reader, code, now).allowed for code in codes(attempts)]


def with_grant(email: str, extra: int) -> services.Reader:
    user = make_account(email)
    services.grant(user=user, resource="code_page", extra=extra)
    return services.reader_for_user(user)


@pytest.mark.parametrize(
    ("who", "make_reader", "allowance"),
    [
        ("guest", lambda: guest(), 1),
        ("unverified account", lambda: account("new@example.com", verified=False), 1),
        ("verified account", lambda: account("reader@example.com"), 6),
        ("verified account granted 2 more", lambda: with_grant("vip@example.com", 2), 8),
        ("staff", lambda: account("staff@example.com", is_staff=True), None),
        ("unlimited plan", lambda: account("pro@example.com", plan="unlimited"), None),
    ],
)
def test_each_kind_of_reader_gets_exactly_its_allowance(who, make_reader, allowance):
    reader = make_reader()
    attempts = 12

    before = services.remaining(reader=reader, resource="code_page", now=NOW)
    granted = views_granted(reader, attempts)

    assert before == allowance, who
    expected = attempts if allowance is None else allowance
    assert granted == [True] * expected + [False] * (attempts - expected), who
    if allowance is None:
        assert not Usage.objects.exists(), "unlimited readers are not counted"


def test_unverified_accounts_are_told_to_verify_not_given_member_sections():
    reader = account("new@example.com", verified=False)

    decision = view(reader, codes(1)[0])

    assert decision.allowed and decision.remaining == 0
    assert reader.kind == services.Kind.UNVERIFIED and not reader.is_verified_member
    assert account("reader@example.com").is_verified_member
    assert not guest().is_verified_member


def test_viewing_an_unlocked_code_again_is_free():
    reader = account("reader@example.com")
    first, *others = codes(6)
    view(reader, first)
    for code in others:
        view(reader, code)

    again = view(reader, first)
    new = view(reader, codes(7)[-1])

    assert again.allowed and again.reason == services.Reason.ALREADY_UNLOCKED and again.remaining == 0
    assert not again.counted
    assert not new.allowed
    assert Usage.objects.get(reader=reader.key).used == 6


def test_peek_tells_without_counting():
    reader = account("reader@example.com")
    code = codes(1)[0]

    before = services.peek(reader=reader, resource="code_page", item=str(code.pk), now=NOW)
    assert before.allowed and before.counted and before.remaining == 6
    assert not Usage.objects.exists() and not Unlock.objects.exists()

    view(reader, code)
    after = services.peek(reader=reader, resource="code_page", item=str(code.pk), now=NOW)
    assert after.reason == services.Reason.ALREADY_UNLOCKED and after.remaining == 5


def test_grants_add_up_and_take_back_no_lower_than_none():
    user = make_account("vip@example.com")

    assert services.grant(user=user, resource="code_page", extra=3) == 3
    assert services.grant(user=user, resource="code_page", extra=2) == 5
    assert services.grant(user=user, resource="code_page", extra=-9) == 0
    assert Grant.objects.get(user=user).extra == 0
    assert services.remaining(reader=services.reader_for_user(user), resource="code_page", now=NOW) == 6


def test_questions_count_every_call_per_day_for_verified_accounts_only(settings):
    settings.METER_RULES = {
        **settings.METER_RULES,
        "casepilot_question": {"guest": 0, "unverified": 0, "verified": 3, "period": "day"},
    }
    reader = account("reader@example.com")

    asked = [
        services.consume(reader=reader, resource="casepilot_question", item=None, now=NOW).allowed
        for _ in range(5)
    ]
    tomorrow = services.consume(
        reader=reader,
        resource="casepilot_question",
        item=None,
        now=datetime(2026, 11, 28, 0, 1, tzinfo=NEW_YORK),
    )

    assert asked == [True, True, True, False, False]
    assert tomorrow.allowed and tomorrow.remaining == 2
    assert not Unlock.objects.exists()
    # Questions and code pages are counted apart.
    assert services.remaining(reader=reader, resource="code_page", now=NOW) == 6
    for who in (guest(), account("new@example.com", verified=False)):
        refused = services.consume(reader=who, resource="casepilot_question", item=None, now=NOW)
        assert not refused.allowed and refused.reason == services.Reason.EXHAUSTED


def test_the_default_question_rules(settings):
    assert settings.METER_RULES["casepilot_question"] == {
        "guest": 0,
        "unverified": 0,
        "verified": 20,
        "period": "day",
    }
    assert settings.METER_RULES["consultant_question"] == {
        "guest": 0,
        "unverified": 0,
        "verified": 3,
        "period": "month",
    }
    assert services.remaining(reader=guest(), resource="consultant_question", now=NOW) == 0


def test_a_guest_who_registers_keeps_what_it_used_and_has_five_left():
    visitor = guest()
    read = codes(1)[0]
    assert view(visitor, read).allowed
    user = make_account("reader@example.com")

    carried = services.guest_usage_carry(guest_id=visitor.key.removeprefix("guest:"), user=user, now=NOW)
    again = services.guest_usage_carry(guest_id=visitor.key.removeprefix("guest:"), user=user, now=NOW)

    member = services.reader_for_user(user)
    assert (carried, again) == (1, 0)
    assert services.remaining(reader=member, resource="code_page", now=NOW) == 5
    # The code read as a guest stays unlocked for the account, for free.
    assert view(member, read).reason == services.Reason.ALREADY_UNLOCKED
    assert views_granted(member, 7).count(True) == 6  # the read one (free) and 5 new
    # Logging out gives no new guest view: the guest's own count stays used.
    assert not view(visitor, codes(2)[1]).allowed


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
def test_the_allowance_renews_at_the_period_boundary(code_page_rule, period, last_moment, first_moment_after):
    code_page_rule(period=period)
    reader = account("reader@example.com")

    assert views_granted(reader, 7, now=last_moment).count(True) == 6
    renewed = view(reader, codes(7)[-1], now=first_moment_after)

    assert renewed.allowed and renewed.remaining == 5
    assert renewed.renews_on > first_moment_after.date()
    assert services.renews_on(last_moment, period) == first_moment_after.date()


def test_a_never_renewing_allowance_stays_used(code_page_rule):
    code_page_rule(period="never")
    reader = account("reader@example.com")
    views_granted(reader, 6)

    years_later = view(reader, codes(7)[-1], now=datetime(2030, 1, 1, tzinfo=NEW_YORK))

    assert not years_later.allowed and years_later.renews_on is None


def test_new_guest_cookies_from_one_address_stop_at_the_daily_cap():
    decisions = [view(guest("198.51.100.1"), code) for code in codes(5)]

    assert [d.allowed for d in decisions] == [True, True, True, False, False]
    assert decisions[3].reason == services.Reason.ADDRESS_EXHAUSTED
    # A refused view leaves nothing behind: 3 unlocks, 3 counted views.
    assert Unlock.objects.count() == 3
    assert sorted(Usage.objects.values_list("used", flat=True)) == [0, 0, 1, 1, 1]
    # Another address is not affected; the next day the address may read again.
    assert view(guest("198.51.100.2"), codes(1)[0]).allowed
    tomorrow = datetime(2026, 11, 28, 9, 0, tzinfo=NEW_YORK)
    assert view(guest("198.51.100.1"), codes(1)[0], now=tomorrow).allowed


def test_addresses_are_stored_as_keyed_hashes(settings):
    view(guest("198.51.100.1"), codes(1)[0])

    stored = AddressUsage.objects.get().address_hash
    assert "198.51.100.1" not in stored and len(stored) == 64
    settings.SECRET_KEY = "another-secret-key-" + "y" * 40
    assert address_hash("198.51.100.1") != stored


def test_ipv6_addresses_count_per_64_network():
    assert address_hash("2001:db8:1:2::1") == address_hash("2001:db8:1:2:ffff::9")
    assert address_hash("2001:db8:1:2::1") != address_hash("2001:db8:1:3::1")
    # IPv4 clients seen through a dual-stack socket stay one address each.
    assert address_hash("::ffff:198.51.100.1") == address_hash("198.51.100.1")
    assert address_hash("::ffff:198.51.100.1") != address_hash("::ffff:198.51.100.2")


def test_a_zero_guest_allowance_refuses_guests(code_page_rule):
    code_page_rule(guest=0, unverified=0, verified=5)

    assert views_granted(guest(), 2) == [False, False]
    assert views_granted(account("reader@example.com"), 6).count(True) == 5
    assert not Unlock.objects.filter(reader__startswith="guest:").exists()


def test_an_unknown_resource_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        services.consume(reader=guest(), resource="no_such_thing", item=None, now=NOW)


def test_prune_deletes_usage_older_than_the_given_age(code_page_rule):
    code_page_rule(period="day")
    reader = account("reader@example.com")
    old = datetime(2025, 1, 10, 12, 0, tzinfo=NEW_YORK)
    views_granted(reader, 2, now=old)
    views_granted(guest(), 1, now=old)
    today = timezone.now()
    views_granted(reader, 1, now=today)

    call_command("prune_usage", "--days", "30")

    assert list(Usage.objects.values_list("period", flat=True)) == [timezone.localdate(today)]
    assert Unlock.objects.count() == 1
    assert not AddressUsage.objects.exists()
