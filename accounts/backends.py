"""Authentication backends that load the user with whether its email is verified.

The quota needs that flag on every code page; loading it with the user (one query, which
AuthenticationMiddleware makes anyway) keeps the hottest page a query shorter.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import backends, get_user_model
from django.db.models import Exists, OuterRef


class _LoadsEmailVerified:
    def get_user(self, user_id):
        users = get_user_model()._default_manager.annotate(
            email_verified=Exists(EmailAddress.objects.filter(user=OuterRef("pk"), verified=True))
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationBackend(_LoadsEmailVerified, AllauthBackend):
    """allauth's (log in by email)."""


class ModelBackend(_LoadsEmailVerified, backends.ModelBackend):
    """Django's (the admin's log in by username)."""
