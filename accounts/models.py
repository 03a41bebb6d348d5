from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class User(AbstractUser):
    """Our own user model from the first migration, so it can grow without pain."""

    class Plan(models.TextChoices):
        FREE = "free", "Free"
        UNLIMITED = "unlimited", "Unlimited"

    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.FREE)

    @property
    def is_unmetered(self) -> bool:
        """Staff and the unlimited plan use every metered resource without counting."""
        return self.is_staff or self.plan == self.Plan.UNLIMITED


class Session(AbstractBaseSession):
    """A browser's session, with the account it is logged in to as a column of its own, so
    that one query reads the session and its user together (accounts.sessions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
