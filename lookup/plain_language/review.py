"""Staff review of a generated text: it becomes the code's own text, marked reviewed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from lookup.models import Code, PlainText


def publish_reviewed(*, code: Code, reason: str = "Generated text reviewed") -> bool:
    """Copy the code's generated text onto the code as reviewed; False when it has none.

    Saved through the model, so the code's history records who reviewed it and when.
    """
    with transaction.atomic():
        generated = PlainText.objects.filter(code=code).first()
        if generated is None:
            return False
        if not code.history.exists():
            # Imports write without history: keep the code as it stood before the review.
            Code.history.bulk_history_create(
                [Code.objects.get(pk=code.pk)], default_change_reason="As imported"
            )
        code.plain_description = generated.description
        code.plain_notes = generated.notes
        code.plain_source = Code.PlainSource.REVIEWED
        code.plain_reviewed_at = timezone.now()
        code._change_reason = reason
        code.save(update_fields=["plain_description", "plain_notes", "plain_source", "plain_reviewed_at"])
    return True
