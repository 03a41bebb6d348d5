"""What the meter counts: per reader, resource and period. Written only by meter.services,
with conditional SQL so that no race lets a reader past its allowance.

A reader is "user:<id>" or "guest:<random id>"; a resource is a name from
settings.METER_RULES ("code_page", "casepilot_question", ...); an item is whatever a use
unlocks (a code page: the code's id), kept as text so the meter depends on no other app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Usage(models.Model):
    """How many uses of a resource one reader made in one period."""

    reader = models.CharField(max_length=64, help_text="user:<id> or guest:<random id>")
    resource = models.CharField(max_length=40)
    period = models.DateField(help_text="First day of the period")
    used = models.PositiveIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="meter_usage"
    )
    carried_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The account this guest's uses were carried over to when it logged in",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "resource", "period"], name="meter_usage_once")
        ]
        indexes = [models.Index(fields=["period"])]
        verbose_name_plural = "usage"

    def __str__(self) -> str:
        return f"{self.reader} {self.resource} {self.period:%Y-%m-%d}: {self.used}"


class Unlock(models.Model):
    """An item a reader unlocked in a period: using it again in that period is free."""

    reader = models.CharField(max_length=64)
    resource = models.CharField(max_length=40)
    period = models.DateField()
    item = models.CharField(max_length=64, help_text="What was unlocked, e.g. a code's id")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meter_unlocks",
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["reader", "resource", "period", "item"], name="meter_unlock_once")
        ]
        indexes = [models.Index(fields=["period"])]

    def __str__(self) -> str:
        return f"{self.reader} {self.resource} {self.period:%Y-%m-%d}: {self.item}"


class AddressUsage(models.Model):
    """Guest uses from one client address in one day, so fresh cookies do not give endless uses.

    The address is stored only as a keyed hash (codeahead.client.address_hash).
    """

    address_hash = models.CharField(max_length=64)
    resource = models.CharField(max_length=40)
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["address_hash", "resource", "day"], name="meter_address_usage_once"
            )
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name_plural = "guest address usage"

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… {self.resource} {self.day:%Y-%m-%d}: {self.used}"


class Grant(models.Model):
    """More uses of a resource that staff gave one account, every period, on top of its rule's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meter_grants")
    resource = models.CharField(max_length=40)
    extra = models.PositiveIntegerField(default=0, help_text="Uses per period on top of the rule's")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="meter_grant_once")]

    def __str__(self) -> str:
        return f"{self.user} {self.resource}: +{self.extra}"
