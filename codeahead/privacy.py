"""The patient-information guard: questions we are asked must not identify a patient.

CasePilot and CaseConsultant run every question through `find_patient_information` before
anything is stored or answered, and refuse it with the reasons it returns. It looks for the
identifiers a coder is most likely to paste from a chart: dates of birth, record, member and
social security numbers, phone numbers, email addresses and patient names. It is a net, not
a proof: the page around it still tells the reader never to enter patient information.
"""

from __future__ import annotations

import re

_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})"
# An identifier holds a digit: "record number is needed" names no record.
_IDENTIFIER = r"[:#]?\s*(?:is\s+|no\.?\s*|number\s+)?(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{3,}"

# Words that may follow "patient" at the start of a sentence without being a name.
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "who",
        "with",
        "without",
        "has",
        "had",
        "have",
        "is",
        "was",
        "will",
        "presents",
        "presented",
        "presenting",
        "seen",
        "admitted",
        "came",
        "comes",
        "returns",
        "returned",
        "reports",
        "reported",
        "states",
        "stated",
        "complains",
        "denies",
        "history",
        "hx",
        "age",
        "aged",
        "female",
        "male",
        "woman",
        "man",
        "child",
        "infant",
        "newborn",
        "adult",
        "elderly",
        "teen",
        "underwent",
        "undergoing",
        "needs",
        "needed",
        "requires",
        "required",
        "received",
        "receiving",
        "encounter",
        "visit",
        "education",
        "counseling",
        "care",
        "status",
        "record",
        "records",
        "information",
        "portal",
        "name",
        "names",
    ]
)

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    (
        "a date of birth",
        re.compile(
            rf"\b(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on| in)?)\b\s*[:#]?\s*(?:{_DATE}|\d{{4}})",
            re.IGNORECASE,
        ),
    ),
    (
        "a medical record number",
        re.compile(
            rf"\b(?:MRN|med(?:ical)? rec(?:ord)?s?(?: number| no\.?| #)?|chart (?:number|no\.?|#)|account (?:number|no\.?|#))\s*{_IDENTIFIER}",
            re.IGNORECASE,
        ),
    ),
    (
        "a member or insurance number",
        re.compile(
            rf"\b(?:member|subscriber|policy|insurance|medicare|medicaid|beneficiary|MBI|HICN)\s*(?:ID|id|number|no\.?|#)\s*{_IDENTIFIER}",
            re.IGNORECASE,
        ),
    ),
    # A Medicare Beneficiary Identifier: 11 characters in CMS's fixed pattern (no S, L, O, I, B, Z).
    (
        "a Medicare beneficiary identifier",
        re.compile(
            r"\b[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d-?[AC-HJKMNP-RT-Y]{2}\d{2}\b"
        ),
    ),
    (
        "a social security number",
        re.compile(
            r"\b\d{3}-\d{2}-\d{4}\b|\b(?:SSN|social security(?: number| no\.?| #)?)\s*[:#]?\s*(?:is\s+)?\d{9}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a phone number",
        re.compile(r"(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s*|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])"),
    ),
    ("an email address", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
]

# "Patient John Smith", "pt Mary", "Mrs. Jones", "patient named Lee", "patient's name is Ann".
_NAME = re.compile(
    r"\b(?:(?:(?i:patient)|[Pp]t\.?)(?:'s name is| name is| named| name:)?|Mr\.?|Mrs\.?|Ms\.?|Miss)\s+([A-Z][a-z'-]+)"
)


def find_patient_information(text: str) -> list[str]:
    """What in `text` could identify a patient, as plain reasons; an empty list means none."""
    reasons = [reason for reason, pattern in _CHECKS if pattern.search(text)]
    if any(match.group(1).lower() not in _NOT_NAMES for match in _NAME.finditer(text)):
        reasons.append("a patient's name")
    return reasons


def describe(reasons: list[str]) -> str:
    """One sentence for a form error: what to remove before asking again."""
    listed = ", ".join(reasons[:-1]) + " and " + reasons[-1] if len(reasons) > 1 else reasons[0]
    return (
        f"Your question seems to contain {listed}. Remove it and ask again: "
        "we never store information that identifies a patient."
    )
