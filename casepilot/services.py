"""Asking CasePilot: who may ask, the privacy guard, the daily allowance, and keeping the conversation.

`ask` is the one business action the views call. Its order matters: the question is cleaned,
then refused if it carries patient information (before anything is stored or counted), then
counted against the reader's allowance, then answered (by the model when one is configured,
else offline), checked, and only then stored.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from casepilot.answer import Kind, answer_question, clean_question, fixed_answer
from casepilot.facts import Answer
from casepilot.models import Conversation, Exchange
from codeahead.privacy import describe, find_patient_information
from meter.services import Decision, Reader, consume

log = logging.getLogger(__name__)

RESOURCE = "casepilot_question"


def may_ask(reader: Reader) -> bool:
    """A verified account (or staff, or the unlimited plan) may ask; guests and unverified may not."""
    return reader.is_verified_member


def question_allowance_consume(*, reader: Reader, now: datetime) -> Decision:
    """Count one question against the reader's daily allowance: the meter's rule for RESOURCE
    (settings.METER_RULES, CASEPILOT_QUESTIONS_PER_DAY for verified members; staff and the
    unlimited plan are not counted). The one place the allowance is decided."""
    return consume(reader=reader, resource=RESOURCE, item=None, now=now)


@dataclass
class Asked:
    answer: Answer
    conversation: Conversation | None = None
    exchange: Exchange | None = None
    allowance: Decision | None = None
    reasons: list[str] = field(default_factory=list)


def compose_answer(question: str, *, focus: str) -> Answer:
    """The answer to show: the model's when one is configured and it behaves, else the offline one.

    A fault of ours while answering is logged and answered honestly, never a 500 page.
    """
    from casepilot.model import answer_with_model, model_configured

    try:
        if model_configured():
            return answer_with_model(question, focus=focus)
        return answer_question(question, focus=focus)
    except Exception:
        log.exception("CasePilot could not answer %r", question[:200])
        answer = fixed_answer(
            question[:1000],
            Kind.UNKNOWN,
            "CasePilot could not answer that just now. Try asking it another way, or ask one of our coding experts.",
        )
        answer.ask_expert = True
        return answer


def ask(
    *,
    user,
    reader: Reader,
    text: str,
    conversation: Conversation | None = None,
    focus: str = "",
    now: datetime,
) -> Asked:
    question = clean_question(text)
    if not question:
        return Asked(answer=answer_question(""))
    reasons = find_patient_information(question)
    if reasons:
        refused = fixed_answer("", Kind.REFUSED, describe(reasons))
        refused.refused = True
        return Asked(answer=refused, reasons=reasons)
    if conversation is not None and not focus:
        focus = conversation.focus
    with transaction.atomic():
        allowance = question_allowance_consume(reader=reader, now=now)
        if not allowance.allowed:
            renews = f" More on {allowance.renews_on:%B %-d}." if allowance.renews_on else ""
            answer = fixed_answer(
                question[:200],
                "allowance",
                f"You have asked your {allowance.rule.allowance(reader.kind)} questions for today.{renews}",
            )
            return Asked(answer=answer, allowance=allowance)
        started = time.perf_counter()
        answer = compose_answer(question, focus=focus)
        elapsed = int((time.perf_counter() - started) * 1000)
        if answer.kind in (Kind.EMPTY,):
            return Asked(answer=answer, allowance=allowance)
        if conversation is None:
            conversation = Conversation.objects.create(user=user, title=question[:200])
        if answer.focus:
            conversation.focus = answer.focus
        conversation.save(update_fields=["focus", "updated_at"])
        exchange = Exchange.objects.create(
            conversation=conversation,
            user=user,
            question=question[:2000],
            kind=answer.kind,
            answer=answer.to_dict(),
            answer_text=answer.all_text(),
            tools_used=answer.tools_used,
            used_model=answer.used_model,
            duration_ms=elapsed,
        )
    return Asked(answer=answer, conversation=conversation, exchange=exchange, allowance=allowance)


def rate(*, exchange: Exchange, helpful: bool, comment: str, now: datetime) -> Exchange:
    exchange.helpful = helpful
    exchange.rating_comment = clean_question(comment)[:2000]
    exchange.rated_at = now
    exchange.save(update_fields=["helpful", "rating_comment", "rated_at"])
    return exchange
