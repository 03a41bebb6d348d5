"""Migrating a database from before the meter: the quota's rows become the meter's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0003_shared_cache_table"), ("meter", "0001_initial")]
AFTER = [("accounts", "0004_meter_took_usage"), ("meter", "0002_usage_from_accounts")]


@pytest.mark.django_db(transaction=True)
def test_usage_unlocks_addresses_and_extra_views_move_to_the_meter(demo_codes_live):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("accounts", "User")
    Code = old.get_model("lookup", "Code")
    now = timezone.now()
    reader = User.objects.create(username="reader", email="reader@example.com", extra_views=2)
    User.objects.create(username="plain", email="plain@example.com")
    code = Code.objects.get(key="E119")
    old.get_model("accounts", "PageViewUsage").objects.create(
        subject=f"user:{reader.pk}", period=now.date().replace(day=1), used=1, user=reader
    )
    old.get_model("accounts", "PageViewUnlock").objects.create(
        subject=f"user:{reader.pk}", period=now.date().replace(day=1), code=code, user=reader, created_at=now
    )
    old.get_model("accounts", "GuestAddressUsage").objects.create(
        address_hash="a" * 64, day=now.date(), used=2
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    new = executor.loader.project_state(AFTER).apps

    usage = new.get_model("meter", "Usage").objects.get()
    assert (usage.reader, usage.resource, usage.used, usage.user_id) == (
        f"user:{reader.pk}",
        "code_page",
        1,
        reader.pk,
    )
    unlock = new.get_model("meter", "Unlock").objects.get()
    assert (unlock.resource, unlock.item) == ("code_page", str(code.pk))
    address = new.get_model("meter", "AddressUsage").objects.get()
    assert (address.address_hash, address.resource, address.used) == ("a" * 64, "code_page", 2)
    grants = list(new.get_model("meter", "Grant").objects.values_list("user_id", "resource", "extra"))
    assert grants == [(reader.pk, "code_page", 2)]  # an account with no extra views gets no grant
    assert "extra_views" not in {f.name for f in new.get_model("accounts", "User")._meta.get_fields()}
