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
