"""Slowing down posts the patient-information guard keeps refusing.

Each CaseConsultant post the guard refuses counts one hit for the account and one for the
client address (codeahead.client), in the site's rate limiter (lookup/ratelimit.py), windows
settings.CONSULTANT_GUARD_REFUSAL_LIMITS. Once either has been refused that often in a window,
its posts are paused, whatever they carry, until the window ends: probing the guard for what
slips through becomes slow, and a member who pastes from a chart is told plainly to stop.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest

from codeahead.client import client_key
from consultant.forms import GUARD_CODE
from lookup.ratelimit import RateDecision, rate_consume, rate_peek


def _keys(request: HttpRequest) -> list[str]:
    keys = [f"pii:address:{client_key(request)}"]
    if request.user.is_authenticated:
        keys.insert(0, f"pii:user:{request.user.pk}")
    return keys


def paused(request: HttpRequest) -> RateDecision:
    """Whether this account or address is paused now (counts nothing)."""
    return rate_peek(keys=_keys(request), limits=settings.CONSULTANT_GUARD_REFUSAL_LIMITS)


def count_refusal(request: HttpRequest) -> RateDecision:
    """One more refused post: refused once it was one too many."""
    return rate_consume(keys=_keys(request), limits=settings.CONSULTANT_GUARD_REFUSAL_LIMITS)


def message(decision: RateDecision) -> str:
    minutes = max(1, math.ceil(decision.retry_after / 60))
    return (
        "You have sent several messages with patient information in a short time, so CaseConsultant "
        f"is pausing your posts for {minutes} minute{'s' if minutes != 1 else ''}. Then send it again "
        "without anything that identifies a patient: no names, dates of birth, record or member numbers."
    )


def refused_by_guard(form: Form) -> bool:
    """Whether the guard refused any of the form's texts (a field's error or the service's)."""
    return any(form.has_error(name, GUARD_CODE) for name in [*form.fields, "__all__"])
