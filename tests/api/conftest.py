from __future__ import annotations

import pytest

from api.keys import api_key_create
from tests.factories import make_account


@pytest.fixture(autouse=True)
def roomy_api_limits(settings):
    """Roomy limits, so that only tests/api/test_limits.py meets them (it sets its own)."""
    settings.API_KEY_RATE_LIMITS = [(10_000, 60)]
    settings.API_ANONYMOUS_RATE_LIMITS = [(10_000, 60)]


@pytest.fixture
def member_token(db):
    """A verified member's API key token."""
    user = make_account("integrator@example.com", verified=True)
    return api_key_create(user=user, name="billing system")[1]


@pytest.fixture
def unverified_token(db):
    user = make_account("new@example.com", verified=False)
    return api_key_create(user=user, name="script")[1]


@pytest.fixture
def staff_token(db):
    user = make_account("staff@example.com", verified=True, is_staff=True)
    return api_key_create(user=user, name="staff tools")[1]


def load_rules_data() -> None:
    """As tests/casepilot's conftest: both fee-schedule samples, the sample NCCI edits, MUEs and
    GEMs (fixtures/import/), and our guide articles, over the demo codes."""
    from tests.billing.conftest import SAMPLE_2024, SAMPLE_2025, import_fee_schedule
    from tests.casepilot.conftest import load_guides, load_rules_samples

    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    load_guides()
    load_rules_samples()


@pytest.fixture
def rules_data(demo_codes):
    load_rules_data()


@pytest.fixture
def rules_data_live(demo_codes_live):
    load_rules_data()
