"""What search engines read: the sitemap index and its files, robots.txt, the favicon."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from codeahead.sitemaps import register
from lookup.models import Code, CodeChange, CodeSystem, Release
from lookup.sitemaps import BrowseSitemap, CodeSitemap

pytestmark = pytest.mark.usefixtures("demo_codes")

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content)


def locations(root: ET.Element, tag: str) -> list[str]:
    return [element.findtext("s:loc", namespaces=NS) for element in root.findall(f"s:{tag}", NS)]


def urls_of(client, section: str, page: int = 1) -> dict[str, str | None]:
    root = parse(client.get(f"/sitemap-{section}.xml", {"p": page}))
    return {
        url.findtext("s:loc", namespaces=NS).removeprefix("http://testserver"): url.findtext(
            "s:lastmod", namespaces=NS
        )
        for url in root.findall("s:url", NS)
    }


def test_the_index_lists_every_section(client):
    response = client.get("/sitemap.xml")
    index = locations(parse(response), "sitemap")

    assert {
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-codes.xml",
        "http://testserver/sitemap-browse.xml",
        "http://testserver/sitemap-jobs.xml",
        "http://testserver/sitemap-rules.xml",
        "http://testserver/sitemap-kb.xml",
        "http://testserver/sitemap-guides.xml",
    } <= set(index)
    assert "public" in response["Cache-Control"]


def test_the_codes_file_has_every_code_page_at_its_canonical_address(client):
    listed = urls_of(client, "codes")

    codes = list(Code.objects.select_related("system"))
    assert len(listed) == len(codes)
    assert set(listed) == {code.get_absolute_url() for code in codes}


def test_lastmod_is_the_release_that_last_changed_the_code(client):
    cm = CodeSystem.objects.get(slug="icd-10-cm")
    first = Release.objects.create(system=cm, version="2025-04", date=datetime.date(2025, 4, 1))
    second = Release.objects.create(system=cm, version="2026-04", date=datetime.date(2026, 4, 1))
    CodeChange.objects.create(release=second, code=Code.objects.get(system=cm, key="E119"), kind="revised")
    CodeChange.objects.create(release=first, code=Code.objects.get(system=cm, key="E11"), kind="added")

    listed = urls_of(client, "codes")

    assert listed["/icd-10-cm/E11.9/"] == "2026-04-01"
    assert listed["/icd-10-cm/E11/"] == "2025-04-01"
    assert listed["/icd-10-cm/I10/"] == "2025-04-01"  # unchanged since the first release
    assert listed["/cpt/99213/"] is None  # no CPT release is loaded
    index = parse(client.get("/sitemap.xml"))
    codes_entry = next(
        e for e in index.findall("s:sitemap", NS) if e.findtext("s:loc", namespaces=NS).endswith("codes.xml")
    )
    assert codes_entry.findtext("s:lastmod", namespaces=NS) == "2026-04-01"


def test_browse_file_has_the_codes_with_codes_under_them(client):
    listed = urls_of(client, "browse")

    parents = {
        f"/{code.system.slug}/browse/{code.code}/"
        for code in Code.objects.select_related("system").filter(children__isnull=False).distinct()
    }
    assert set(listed) == parents and parents
    for path in list(listed)[:3]:
        assert client.get(path).status_code == 200


def test_pages_file_has_home_systems_and_releases(client):
    Release.objects.create(
        system=CodeSystem.objects.get(slug="hcpcs"), version="2026-01", date=datetime.date(2026, 1, 1)
    )
    listed = urls_of(client, "pages")
    assert {"/", "/icd-10-cm/", "/cpt/", "/hcpcs/", "/hcpcs/changes/2026-01/"} <= set(listed)


def test_rules_file_has_modifier_and_place_pages(client):
    listed = urls_of(client, "rules")
    assert {"/modifiers/", "/modifiers/25/", "/pos/", "/pos/11/"} <= set(listed)
    assert client.get("/modifiers/25/").status_code == 200


def test_a_file_is_a_range_of_ids_not_an_offset():
    # What each file asks PostgreSQL: an index range from the id its page starts at.
    rows = CodeSitemap().items()
    page = rows[10:20]
    ids = list(Code.objects.order_by("id").values_list("id", flat=True))
    assert len(page) == 10
    assert [code for _, code, _ in page] == list(
        Code.objects.filter(id__in=ids[10:20]).order_by("id").values_list("code", flat=True)
    )
    with pytest.raises(TypeError):
        rows[3]


def test_a_section_is_paged_at_its_limit_and_the_index_lists_every_page(client, monkeypatch):
    monkeypatch.setattr(CodeSitemap, "limit", 10)
    count = Code.objects.count()
    pages = -(-count // 10)

    index = locations(parse(client.get("/sitemap.xml")), "sitemap")
    code_files = [loc for loc in index if "sitemap-codes.xml" in loc]

    assert code_files == ["http://testserver/sitemap-codes.xml"] + [
        f"http://testserver/sitemap-codes.xml?p={page}" for page in range(2, pages + 1)
    ]
    seen = [path for page in range(1, pages + 1) for path in urls_of(client, "codes", page)]
    assert len(seen) == len(set(seen)) == count
    assert client.get("/sitemap-codes.xml", {"p": pages + 1}).status_code == 404


@pytest.mark.parametrize("query", [{"p": "0"}, {"p": "x"}, {"p": "-1"}, {"p": "1.5"}])
def test_a_bad_page_is_a_404(client, query):
    assert client.get("/sitemap-codes.xml", query).status_code == 404


def test_an_unknown_section_is_a_404(client):
    assert client.get("/sitemap-passwords.xml").status_code == 404


def test_no_file_may_hold_more_than_fifty_thousand_urls():
    class TooBig(CodeSitemap):
        limit = 50_001

    with pytest.raises(ValueError):
        register("too-big", TooBig)
    assert CodeSitemap.limit <= 50_000 and BrowseSitemap.limit <= 50_000


def test_a_codes_file_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    # The count, the systems, their first releases, the page, the changes of its codes.
    with django_assert_max_num_queries(5):
        client.get("/sitemap-codes.xml")
    with django_assert_max_num_queries(5):
        client.get("/sitemap-browse.xml")


def test_no_member_page_is_in_any_file(client):
    index = locations(parse(client.get("/sitemap.xml")), "sitemap")
    every = [loc for file in index for loc in urls_of(client, file.split("sitemap-")[1].split(".xml")[0])]
    for private in (
        "/members/",
        "/accounts/",
        "/check/",
        "/casepilot/conversations",
        "/api/keys/",
        "/admin/",
    ):
        assert not [loc for loc in every if private in loc], private


def test_robots_txt_opens_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()

    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert text.startswith("User-agent: *\n")
    for path in ("/accounts/", "/members/", "/admin/", "/api/", "/check/", "/casepilot/", "/consultant/"):
        assert f"Disallow: {path}\n" in text
    assert "Allow: /consultant/kb/\n" in text and "Allow: /casepilot/guides/\n" in text
    assert "Sitemap: http://testserver/sitemap.xml\n" in text
    assert "Disallow: /\n" not in text  # code pages stay open


def test_the_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'href="/static/favicon.svg" type="image/svg+xml"' in html
