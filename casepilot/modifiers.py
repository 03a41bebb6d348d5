"""What the common modifiers mean, in our own words, with the guide article that explains each."""

from __future__ import annotations

# modifier -> (meaning, guide slug)
MEANINGS: dict[str, tuple[str, str]] = {
    "25": (
        "a significant, separately identifiable E/M service by the same clinician on the same day as a "
        "procedure or other service",
        "modifier-25",
    ),
    "26": (
        "the professional component of a service: the physician's supervision and interpretation",
        "professional-and-technical-components",
    ),
    "TC": (
        "the technical component of a service: staff, equipment and supplies",
        "professional-and-technical-components",
    ),
    "50": ("a bilateral procedure: the same procedure on both sides at one session", "bilateral-procedures"),
    "RT": ("the right side of the body", "bilateral-procedures"),
    "LT": ("the left side of the body", "bilateral-procedures"),
    "51": ("multiple procedures by the same clinician at the same session", "surgical-team-modifiers"),
    "59": (
        "a distinct procedural service: two services normally bundled were done separately (another session, "
        "site, organ or incision)",
        "modifier-59-and-x-epsu",
    ),
    "XE": (
        "a separate encounter: the service was done at a different encounter the same day",
        "modifier-59-and-x-epsu",
    ),
    "XS": (
        "a separate structure: the service was done on a different organ or structure",
        "modifier-59-and-x-epsu",
    ),
    "XP": ("a separate practitioner: a different clinician did the service", "modifier-59-and-x-epsu"),
    "XU": (
        "an unusual non-overlapping service: it does not overlap the usual parts of the main service",
        "modifier-59-and-x-epsu",
    ),
    "62": (
        "two surgeons, usually of different specialties, each doing a distinct part of one procedure",
        "surgical-team-modifiers",
    ),
    "66": (
        "team surgery: a complex procedure done by a team of more than two surgeons",
        "surgical-team-modifiers",
    ),
    "80": ("an assistant surgeon", "surgical-team-modifiers"),
    "81": ("a minimal assistant surgeon", "surgical-team-modifiers"),
    "82": (
        "an assistant surgeon when no qualified resident surgeon was available",
        "surgical-team-modifiers",
    ),
    "AS": (
        "a physician assistant, nurse practitioner or clinical nurse specialist assisting at surgery",
        "surgical-team-modifiers",
    ),
    "24": ("an unrelated E/M service during a postoperative period", "global-surgery-days"),
    "57": ("the E/M visit at which the decision for major surgery was made", "global-surgery-days"),
    "58": ("a staged or related procedure during the postoperative period", "global-surgery-days"),
    "78": (
        "an unplanned return to the operating room for a related procedure during the postoperative period",
        "global-surgery-days",
    ),
    "79": ("an unrelated procedure during the postoperative period", "global-surgery-days"),
}

# The modifiers whose use the fee schedule's indicators decide, by indicator.
INDICATOR_OF = {
    "26": "pctc",
    "TC": "pctc",
    "50": "bilateral",
    "51": "multiple",
    "62": "co_surgery",
    "66": "team",
    "80": "assistant",
    "81": "assistant",
    "82": "assistant",
    "AS": "assistant",
}
