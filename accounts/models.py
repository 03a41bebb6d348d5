from __future__ import annotations

from django.contrib.auth.models import AbstractUser
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
