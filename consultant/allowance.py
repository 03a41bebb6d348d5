"""How many questions a member may still ask: the one call `ask` makes before it stores one.

The rule is the meter's resource "consultant_question" (settings.CONSULTANT_QUESTIONS_PER_MONTH,
verified members only; staff grant more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

RESOURCE = "consultant_question"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    remaining: int
    renews_on: date


def _month(now: datetime) -> tuple[datetime, date]:
    local = timezone.localtime(now)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    renews = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, renews


def take_question(*, member, now: datetime) -> Decision:
    """Use one of `member`'s questions this month, if one is left. Call inside the transaction
    that stores the question: the member's row stays locked until it commits, so parallel
    submissions are counted one after the other."""
    from consultant.models import Question

    get_user_model().objects.select_for_update().filter(pk=member.pk).first()
    start, renews = _month(now)
    used = Question.objects.filter(member=member, submitted_at__gte=start).count()
    left = settings.CONSULTANT_QUESTIONS_PER_MONTH - used
    return Decision(allowed=left > 0, remaining=max(left - 1, 0), renews_on=renews)


def remaining(*, member, now: datetime) -> Decision:
    """What the ask page shows: questions left this month, nothing used."""
    from consultant.models import Question

    start, renews = _month(now)
    used = Question.objects.filter(member=member, submitted_at__gte=start).count()
    left = max(settings.CONSULTANT_QUESTIONS_PER_MONTH - used, 0)
    return Decision(allowed=left > 0, remaining=left, renews_on=renews)
