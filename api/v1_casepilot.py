"""POST /api/v1/casepilot/questions: a verified member's key asks CasePilot, as on the site.

casepilot.services.ask does everything the site's question box does, in the same order: the
patient-information guard (a refusal is a 400 and stores nothing), the daily allowance (the
meter's "casepilot_question", shared with the site: used up there is used up here, a 429 with
Retry-After until it renews; staff and the unlimited plan are not counted), the answer, its
checker, and the conversation kept on the account.
"""

from __future__ import annotations

import math
from datetime import datetime, time

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from api.caller import Caller
from api.errors import ApiError
from api.rule_facts import absolute
from api.serialize import site_url
from api.v1 import ERRORS, ErrorOut
from casepilot import services
from casepilot.answer import MAX_QUESTION_LENGTH, clean_question, expert_url
from casepilot.facts import Answer
from casepilot.models import Conversation
from codeahead.middleware import QUERY_CONTROL_CHARACTERS

router = Router(tags=["CasePilot"])


class QuestionIn(Schema):
    question: str
    conversation: int | None = None  # a conversation of the key's account, for follow-up questions


class CitationOut(Schema):
    number: int
    url: str | None
    label: str
    release: str


class AnswerFactOut(Schema):
    text: str
    details: list[str]
    citation: int  # the number of its entry in citations


class LinkOut(Schema):
    url: str | None
    label: str


class AllowanceOut(Schema):
    remaining: int | None  # None: not counted (staff, the unlimited plan)
    renews_on: str | None


class AnswerOut(Schema):
    question: str
    kind: str
    headline: str
    summary: str | None
    facts: list[AnswerFactOut]
    citations: list[CitationOut]
    warnings: list[str]  # what the checker found and corrected, and other flags
    suggestions: list[LinkOut]
    ask_expert: str | None  # where to ask one of our coding experts, when the answer suggests it
    used_model: bool
    conversation: int | None
    conversation_url: str | None
    allowance: AllowanceOut


def answer_json(answer: Answer) -> dict:
    numbers = {(s.url, s.label): n for n, s in enumerate(answer.citations, start=1)}
    return {
        "question": answer.question,
        "kind": answer.kind,
        "headline": answer.headline,
        "summary": answer.summary or None,
        "facts": [
            {"text": f.text, "details": f.details, "citation": numbers[(f.source.url, f.source.label)]}
            for f in answer.facts
        ],
        "citations": [
            {"number": n, "url": absolute(s.url), "label": s.label, "release": s.release}
            for n, s in enumerate(answer.citations, start=1)
        ],
        "warnings": answer.flags,
        "suggestions": [{"url": absolute(link.url), "label": link.label} for link in answer.suggestions],
        "ask_expert": site_url(expert_url(answer.question)) if answer.ask_expert else None,
        "used_model": answer.used_model,
    }


def seconds_until(day, now: datetime) -> int:
    """Seconds from now to the start of `day` in the site's time zone (the meter's periods)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return max(1, math.ceil((start - now).total_seconds()))


@router.post(
    "/casepilot/questions",
    response={200: AnswerOut, **ERRORS, 403: ErrorOut},
    summary="Ask CasePilot (members, metered)",
)
def ask(request, body: QuestionIn):
    """One question, answered from CodeAhead's data with a citation for each fact. Counted against
    the account's daily questions (the same allowance as the site); never include patient
    information: a question that seems to carry any is refused, and nothing of it is kept."""
    caller: Caller = request.auth
    reader = caller.require_member()
    # Input no answer could use is refused before the guard and the meter: nothing counted or kept.
    if QUERY_CONTROL_CHARACTERS.search(body.question):
        # As the site's question box (codeahead.middleware refuses it before the view runs).
        raise ApiError(400, "The question holds a control character (such as NUL).")
    question = clean_question(body.question)
    if not question:
        raise ApiError(400, "Type a question about a code, a modifier, a payment or a guideline.")
    if len(question) > MAX_QUESTION_LENGTH:
        raise ApiError(
            400,
            f"That question is {len(question):,} characters long; CasePilot reads at most {MAX_QUESTION_LENGTH:,}.",
        )
    conversation = None
    if body.conversation is not None:
        if not 0 < body.conversation < 2**31:
            raise ApiError(404, "No such conversation.")
        conversation = get_object_or_404(Conversation, pk=body.conversation, user=caller.key.user)
    now = timezone.now()
    asked = services.ask(
        user=caller.key.user, reader=reader, text=question, conversation=conversation, now=now
    )
    answer = asked.answer
    if answer.refused:
        raise ApiError(400, answer.headline, code="patient_information")
    if asked.allowance is not None and not asked.allowance.allowed:
        retry = seconds_until(asked.allowance.renews_on, now) if asked.allowance.renews_on else 86_400
        raise ApiError(429, answer.headline, headers={"Retry-After": str(retry)})
    allowance = asked.allowance
    return {
        **answer_json(answer),
        "conversation": asked.conversation.pk if asked.conversation else None,
        "conversation_url": site_url(asked.conversation.get_absolute_url()) if asked.conversation else None,
        "allowance": {
            "remaining": allowance.remaining if allowance else None,
            "renews_on": allowance.renews_on.isoformat() if allowance and allowance.renews_on else None,
        },
    }
