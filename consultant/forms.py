"""CaseConsultant's forms: length limits, codes read in any spelling, and the patient-information
guard as a form error that says what to remove."""

from __future__ import annotations

import re

from django import forms

from codeahead.privacy import describe, find_patient_information
from consultant.models import OPEN_STATUSES, Setting, Status
from lookup.models import Code, CodeSystem, normalize_code

MAX_CODES = 10
GUARD_CODE = "patient_information"  # the error code of the guard's refusals (consultant/refusals.py)
_CODE_SEPARATORS = re.compile(r"[,;\n]+")


class GuardedText(forms.CharField):
    """Text that must not identify a patient: refused with the reasons, before it is stored."""

    def __init__(self, *, rows: int = 6, **kwargs):
        super().__init__(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        if reasons := find_patient_information(value or ""):
            raise forms.ValidationError(describe(reasons), code=GUARD_CODE)


def read_codes(text: str) -> list[Code]:
    """The codes a member typed: "E11.9, 99213" or "icd-10-cm:E11.9"; each must be one of ours."""
    tokens = [token.strip() for token in _CODE_SEPARATORS.split(text or "") if token.strip()]
    if len(tokens) > MAX_CODES:
        raise forms.ValidationError(f"Name at most {MAX_CODES} codes.")
    codes, errors = [], []
    for token in tokens:
        system_text, _, code_text = token.rpartition(":")
        key = normalize_code(code_text)
        shown = token[:30]
        if not key or len(key) > 20:
            errors.append(f"“{shown}” is not a code.")
            continue
        found = Code.objects.filter(key=key).select_related("system")
        if system_text:
            system = CodeSystem.objects.for_slug(system_text.strip())
            if system is None:
                errors.append(f"“{shown}”: we have no code set called “{system_text.strip()[:30]}”.")
                continue
            found = found.filter(system=system)
        matches = list(found[:5])
        if not matches:
            errors.append(f"We have no code {shown}. Check it, or leave it out and name it in the question.")
        elif len(matches) > 1:
            names = " and ".join(code.system.name for code in matches)
            errors.append(f"{shown} is a code in {names}: write it as {matches[0].system.slug}:{shown}.")
        elif matches[0] not in codes:
            codes.append(matches[0])
    if errors:
        raise forms.ValidationError(errors)
    return codes


def codes_as_text(codes: list[Code]) -> str:
    return ", ".join(code.code if _unique_key(code) else f"{code.system.slug}:{code.code}" for code in codes)


def _unique_key(code: Code) -> bool:
    return not Code.objects.filter(key=code.key).exclude(pk=code.pk).exists()


class Form(forms.Form):
    """Labels without Django's trailing colon, as the rest of the site writes them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class AskForm(Form):
    question = GuardedText(
        max_length=5000,
        help_text="The coding question, in your own words. Never include anything that identifies a patient.",
    )
    codes = forms.CharField(
        label="Codes it concerns",
        required=False,
        max_length=300,
        help_text="Optional. Separate codes with commas, such as E11.9, 99213.",
    )
    setting = forms.ChoiceField(label="Setting", choices=[("", "Choose the setting"), *Setting.choices])
    considered = GuardedText(
        label="What you already considered",
        required=False,
        max_length=3000,
        rows=3,
        help_text="Optional. The codes or guidelines you weighed, and why you are unsure.",
    )
    consent_to_publish = forms.BooleanField(
        label="An anonymised version of the answer may be published in the knowledge base",
        required=False,
    )

    def clean_codes(self) -> list[Code]:
        return read_codes(self.cleaned_data["codes"])


class MessageForm(Form):
    """A reply, a request for information or an answer: one text."""

    body = GuardedText(label="Message", max_length=5000)


class PublishForm(Form):
    title = forms.CharField(max_length=200, help_text="The question in one line, with nothing personal.")
    question = GuardedText(label="Question, rewritten", max_length=5000)
    answer = GuardedText(label="Answer, rewritten", max_length=8000, rows=10)
    codes = forms.CharField(label="Codes", required=False, max_length=300)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if reasons := find_patient_information(title):
            raise forms.ValidationError(describe(reasons), code=GUARD_CODE)
        return title

    def clean_codes(self) -> list[Code]:
        return read_codes(self.cleaned_data["codes"])


class QueueFilter(forms.Form):
    STATUS_CHOICES = [("open", "Waiting for a consultant"), *Status.choices, ("all", "All")]
    AGE_CHOICES = [
        ("", "Any age"),
        ("overdue", "Past the response-time target"),
        ("1", "Older than 1 day"),
        ("3", "Older than 3 days"),
        ("7", "Older than a week"),
    ]
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    age = forms.ChoiceField(choices=AGE_CHOICES, required=False)

    def statuses(self) -> list[str] | None:
        chosen = (self.cleaned_data.get("status") if self.is_valid() else None) or "open"
        if chosen == "all":
            return None
        return list(OPEN_STATUSES) if chosen == "open" else [chosen]
