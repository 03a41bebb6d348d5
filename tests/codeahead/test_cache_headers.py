"""Pages that depend on who reads them are never kept by a shared cache."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("demo_codes")


@pytest.mark.parametrize("url", ["/icd-10-cm/E11.9/", "/cpt/77307/", "/accounts/login/", "/accounts/email/"])
def test_personal_pages_are_private_for_guests_and_members(client, member, url):
    member_page = client.get(url)
    guest_page = type(client)().get(url)

    for response in (member_page, guest_page):
        assert "private" in response.get("Cache-Control", ""), (url, response.status_code)
