"""Authentication backends that load the user with whether its email is verified.

The meter needs that flag on every code page; loading it with the user (one query, which
AuthenticationMiddleware makes anyway) keeps the hottest page a query shorter.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from allauth.account.models import EmailAddress
from django.contrib.auth import backends, get_user_model
from django.db.models.expressions import RawSQL

User = get_user_model()

# Written out rather than as Exists(EmailAddress.objects.filter(...)): compiling that
# subquery costs more than the rest of the query, on every request of a logged-in user.
EMAIL_VERIFIED = RawSQL(
    f"EXISTS (SELECT 1 FROM {EmailAddress._meta.db_table} AS address"
    f" WHERE address.user_id = {User._meta.db_table}.{User._meta.pk.column} AND address.verified)",
    (),
)


class _LoadsEmailVerified:
    def get_user(self, user_id):
        try:
            user = User._default_manager.annotate(email_verified=EMAIL_VERIFIED).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AuthenticationBackend(_LoadsEmailVerified, AllauthBackend):
    """allauth's (log in by email)."""


class ModelBackend(_LoadsEmailVerified, backends.ModelBackend):
    """Django's (the admin's log in by username)."""
