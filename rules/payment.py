"""Which payment modifiers apply to a code, and what each does to its Medicare payment, worked out
from one year's fee-schedule indicators (the PPRRVU row of the code).

The percentages are Medicare's payment rules for each indicator value, as the CMS documentation
of the relative value file and the Claims Processing Manual (chapter 12) set them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from billing.models import FeeScheduleItem, to_cents

YES = "yes"
NO = "no"
CONDITIONAL = "with documentation"
NOT_APPLICABLE = "not applicable"


@dataclass
class Amount:
    label: str
    nonfacility: Decimal | None
    facility: Decimal | None


@dataclass
class ModifierRule:
    modifiers: list[str]
    topic: str  # "Professional and technical components", ...
    indicator: str  # the field and its value, such as "PC/TC indicator 1"
    applies: str  # YES, NO, CONDITIONAL, NOT_APPLICABLE
    effect: str  # what the modifier does to payment, in our words
    amounts: list[Amount] = field(default_factory=list)


def _share(item: FeeScheduleItem, percent: str, label: str) -> Amount:
    rate = Decimal(percent) / 100
    return Amount(label, to_cents(item.national_nonfacility * rate), to_cents(item.national_facility * rate))


def _whole(item: FeeScheduleItem, label: str) -> Amount:
    return Amount(label, item.national_nonfacility, item.national_facility)


def pc_tc(base: FeeScheduleItem, rows: dict[str, FeeScheduleItem]) -> ModifierRule:
    value = base.pctc
    indicator = f"PC/TC indicator {value}"
    if value in ("1", "6") and "26" in rows:
        amounts = [_whole(base, "Global (no modifier)"), _whole(rows["26"], "26 professional component")]
        if "TC" in rows:
            amounts.append(_whole(rows["TC"], "TC technical component"))
        split = (
            f"26 carries {rows['26'].total_nonfacility} of the {base.total_nonfacility} total RVUs"
            + (f" and TC {rows['TC'].total_nonfacility}" if "TC" in rows else "")
            + " (non-facility)."
        )
        only_26 = " TC does not apply: the code has no technical component to bill." if value == "6" else ""
        return ModifierRule(
            ["26", "TC"],
            "Professional and technical components",
            indicator,
            YES,
            "The code splits: bill 26 for the physician's reading and report, TC for the equipment, staff and "
            "supplies, or no modifier for both (the global service). " + split + only_26,
            amounts,
        )
    if value == "9":
        return ModifierRule(
            ["26", "TC"], "Professional and technical components", indicator, NOT_APPLICABLE,
            "The professional/technical split does not apply to this code.",
        )  # fmt: skip
    reasons = {
        "0": "it is a physician service with no technical part",
        "2": "the code is itself the professional component",
        "3": "the code is itself the technical component",
        "4": "the code is a global test with its own separate professional and technical codes",
        "5": "it is an incident-to service",
        "7": "it is a therapy service",
        "8": "it is a physician interpretation with no technical part",
    }
    return ModifierRule(
        ["26", "TC"], "Professional and technical components", indicator, NO,
        f"Modifiers 26 and TC do not apply: {reasons.get(value, 'the indicator does not allow the split')}.",
    )  # fmt: skip


def bilateral(item: FeeScheduleItem) -> ModifierRule:
    value = item.bilateral_surgery
    indicator = f"Bilateral surgery indicator {value}"
    topic = "Bilateral procedure"
    if value == "1":
        return ModifierRule(
            ["50"], topic, indicator, YES,
            "Report once with 50 (one unit): both sides together are paid 150% of the one-side fee.",
            [_whole(item, "One side"), _share(item, "150", "Both sides with 50 (150%)")],
        )  # fmt: skip
    if value == "0":
        return ModifierRule(
            ["50"], topic, indicator, NO,
            "No bilateral payment: if reported on both sides, Medicare pays at most 100% of the one-side fee "
            "(the 150% rule does not apply).",
            [_whole(item, "Both sides at most")],
        )  # fmt: skip
    if value == "2":
        return ModifierRule(
            ["50"], topic, indicator, NO,
            "The fee already covers both sides (the code is bilateral by definition or its RVUs assume both): "
            "50 adds nothing and the payment stays at 100%.",
            [_whole(item, "Both sides")],
        )  # fmt: skip
    if value == "3":
        return ModifierRule(
            ["50"], topic, indicator, YES,
            "Each side is paid in full: reported bilaterally (50, or RT and LT) the payment is 200% of the "
            "one-side fee; no multiple-procedure reduction for the second side.",
            [_whole(item, "One side"), _share(item, "200", "Both sides (200%)")],
        )  # fmt: skip
    return ModifierRule(
        ["50"], topic, indicator, NOT_APPLICABLE, "The bilateral concept does not apply to this code."
    )


MULTIPLE_EFFECTS = {
    "0": (NO, "No multiple-procedure reduction: paid in full even when billed with other procedures."),
    "1": (YES, "Older standard rule: 100% for the highest, 50% for the second, 25% for the third to fifth."),
    "2": (YES, "Standard rule: the highest-valued procedure is paid 100%, each other one at 50%."),
    "3": (
        YES,
        "Endoscopy rule: in the same endoscopic family, the base endoscopy's value is paid only once.",
    ),
    "4": (
        YES,
        "Imaging rule: with other images in the same family the same session, the technical part is paid 50% "
        "and the professional part 95%.",
    ),
    "5": (
        YES,
        "Therapy rule: the practice-expense part of the second and later therapy units is paid at 50%.",
    ),
    "6": (
        YES,
        "Cardiovascular diagnostic rule: the technical part of the second and later tests is paid at 75%.",
    ),
    "7": (
        YES,
        "Ophthalmology diagnostic rule: the technical part of the second and later tests is paid at 80%.",
    ),
    "9": (NOT_APPLICABLE, "The multiple-procedure concept does not apply to this code."),
}


def multiple(item: FeeScheduleItem) -> ModifierRule:
    value = item.multiple_procedure
    applies, effect = MULTIPLE_EFFECTS.get(value, (NOT_APPLICABLE, "Not described in the CMS documentation."))
    amounts = (
        [_whole(item, "Highest-valued procedure"), _share(item, "50", "Second and later (50%)")]
        if value
        in (
            "1",
            "2",
        )
        else []
    )
    return ModifierRule(
        ["51"], "Multiple procedures", f"Multiple procedure indicator {value}", applies, effect, amounts
    )


def co_surgeons(item: FeeScheduleItem) -> ModifierRule:
    value = item.co_surgery
    indicator = f"Co-surgeons indicator {value}"
    share = [_share(item, "62.5", "Each surgeon with 62 (62.5%)")]
    if value == "2":
        return ModifierRule(
            ["62"], "Co-surgeons", indicator, YES,
            "Co-surgery is allowed (surgeons of different specialties): each surgeon is paid 62.5% of the fee.",
            share,
        )  # fmt: skip
    if value == "1":
        return ModifierRule(
            ["62"], "Co-surgeons", indicator, CONDITIONAL,
            "Co-surgery is paid only with documentation that two surgeons were needed; then 62.5% each.",
            share,
        )  # fmt: skip
    if value == "0":
        return ModifierRule(["62"], "Co-surgeons", indicator, NO, "Co-surgeons are not paid for this code.")
    return ModifierRule(
        ["62"], "Co-surgeons", indicator, NOT_APPLICABLE, "The co-surgeon concept does not apply."
    )


def team(item: FeeScheduleItem) -> ModifierRule:
    value = item.team_surgery
    indicator = f"Team surgery indicator {value}"
    if value == "2":
        return ModifierRule(
            ["66"],
            "Surgical team",
            indicator,
            YES,
            "Team surgery is allowed; the contractor prices it by report.",
        )
    if value == "1":
        return ModifierRule(
            ["66"], "Surgical team", indicator, CONDITIONAL,
            "Team surgery is paid by report, only with documentation that a team was needed.",
        )  # fmt: skip
    if value == "0":
        return ModifierRule(["66"], "Surgical team", indicator, NO, "Team surgery is not paid for this code.")
    return ModifierRule(
        ["66"], "Surgical team", indicator, NOT_APPLICABLE, "The team-surgery concept does not apply."
    )


def assistant(item: FeeScheduleItem) -> ModifierRule:
    value = item.assistant_surgery
    indicator = f"Assistant at surgery indicator {value}"
    amounts = [
        _share(item, "16", "Assistant physician, 80/81/82 (16%)"),
        _share(item, "13.6", "Non-physician assistant, AS (85% of 16%)"),
    ]
    topic = "Assistant at surgery"
    if value == "2":
        return ModifierRule(
            ["80", "81", "82", "AS"], topic, indicator, YES,
            "An assistant at surgery is paid: 16% of the fee for a physician (80, 81, 82), 13.6% for a PA, NP or "
            "CNS (AS).",
            amounts,
        )  # fmt: skip
    if value == "0":
        return ModifierRule(
            ["80", "81", "82", "AS"], topic, indicator, CONDITIONAL,
            "An assistant is paid only with documentation that one was medically necessary; then 16% (13.6% "
            "with AS).",
            amounts,
        )  # fmt: skip
    if value == "1":
        return ModifierRule(
            ["80", "81", "82", "AS"],
            topic,
            indicator,
            NO,
            "An assistant at surgery is not paid for this code.",
        )
    return ModifierRule(
        ["80", "81", "82", "AS"],
        topic,
        indicator,
        NOT_APPLICABLE,
        "The assistant-at-surgery concept does not apply.",
    )


def global_period(item: FeeScheduleItem) -> ModifierRule:
    days = item.global_days
    indicator = f"Global surgery days {days}"
    topic = "Global surgical package"
    modifiers = ["24", "25", "57", "58", "78", "79"]
    if days in ("000", "010", "090"):
        count = int(days)
        span = (
            "the day of the procedure only"
            if count == 0
            else f"the day of the procedure and {count} days after"
            + (", plus the day before" if count == 90 else "")
        )
        same_day = (
            "57 marks a visit on the day before or the day of the operation at which surgery was decided (paid)"
            if count == 90
            else "25 marks a separate, significant visit on the day of the procedure (paid)"
        )
        after = (
            "; 24 an unrelated visit in the postoperative days (paid); 58 a staged or related procedure (paid in "
            "full, new global period); 78 an unplanned return to the operating room for a related problem (only "
            "the intraoperative share paid, no new period); 79 an unrelated procedure (paid in full, new period)"
            if count
            else "; 58, 78 and 79 apply only to later procedures on the same day"
        )
        shares = ""
        if item.intraop_share:
            shares = (
                f" Shares of the package: pre-operative {item.preop_share:.0%}, intraoperative "
                f"{item.intraop_share:.0%}, post-operative {item.postop_share:.0%} (what 78 and modifiers 54/55/56 pay)."
            )
        amounts = (
            [_share(item, f"{item.intraop_share * 100}", "With 78: intraoperative share")]
            if (count and item.intraop_share)
            else []
        )
        return ModifierRule(
            modifiers, topic, indicator, YES,
            f"A {count}-day global period: visits and routine care for {span} are part of the fee. {same_day}"
            f"{after}.{shares}",
            amounts,
        )  # fmt: skip
    other = {
        "ZZZ": "An add-on code: it falls in the global period of the primary procedure it is billed with.",
        "XXX": "The global surgery concept does not apply: visits on the same or later days are paid on their own "
        "(25 may still be needed for a same-day visit with another service).",
        "MMM": "A maternity code: the usual global surgery rules do not apply.",
        "YYY": "The contractor sets the global period for this code.",
    }
    return ModifierRule(
        modifiers,
        topic,
        indicator,
        NOT_APPLICABLE,
        other.get(days, "No global period is given for this code."),
    )


def modifier_rules(rows: dict[str, FeeScheduleItem]) -> list[ModifierRule]:
    """The rules for one code in one year, given its rows by modifier ("" for the global row)."""
    base = rows.get("") or next(iter(rows.values()))
    return [
        pc_tc(base, rows),
        bilateral(base),
        multiple(base),
        co_surgeons(base),
        team(base),
        assistant(base),
        global_period(base),
    ]
