"""How many questions a member may still ask: the one call `ask` makes before it stores one.

The rule is the meter's resource "consultant_question" (settings.METER_RULES: verified members
only, CONSULTANT_QUESTIONS_PER_MONTH a month, more where staff granted them; staff unmetered).
"""

from __future__ import annotations

from datetime import datetime

from meter import services as meter

RESOURCE = "consultant_question"


def take_question(*, member, now: datetime) -> meter.Decision:
    """Use one of `member`'s questions this period, if one is left. Called inside the transaction
    that stores the question, so a question that fails to be stored gives its use back."""
    return meter.consume(reader=meter.reader_for_user(member), resource=RESOURCE, item=None, now=now)


def remaining(*, member, now: datetime) -> meter.Decision:
    """What the ask page shows: questions left this period, nothing used."""
    return meter.peek(reader=meter.reader_for_user(member), resource=RESOURCE, item=None, now=now)
