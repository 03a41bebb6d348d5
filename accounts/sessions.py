"""Sessions in PostgreSQL that bring their user along: one query for both.

Every request of a logged-in reader needs its session and then its user (with whether its
email is verified, for the meter). Django's database sessions take a query for each; here the
session row has a user column, so one statement reads the session, joins its user and says
whether the email is verified. Nothing is kept in a process: logging out (the row is
deleted) or changing the password (the session's hash no longer matches) takes effect on the
next request, in every process.

settings.SESSION_ENGINE = "accounts.sessions"; accounts.middleware.AuthenticationMiddleware
hands the joined user to Django's own auth.get_user, which still does every check.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from accounts.models import Session, User

_USER_FIELDS = User._meta.concrete_fields
_QUOTED = connection.ops.quote_name

_SESSION_WITH_USER_SQL = f"""
SELECT session.session_data,
       {", ".join(f"account.{_QUOTED(field.column)}" for field in _USER_FIELDS)},
       EXISTS (SELECT 1 FROM {EmailAddress._meta.db_table} AS address
               WHERE address.user_id = account.id AND address.verified)
FROM {Session._meta.db_table} AS session
LEFT JOIN {User._meta.db_table} AS account ON account.id = session.user_id
WHERE session.session_key = %s AND session.expire_date > %s
"""


class SessionStore(db.SessionStore):
    """Django's database session store, on accounts.Session, loading the user with the session."""

    @classmethod
    def get_model_class(cls):
        return Session

    def joined_user(self) -> User | None:
        """The user the session row points to, as loaded with it (None: no user, or not loaded
        that way). Loads the session if it is not loaded yet."""
        self._get_session()
        return getattr(self, "_joined_user", None)

    def load(self) -> dict:
        self._joined_user = None
        if not self.session_key:  # Django's check too (SuspiciousOperation aside): no query
            return {}
        with connection.cursor() as cursor:
            cursor.execute(_SESSION_WITH_USER_SQL, [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        session_data, *user_values, email_verified = row
        if user_values[0] is not None:
            user = User.from_db(connection.alias, [field.attname for field in _USER_FIELDS], user_values)
            user.email_verified = email_verified
            self._joined_user = user
        return self.decode(session_data)

    def create_model_instance(self, data: dict) -> Session:
        session = super().create_model_instance(data)
        try:
            session.user_id = int(data.get(SESSION_KEY))
        except (TypeError, ValueError):
            session.user_id = None
        return session
