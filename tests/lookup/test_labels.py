"""Names and numbers as a coder reads them: releases, headings, ranges and counts."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string

from lookup.models import Code, CodeSystem, Release

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("system", "version", "name"),
    [
        ("icd-10-cm", "2026-04", "FY2026, April 1 update"),
        ("icd-10-cm", "2025-10", "FY2026"),
        ("icd-10-pcs", "FY2024", "FY2024"),
        ("hcpcs", "2026-01", "January 2026"),
        ("cpt", "2026", "2026"),
    ],
)
def test_release_names_as_coders_say_them(demo_codes, system, version, name):
    release = Release(
        system=CodeSystem.objects.get(slug=system), version=version, date=datetime.date(2026, 1, 1)
    )
    assert release.name == name


def test_the_long_cpt_descriptor_is_not_repeated_in_the_heading(client, demo_codes, member):
    html = client.get("/cpt/77307/").content.decode()
    heading = html[html.index("<h1") : html.index("</h1>")]

    assert (
        "Teletherapy isodose plan; complex" in heading and "multiple treatment areas" not in heading
    )  # the short one
    body = html[html.index("<body") :]
    assert body.count("Teletherapy isodose plan; complex (multiple treatment areas") == 1


def test_an_icd_heading_keeps_its_short_official_text(client, demo_codes, member):
    html = client.get("/icd-10-cm/E11.9/").content.decode()
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert "Type 2 diabetes mellitus without complications" in heading


def test_a_chapter_range_is_printed_once(client, demo_codes):
    html = client.get("/icd-10-cm/").content.decode()
    assert "Endocrine, nutritional and metabolic diseases" in html
    assert "diseases (E00-E89)" not in html


def test_browse_counts_have_thousands_separators():
    chapter = Code(code="A00-B99", key="A00-B99", kind=Code.Kind.CHAPTER, official_description="Infections")
    chapter.system = CodeSystem(slug="icd-10-cm", name="ICD-10-CM")
    chapter.code_count, chapter.billable_count = 1, 12345

    assert "12,345 billable codes" in render_to_string("lookup/_browse_row.html", {"item": chapter})
