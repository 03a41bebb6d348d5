"""The code-page section registry (lookup/sections.py): how another app's section appears."""

from __future__ import annotations

import ast
from types import SimpleNamespace

import pytest
from django.conf import settings

from lookup import sections
from lookup.sections import Section

pytestmark = pytest.mark.usefixtures("demo_codes")


@pytest.fixture
def crosswalk(monkeypatch):
    """A section as a later app would register it, with a data function that records its calls."""
    calls = []

    def data(*, code, params):
        calls.append((code.code, params.get("year")))
        row = SimpleNamespace(value="X", meaning=f"crosswalk of {code.code}")
        return SimpleNamespace(rows=[("Crosswalk", [row])], detail=SimpleNamespace(added_date=None))

    section = Section(
        slug="crosswalk",
        title="Crosswalk",
        template="lookup/_hcpcs_detail.html",
        data=data,
        applies=lambda code: code.system.slug == "icd-10-cm",
        params=("year",),
        order=30,
    )
    monkeypatch.setitem(sections._registry, section.slug, section)
    return calls


def test_a_guest_sees_the_placeholder_and_the_data_is_never_computed(client, crosswalk):
    html = client.get("/icd-10-cm/E11.9/").content.decode()

    assert 'aria-label="Crosswalk (locked)"' in html
    assert "crosswalk of E11.9" not in html
    assert crosswalk == []


def test_a_member_sees_it_in_its_order_and_only_where_it_applies(client, member, crosswalk):
    html = client.get("/icd-10-cm/E11.9/").content.decode()

    assert "crosswalk of E11.9" in html
    assert html.index("crosswalk of E11.9") < html.index('id="history-heading"')  # order 30 < 40
    assert "Crosswalk" not in client.get("/cpt/77307/").content.decode()


def test_its_html_is_kept_unless_the_request_names_one_of_its_params(client, member, crosswalk):
    client.get("/icd-10-cm/E11.9/")
    client.get("/icd-10-cm/E11.9/?utm=x")  # not one of its params: kept
    client.get("/icd-10-cm/E11.9/?year=2025")

    assert crosswalk == [("E11.9", None), ("E11.9", "2025")]


def test_a_second_section_with_the_same_slug_is_refused(crosswalk):
    with pytest.raises(ValueError, match="already registered"):
        sections.register(Section(slug="crosswalk", title="Other", template="x.html", data=lambda **_: None))


def test_lookup_imports_no_feature_app():
    # Features plug into lookup (sections, importers); lookup never reaches back into them.
    lookup = settings.BASE_DIR / "lookup"
    features = {"billing", "rules", "casepilot", "consultant", "jobs", "api"}
    reaching = [
        f"{path.relative_to(settings.BASE_DIR)}: {name}"
        for path in lookup.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [alias.name for alias in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
        if name.split(".")[0] in features
    ]

    assert reaching == []


def test_a_reader_part_is_rendered_per_request_never_kept(client, member, monkeypatch):
    """A per-reader part (lookup.sections.ReaderPart, as members' star): in its place, for
    each request afresh, with the reader's own data."""
    seen = []

    def render(*, request, code, decision):
        seen.append(request.user.email)
        return {"tools": f"<b>tool for {request.user.email}</b>", "after_descriptions": "<i>below</i>"}

    monkeypatch.setitem(sections._reader_parts, "probe", sections.ReaderPart(slug="probe", render=render))
    for _ in range(2):
        html = client.get("/icd-10-cm/E11.9/").content.decode()
    assert seen == ["member@example.com", "member@example.com"]
    assert html.index("<b>tool for member@example.com</b>") < html.index('id="official-heading"')
    assert html.index('id="plain-heading"') < html.index("<i>below</i>") < html.index('id="notes-heading"')


def test_a_reader_part_naming_an_unknown_place_is_refused(client, monkeypatch):
    part = sections.ReaderPart(slug="lost", render=lambda **kwargs: {"sidebar": "x"})
    monkeypatch.setitem(sections._reader_parts, "lost", part)
    with pytest.raises(ValueError, match="unknown place"):
        client.get("/icd-10-cm/E11.9/")
    with pytest.raises(ValueError, match="already registered"):
        sections.register_reader_part(sections.ReaderPart(slug="lost", render=lambda **kwargs: None))
