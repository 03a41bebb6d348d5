from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("fee_schedules")


def test_staff_can_read_but_not_edit_the_imported_fee_schedule(admin_client):
    listing = admin_client.get("/admin/billing/feescheduleitem/", {"q": "77307"})

    assert listing.status_code == 200
    assert listing.content.decode().count("77307") >= 6  # three modifiers in two years
    assert admin_client.get("/admin/billing/feescheduleitem/add/").status_code == 403
    assert admin_client.get("/admin/billing/locality/", {"q": "LOS ANGELES"}).status_code == 200
