"""CasePilot's cited draft for a consultant: what our data says about the member's question.

The draft is CasePilot's offline answer (casepilot/answer.py: facts from our tools, each with
its source, passed through CasePilot's checker, so no licensed code text is in it). It is
shown beside the answer box and can be put into it to edit; nothing is sent until the
consultant presses send. consultant imports casepilot, never the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from casepilot import tools
from casepilot.answer import MAX_QUESTION_LENGTH, answer_question
from casepilot.facts import Answer
from consultant.models import Question

MAX_CODES = 3


@dataclass
class Draft:
    answer: Answer
    asked: str  # what CasePilot was asked: the member's question, or the codes it names

    @property
    def text(self) -> str:
        """The draft as the answer box takes it: facts with numbered sources, links in full."""
        numbered = self.answer.numbered_facts
        lines = [self.answer.headline, ""] if self.answer.headline else []
        for fact, number in numbered:
            lines.append(f"- {fact.text} [{number}]")
            lines.extend(f"    {detail}" for detail in fact.details)
        lines += ["", "Sources:"]
        for number, source in enumerate(self.answer.citations, start=1):
            url = settings.SITE_URL + source.url if source.url.startswith("/") else source.url
            lines.append(f"[{number}] {source.label}: {url}")
        return "\n".join(lines)


def draft_for(question: Question) -> Draft | None:
    """CasePilot's answer to the question's text; when that finds nothing in our data, what our
    data says about the codes the member named. None when neither gives a fact."""
    asked = question.question[:MAX_QUESTION_LENGTH]
    answer = answer_question(asked)
    if answer.facts:
        return Draft(answer=answer, asked=asked)
    codes = list(question.codes.select_related("system")[:MAX_CODES])
    if not codes:
        return None
    names = " and ".join(tools.name(code) for code in codes)
    # Two codes are asked as a pair ("together": CasePilot's pair check reads their notes).
    asked = f"Can {names} be coded together?" if len(codes) > 1 else f"What is {names}?"
    answer = answer_question(asked)
    return Draft(answer=answer, asked=asked) if answer.facts else None
