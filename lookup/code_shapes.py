"""The shape of a code in each code set, as its publisher writes it: one definition that the
importers read files with and the admin checks an edited code against.

Every shape is letters, digits, a dot and a hyphen only, so a code always fits in its page's
address (`/<system>/<code>/`) and every link to it can be made.
"""

from __future__ import annotations

import re

PCS_CHARS = "0-9A-HJ-NP-Z"  # ICD-10-PCS never uses the letters I and O

# ICD-10-CM: a letter, two letters or digits (April 2026 brought QA0), then a dot and up to
# four more (E11.9, S52.521A, QA0.0101).
ICD10CM_CODE = re.compile(r"^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?$")
# A chapter's or a section's span (E08-E13, C00-C75, I10-I1A).
ICD10CM_RANGE = re.compile(r"^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]+)?-[A-Z][0-9A-Z]{2}(\.[0-9A-Z]+)?$")
# ICD-10-PCS: seven characters; a table heading in the order file has three to seven.
PCS_CODE = re.compile(rf"^[{PCS_CHARS}]{{7}}$")
PCS_HEADING = re.compile(rf"^[{PCS_CHARS}]{{3,7}}$")
# HCPCS Level II: a letter and four digits (J1100); a modifier is two letters or digits (LT, 59).
HCPCS_CODE = re.compile(r"^[A-Z][0-9]{4}$")
HCPCS_MODIFIER = re.compile(r"^[0-9A-Z]{2}$")
# CPT: four digits, then a digit (Category I), F (II), T (III), U (PLA) or M (MAAA).
CPT_CODE = re.compile(r"^[0-9]{4}[0-9FMTU]$")
# A code set added in the admin, whose shape we do not know: what an address can carry.
ANY_CODE = re.compile(r"^[A-Z0-9][A-Z0-9.\-]{0,19}$")

# (pattern, how to write one) per code set and kind of row; "" is every other kind.
SHAPES: dict[str, dict[str, tuple[re.Pattern[str], str]]] = {
    "icd-10-cm": {
        "chapter": (ICD10CM_RANGE, "a span of codes such as E00-E89"),
        "section": (ICD10CM_RANGE, "a span of codes such as E08-E13"),
        "": (
            ICD10CM_CODE,
            "a letter, two letters or digits, then a dot and up to four more (E11.9, S52.521A)",
        ),
    },
    "icd-10-pcs": {
        "code": (PCS_CODE, "seven letters or digits, without I or O (0DTJ4ZZ)"),
        "": (PCS_HEADING, "three to seven letters or digits, without I or O (0DT)"),
    },
    "hcpcs": {
        "modifier": (HCPCS_MODIFIER, "two letters or digits (LT, 59)"),
        "": (HCPCS_CODE, "a letter and four digits (J1100)"),
    },
    "cpt": {
        "": (CPT_CODE, "four digits, then a digit, F, T, U or M (99213, 0042T)"),
    },
}


def shape_problem(*, system_slug: str, kind: str, code: str) -> str:
    """Why `code` is not a code of that kind in that code set, or "" when it is one."""
    shapes = SHAPES.get(system_slug, {})
    pattern, wording = shapes.get(kind) or shapes.get("") or (ANY_CODE, "letters, digits, dots and hyphens")
    if pattern.fullmatch(code):
        return ""
    return f"{code!r} is not written like this code set's codes: {wording}."
