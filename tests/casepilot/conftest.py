from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule
from tests.factories import make_account
from tests.rules.conftest import GEM_FILES, load, load_ncci_samples


def load_guides() -> None:
    # Transactional tests flush every table, the guides the data migration wrote too.
    importlib.import_module("casepilot.migrations.0002_guide_articles").create_articles(apps, None)


def load_rules_samples() -> None:
    """The sample NCCI PTP and MUE files and the four GEM files the rules tests load."""
    load_ncci_samples()
    for path in GEM_FILES:
        load("gems", path)


@pytest.fixture
def casepilot_data_without_rules(demo_codes):
    """The demo codes, both sample years of the fee schedule and our guide articles; no rule files."""
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    load_guides()


@pytest.fixture
def casepilot_data(casepilot_data_without_rules):
    """As above, with the sample NCCI edits, MUEs and GEMs loaded."""
    load_rules_samples()


@pytest.fixture
def casepilot_data_live(demo_codes_live):
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    load_guides()
    load_rules_samples()


@pytest.fixture
def member(db, client):
    """A verified member, logged in."""
    user = make_account("coder@example.com", verified=True)
    client.force_login(user)
    return user
