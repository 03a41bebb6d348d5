"""API keys: a member's named keys, stored as the SHA-256 of the token, never the token."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=16, unique=True, help_text="The token's visible start, such as ca_1a2b3c4d"
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the whole token, in hex")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiRateCounter(models.Model):
    """Requests per client (a key or an address) and window; UNLOGGED (migration 0002)."""

    client = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "window_start"], name="api_rate_unique_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="api_rate_window_start")]

    def __str__(self) -> str:
        return f"{self.client} @ {self.window_start}: {self.hits}"
