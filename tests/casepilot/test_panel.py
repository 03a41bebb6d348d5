"""The code-page panel: every code page asks CasePilot about its code, guests' pages too."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("casepilot_data")


def test_a_guest_sees_the_panel_on_a_code_page_with_the_code_in_focus(client):
    html = client.get("/cpt/77307/").content.decode()
    assert "Have a question about CPT® Code 77307?" in html
    assert 'name="focus" value="cpt:77307"' in html
    assert 'action="/casepilot/"' in html
    assert "Do not enter patient information" in html
    assert "How much does Medicare pay for 77307?" in html
    assert "How many units of 77307 per day?" in html  # a coding-rules question, answered from the MUEs


def test_a_member_sees_it_too_and_asking_from_it_keeps_the_code(client, member):
    html = client.get("/icd-10-cm/S52.521/").content.decode()
    assert "Have a question about ICD-10-CM Code S52.521?" in html
    assert "Which 7th character for S52.521?" in html
    answer = client.get(
        "/casepilot/", {"q": "which 7th character?", "focus": "icd-10-cm:S52521"}
    ).content.decode()
    assert "S52.521A" in answer
