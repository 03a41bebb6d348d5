"""The code-page panel: it names the code, asks with it in focus, and says not to enter patient information."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from casepilot.panel import panel_html
from lookup.models import Code

pytestmark = pytest.mark.usefixtures("casepilot_data")


def test_the_panel_names_the_code_and_asks_with_it_in_focus(rf: RequestFactory, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/cpt/77307/")
    request.user = AnonymousUser()
    html = panel_html(code=Code.objects.select_related("system").get(key="77307"), request=request)
    assert "Have a question about CPT® Code 77307?" in html
    assert 'name="focus" value="cpt:77307"' in html
    assert 'action="/casepilot/"' in html
    assert "Do not enter patient information" in html
    assert "Asking needs a free verified account" in html
    assert "How much does Medicare pay for 77307?" in html


def test_the_panel_for_an_icd_code_offers_its_own_examples(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/icd-10-cm/S52.521/")
    request.user = AnonymousUser()
    html = panel_html(code=Code.objects.select_related("system").get(key="S52521"), request=request)
    assert "Have a question about ICD-10-CM Code S52.521?" in html
    assert "Which 7th character for S52.521?" in html
