"""Modifiers named on code pages link to their pages, and each modifier page links back to the
codes and sections where it matters."""

from __future__ import annotations

import re

import pytest

from rules import tools
from rules.modifiers import NCCI_MODIFIER_SET, all_modifiers
from tests.lookup.importing import import_file
from tests.rules.conftest import SAMPLES

MODIFIER_LINK = re.compile(r'href="(/modifiers/[^"/]+/)"')


def section(html: str, slug: str) -> str:
    start = html.index(f'id="{slug}"')
    return html[start : html.index("</section>", start)]


def assert_every_link_opens(client, html: str) -> set[str]:
    links = set(MODIFIER_LINK.findall(html))
    for link in links:
        assert client.get(link).status_code == 200, link
    return links


@pytest.fixture
def hcpcs(db):
    import_file("hcpcs", SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt")


def test_the_fee_schedule_links_the_modifiers_it_names(client, member, fees):
    fee = section(client.get("/cpt/77307/").content.decode(), "fee-schedule")

    assert '<a href="/modifiers/26/">Professional component (26)</a>' in fee
    assert '<a href="/modifiers/TC/">Technical component (TC)</a>' in fee
    assert 'professional component (modifier <a href="/modifiers/26/">26</a>' in fee
    assert 'Multiple procedures (modifier <a href="/modifiers/51/">51</a>)' in fee
    assert 'Assistant at surgery (<a href="/modifiers/80/">80</a>, <a href="/modifiers/81/">81</a>' in fee
    assert '<a href="/modifiers/AS/">AS</a>)' in fee
    assert assert_every_link_opens(client, fee) >= {
        f"/modifiers/{m}/" for m in ("26", "TC", "50", "62", "66")
    }


def test_a_discontinued_procedure_line_links_modifier_53(client, member, fees):
    fee = section(client.get("/cpt/45378/").content.decode(), "fee-schedule")

    assert '<a href="/modifiers/53/">Discontinued procedure (53)</a>' in fee
    assert_every_link_opens(client, fee)


def test_the_global_package_shares_link_54_55_and_56(client, member, fees):
    fee = section(client.get("/cpt/27447/").content.decode(), "fee-schedule")

    assert (
        'Pre / intra / post-operative shares (<a href="/modifiers/56/">56</a>, <a href="/modifiers/54/">54</a>, '
        '<a href="/modifiers/55/">55</a>)'
    ) in fee
    assert_every_link_opens(client, fee)


def test_the_ncci_section_links_each_modifier_that_may_break_an_edit(client, member, fees, ncci):
    html = section(client.get("/cpt/77307/").content.decode(), "ncci")

    assert 'distinct service <a href="/modifiers/59/">59</a>, <a href="/modifiers/XE/">XE</a>' in html
    assert 'other <a href="/modifiers/27/">27</a>, <a href="/modifiers/91/">91</a>' in html
    # Every modifier that may break an edit is linked, and has a page.
    assert assert_every_link_opens(client, html) == {f"/modifiers/{m}/" for m in NCCI_MODIFIER_SET}


def test_the_pair_checker_links_every_modifier_that_may_break_the_edit(client, member, ncci):
    html = client.get("/check/", {"codes": "77307,77300"}).content.decode()

    assert '<a href="/modifiers/XU/">XU</a>' in html and '<a href="/modifiers/T9/">T9</a>' in html
    assert assert_every_link_opens(client, html) >= {f"/modifiers/{m}/" for m in NCCI_MODIFIER_SET}


def test_an_hcpcs_modifier_s_code_page_points_to_its_modifier_page(client, hcpcs):
    html = client.get("/hcpcs/LT/").content.decode()  # a guest: the pointer is public

    part = section(html, "modifier-page")
    assert "Modifier LT in coding rules" in part and "done on the left side of the body" in part
    assert "may break an NCCI edit whose modifier indicator is 1" in part
    assert '<a href="/modifiers/LT/">Modifier LT: what it means, the edits it may break</a>' in part


def test_a_modifier_we_do_not_explain_still_points_to_its_page(client, hcpcs):
    part = section(client.get("/hcpcs/A1/").content.decode(), "modifier-page")

    assert '<a href="/modifiers/A1/">Modifier A1: what it means</a>' in part
    assert client.get("/modifiers/A1/").status_code == 200


def test_procedure_codes_have_no_modifier_pointer(client, member, fees):
    assert 'id="modifier-page"' not in client.get("/cpt/77307/").content.decode()


def test_the_modifier_list_links_each_modifier(client, hcpcs):
    html = client.get("/modifiers/").content.decode()

    links = set(MODIFIER_LINK.findall(html))
    assert links == {m.url for m in all_modifiers()}
    assert {"/modifiers/26/", "/modifiers/27/", "/modifiers/91/", "/modifiers/A1/", "/modifiers/LT/"} <= links
    assert_every_link_opens(client, html)


def test_modifier_26_lists_the_codes_it_applies_to_and_links_their_modifiers_section(client, fees):
    html = client.get("/modifiers/26/").content.decode()

    part = section(html, "where-it-applies")
    # 71046, 77300 and 77307 have PC/TC indicator 1 in the CY2025 sample.
    assert "In the CY2025 Medicare Physician Fee Schedule, 3 codes have PC/TC indicator 1 or 6" in part
    assert re.findall(r'href="([^"]+)"', part) == ["/cpt/71046/#modifiers", "/cpt/77300/#modifiers", "/cpt/77307/#modifiers"]  # fmt: skip


@pytest.mark.parametrize(
    ("modifier", "links"),
    [
        ("50", ["/cpt/27447/#modifiers"]),  # bilateral indicator 1
        ("57", ["/cpt/27447/#modifiers"]),  # the one 90-day global period
        ("25", ["/cpt/45378/#modifiers", "/cpt/45380/#modifiers"]),  # 0-day global periods
        ("53", ["/cpt/45378/#fee-schedule"]),  # its own -53 line
        ("AS", ["/cpt/27447/#modifiers"]),  # assistant at surgery indicator 2
    ],
)
def test_each_payment_modifier_links_the_codes_its_indicator_allows(client, fees, modifier, links):
    part = section(client.get(f"/modifiers/{modifier}/").content.decode(), "where-it-applies")

    assert re.findall(r'href="([^"]+)"', part) == links


def test_an_hcpcs_modifier_page_links_its_code_page_and_edits_it_may_break(client, ncci, hcpcs):
    html = client.get("/modifiers/LT/").content.decode()

    assert '<a href="/hcpcs/LT/">its code page</a>' in html
    pairs = re.findall(r'href="(/check/\?codes=[^"]+)"', html)
    assert pairs and all(p.endswith("-LT") for p in pairs)
    assert client.get(pairs[0]).status_code in (200, 403)  # the checker is for members
    assert 'id="where-it-applies"' not in html  # no fee-schedule indicator governs LT


def test_without_the_fee_schedule_a_modifier_page_lists_no_codes(client, db):
    html = client.get("/modifiers/26/").content.decode()

    assert 'id="where-it-applies"' not in html and "/check/?codes=" not in html


def test_the_modifier_page_costs_a_few_queries(client, fees, ncci, django_assert_max_num_queries):
    client.get("/modifiers/59/")
    with django_assert_max_num_queries(8):
        assert client.get("/modifiers/26/").status_code == 200


def test_codes_for_modifier_gives_the_facts_with_their_source(fees, ncci):
    uses = tools.codes_for_modifier("tc")

    assert (uses.modifier, uses.year, uses.count) == ("TC", 2025, 3)
    assert [ref.code for ref in uses.codes] == ["71046", "77300", "77307"]
    assert uses.source.url == "/modifiers/TC/" and "CY2025 Physician Fee Schedule" in uses.source.release
    assert all(ref.title == "" or "77307" not in ref.title for ref in uses.codes)  # never a CPT descriptor
    ncci_only = tools.codes_for_modifier("59")
    assert ncci_only.count == 0 and ncci_only.pairs and "NCCI PTP" in ncci_only.source.release
    assert tools.codes_for_modifier("ZZ") is None and tools.codes_for_modifier("<b>") is None
