from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule
from tests.factories import make_account


def load_guides() -> None:
    # Transactional tests flush every table, the guides the data migration wrote too.
    importlib.import_module("casepilot.migrations.0002_guide_articles").create_articles(apps, None)


@pytest.fixture
def casepilot_data(demo_codes):
    """The demo codes, both sample years of the fee schedule and our guide articles."""
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    load_guides()


@pytest.fixture
def casepilot_data_live(demo_codes_live):
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    load_guides()


@pytest.fixture
def member(db, client):
    """A verified member, logged in."""
    user = make_account("coder@example.com", verified=True)
    client.force_login(user)
    return user
