"""The rules sections on real code pages: shown to members, a placeholder for guests."""

from __future__ import annotations

from tests.rules.conftest import GEM_FILES, load, load_ncci_samples


def test_a_member_sees_places_modifiers_and_ncci_after_the_fee_schedule(client, member, fees):
    load_ncci_samples()
    html = client.get("/cpt/77307/").content.decode()
    positions = [
        html.index(f'id="{slug}"') for slug in ("fee-schedule", "places-of-service", "modifiers", "ncci")
    ]
    assert positions == sorted(positions)
    assert 'href="/modifiers/26/"' in html and 'href="/pos/21/"' in html
    assert "77306" in html and "Per day, absolute" in html  # its pair and its MUE
    # A chosen page of pairs and a chosen year are rendered afresh.
    assert client.get("/cpt/77307/?ncci_page=2").status_code == 200
    assert "CY2024" in client.get("/cpt/77307/?year=2024").content.decode()


def test_a_guest_sees_a_placeholder_not_the_rules(client, fees):
    load_ncci_samples()
    html = client.get("/cpt/77307/").content.decode()
    assert "Modifiers and NCCI edits" in html
    assert 'id="modifiers"' not in html and 'id="ncci"' not in html and "77306" not in html


def test_a_member_sees_the_crosswalk_of_a_diagnosis(client, member, demo_codes):
    for path in GEM_FILES:
        load("gems", path)
    html = client.get("/icd-10-cm/E11.22/").content.decode()
    assert 'id="crosswalk"' in html and "250.40" in html and "Combination" in html
    assert 'id="modifiers"' not in html


def test_a_code_the_schedule_does_not_pay_says_so_once_instead_of_a_table_of_modifiers(client, member, fees):
    # J1100 (dexamethasone) is status E in the samples: CMS prices drugs elsewhere.
    html = client.get("/hcpcs/J1100/").content.decode()
    section = html[html.index('id="modifiers"') :]
    section = section[: section.index("</section>")]
    assert "CMS does not pay J1100 under the CY2025 Medicare Physician Fee Schedule (status E)" in section
    assert "<table" not in section and "Not applicable" not in section
    assert 'href="/modifiers/JW/"' in section and client.get("/modifiers/JW/").status_code == 200
