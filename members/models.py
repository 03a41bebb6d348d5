"""A member's own codes: the ones they starred, the ones they read lately, their private notes.

Each row belongs to one account and one code; nobody else ever sees it (members/views.py
filters every query by the signed-in user).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

NOTE_MAX_CHARS = 10_000


class Favourite(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourite_codes"
    )
    code = models.ForeignKey("lookup.Code", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="favourite_once_per_code")]

    def __str__(self) -> str:
        return f"{self.user_id} starred {self.code_id}"


class RecentCode(models.Model):
    """The last time a member read a code page; the list keeps the latest RECENT_CODES."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recent_codes")
    code = models.ForeignKey("lookup.Code", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "code"], name="recent_once_per_code")]
        indexes = [models.Index(fields=["user", "-viewed_at"], name="recent_by_user_time")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.code_id}"


class CodeNote(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="code_notes")
    code = models.ForeignKey("lookup.Code", on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code"], name="note_once_per_code"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("text"), NOTE_MAX_CHARS), name="note_at_most_max_chars"
            ),
            # An empty note is no note: saving one deletes the row.
            models.CheckConstraint(condition=~models.Q(text=""), name="note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}'s note on {self.code_id}"
