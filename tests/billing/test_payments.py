from __future__ import annotations

from decimal import Decimal

import pytest

from billing.models import FeeScheduleItem, Locality, to_cents

pytestmark = pytest.mark.usefixtures("fee_schedules")


def row(year: int, code: str, modifier: str = "") -> FeeScheduleItem:
    return FeeScheduleItem.objects.select_related("schedule").get(
        schedule__year=year, hcpcs=code, modifier=modifier
    )


def test_77307_national_payment_2025():
    # PPRRVU25_JAN.csv: 77307,,..,A,,2.90,5.69,,5.69,NA,0.17,8.76,8.76,... CF 32.3465
    # 8.76 x 32.3465 = 258.7720 (8 x) + 24.583340 (0.76 x) = 283.355340 -> $283.36
    item = row(2025, "77307")

    assert item.total_nonfacility == item.total_facility == Decimal("8.76")
    assert item.conversion_factor == Decimal("32.3465")
    assert item.national_nonfacility == item.national_facility == Decimal("283.36")


def test_77307_national_payment_2024():
    # PPRRVU24_JAN.csv: 77307,,..,A,,2.90,5.56,,5.56,NA,0.16,8.62,8.62,... CF 32.7442
    # 8.62 x 32.7442 = 261.9536 (8 x) + 20.301404 (0.62 x) = 282.255004 -> $282.26
    item = row(2024, "77307")

    assert item.total_nonfacility == Decimal("8.62")
    assert item.conversion_factor == Decimal("32.7442")
    assert item.national_nonfacility == Decimal("282.26")


def test_77307_professional_and_technical_components_2025():
    # 26: 4.62 x 32.3465 = 129.3860 + 20.054830 = 149.440830 -> $149.44
    # TC: 4.14 x 32.3465 = 129.3860 + 4.528510 = 133.914510 -> $133.91
    assert row(2025, "77307", "26").national_nonfacility == Decimal("149.44")
    assert row(2025, "77307", "TC").national_nonfacility == Decimal("133.91")


def test_office_visit_differs_by_setting():
    # 99213 2025: non-facility 2.75 x 32.3465 = 88.952875 -> $88.95; facility 1.97 x 32.3465 = 63.722605 -> $63.72
    item = row(2025, "99213")

    assert (item.national_nonfacility, item.national_facility) == (Decimal("88.95"), Decimal("63.72"))


def test_locality_payment_uses_each_gpci():
    # Los Angeles (MAC 01182, locality 18), 2025 GPCIs: work 1.042, PE 1.194, MP 0.690
    # 77307: (2.90 x 1.042) + (5.69 x 1.194) + (0.17 x 0.690) = 3.0218 + 6.79386 + 0.1173 = 9.93296
    # 9.93296 x 32.3465 = 321.296490640 -> $321.30
    los_angeles = Locality.objects.get(schedule__year=2025, mac="01182", number="18")
    item = row(2025, "77307")

    assert item.adjusted_rvus(los_angeles, facility=False) == Decimal("9.93296")
    assert item.local_payment(los_angeles, facility=False) == Decimal("321.30")


def test_amounts_round_half_up_to_the_cent():
    assert to_cents(Decimal("0.125")) == Decimal("0.13")
    assert to_cents(Decimal("0.124999")) == Decimal("0.12")
    assert to_cents(Decimal("282.255004")) == Decimal("282.26")


def test_codes_whose_status_is_not_paid_have_no_payment():
    assert row(2025, "77307").is_paid
    assert not row(2025, "A0428").is_paid  # X: statutory exclusion (ambulance)
    assert not row(2025, "J1100").is_paid  # E: excluded from the fee schedule
