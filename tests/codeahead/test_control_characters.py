"""A NUL or other control character in a path is a 404 and in a query parameter a 400, on every view."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lookup.models import Code

pytestmark = pytest.mark.usefixtures("demo_codes")

BAD_PATHS = [
    "/icd-10-cm/changes/%00/",
    "/icd-10-cm/changes/2026%01/",
    "/icd-10-cm/%00/",
    "/icd-10-cm/browse/E11%00/",
    "/icd-10-cm/range/E00%00E89/",
    "/cpt/range/%00-%00/",
    "/code/E11%1F9/",
    "/%00/",
    "/admin/lookup/code/{pk}/history/%00/",
    "/admin/lookup/code/{pk}%00/change/",
]
BAD_QUERIES = [
    "/search?q=E11%00",
    "/search?q%00=E11",
    "/search?q=dexa%00methasone",
    "/search?q=E11&page=%00",
    "/icd-10-cm/E11.9/?x=%7F",
    "/admin/lookup/code/?system__id__exact=%00",
    "/admin/lookup/code/?q=%00",
    "/admin/lookup/code/{pk}/history/?o=%00",
    "/accounts/login/?next=/%00",
]


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "a-long-passphrase")
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", BAD_PATHS)
def test_a_control_character_in_the_path_is_not_found(client, editor, url):
    pk = Code.objects.get(system__slug="icd-10-cm", code="E11.9").pk

    response = client.get(url.format(pk=pk))

    assert response.status_code == 404, url


@pytest.mark.parametrize("url", BAD_QUERIES)
def test_a_control_character_in_a_query_parameter_is_a_bad_request(client, editor, url):
    pk = Code.objects.get(system__slug="icd-10-cm", code="E11.9").pk

    response = client.get(url.format(pk=pk))

    assert response.status_code == 400, url
    assert "Bad request" in response.content.decode()


def test_ordinary_urls_and_whitespace_in_a_search_still_work(client, editor):
    assert client.get("/icd-10-cm/E11.9/").status_code == 200
    assert client.get("/search?q=E11.9%09").status_code in {200, 302}
    assert client.get("/admin/lookup/code/?q=E11").status_code == 200
