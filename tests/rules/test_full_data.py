"""Places of service and modifier links on the official HCPCS and fee-schedule files, as `make run`
loads them (the session-wide full_data import)."""

from __future__ import annotations

import re

import pytest

from billing.models import FeeScheduleItem
from lookup.models import Code
from rules.modifiers import HCPCS_EXPLANATIONS
from tests.factories import make_account

pytestmark = [pytest.mark.full_data, pytest.mark.django_db]


def test_every_modifier_of_the_hcpcs_file_points_to_its_page(client, full_data):
    modifiers = Code.objects.filter(system__slug="hcpcs", kind=Code.Kind.MODIFIER)
    assert modifiers.count() > 300

    html = client.get("/hcpcs/LT/").content.decode()

    assert '<a href="/modifiers/LT/">Modifier LT: what it means, the edits it may break</a>' in html
    # Every modifier we explain is in CMS's file (or is one of CPT's, which it does not carry).
    missing = set(HCPCS_EXPLANATIONS) - set(modifiers.values_list("key", flat=True))
    assert missing == set(), missing


def test_modifier_50_lists_the_bilateral_codes_of_cy2025(client, full_data):
    bilateral = FeeScheduleItem.objects.filter(
        schedule__year=2025, modifier="", bilateral_surgery__in=["1", "3"]
    )

    html = client.get("/modifiers/50/").content.decode()

    assert f"In the CY2025 Medicare Physician Fee Schedule, {bilateral.count()} codes have bilateral" in html
    first = sorted(bilateral.values_list("hcpcs", flat=True))[:24]
    links = re.findall(r'href="/(?:cpt|hcpcs)/([^/]+)/#modifiers"', html)
    assert links == first


def test_a_real_code_in_an_asc_shows_the_facility_amount_and_its_condition(client, full_data):
    client.force_login(make_account("biller@example.com", verified=True))
    item = FeeScheduleItem.objects.get(schedule__year=2025, hcpcs="27447", modifier="")

    html = client.get("/cpt/27447/?year=2025&pos=24").content.decode()

    result = html[html.index('id="fee-pos-result"') :]
    assert f"<strong>${item.national_facility:,.2f}</strong>" in result
    assert "list of procedures covered in an ASC" in result
