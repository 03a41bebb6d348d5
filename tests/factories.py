"""Small helpers that make the people tests need."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "a-long-passphrase"


def make_account(email: str, *, verified: bool = True, **fields):
    """An account as allauth makes it: the email is the login, with its EmailAddress row."""
    user = get_user_model().objects.create_user(email.split("@")[0], email, PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
