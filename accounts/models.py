from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """Our own user model from the first migration, so it can grow without pain."""

    class Plan(models.TextChoices):
        FREE = "free", "Free"
        UNLIMITED = "unlimited", "Unlimited"

    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.FREE)
    extra_views = models.PositiveIntegerField(
        default=0, help_text="Code page views granted by staff on top of the plan's, every period"
    )

    @property
    def has_unlimited_views(self) -> bool:
        return self.is_staff or self.plan == self.Plan.UNLIMITED


class PageViewUsage(models.Model):
    """Code page views one reader (an account or a guest cookie) used in one period.

    Written only by accounts.quota, with conditional SQL so that no race unlocks too much.
    """

    subject = models.CharField(max_length=64, help_text="user:<id> or guest:<random id>")
    period = models.DateField(help_text="First day of the period")
    used = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="page_view_usage",
    )
    carried_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account this guest's views were carried over to when it logged in",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "period"], name="page_view_usage_once")]
        indexes = [models.Index(fields=["period"])]
        verbose_name_plural = "page view usage"

    def __str__(self) -> str:
        return f"{self.subject} {self.period:%Y-%m-%d}: {self.used}"


class PageViewUnlock(models.Model):
    """A code a reader unlocked in a period: viewing it again in that period is free."""

    subject = models.CharField(max_length=64)
    period = models.DateField()
    code = models.ForeignKey("lookup.Code", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="page_view_unlocks",
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "period", "code"], name="page_view_unlock_once")
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.period:%Y-%m-%d}: {self.code_id}"


class GuestAddressUsage(models.Model):
    """Guest views from one client address in one day, so fresh cookies do not give endless views.

    The address is stored only as a keyed hash (HMAC with SECRET_KEY).
    """

    address_hash = models.CharField(max_length=64)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["address_hash", "day"], name="guest_address_usage_once")
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name_plural = "guest address usage"

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… {self.day:%Y-%m-%d}: {self.used}"
