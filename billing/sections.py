"""The Medicare Physician Fee Schedule section of a CPT or HCPCS code page, in three queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from billing import indicators
from billing.hooks import Place, modifier_url, places_of_service
from billing.models import FeeSchedule, FeeScheduleItem, Locality, to_cents
from lookup.models import Code, HcpcsDetail
from lookup.sections import Section

SYSTEMS_WITH_FEES = frozenset({"cpt", "hcpcs"})
LOCALITY_VALUE = re.compile(r"^\d{5}-\d{2}$", re.ASCII)
YEAR_VALUE = re.compile(r"^\d{4}$", re.ASCII)
POS_VALUE = re.compile(r"^\d{1,2}$", re.ASCII)
MODIFIER_ORDER = {"": 0, "26": 1, "TC": 2, "53": 3}


@dataclass
class Change:
    """A national amount against the same row of the previous year."""

    before: Decimal
    after: Decimal

    @property
    def amount(self) -> Decimal:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        if not self.before:
            return None
        return (self.amount * 100 / self.before).quantize(Decimal("0.1"))


@dataclass
class Line:
    """One modifier row (global, 26, TC, 53) of the chosen year, with what the page derives from it."""

    item: FeeScheduleItem
    previous: FeeScheduleItem | None = None
    local_nonfacility: Decimal | None = None
    local_facility: Decimal | None = None
    # What the chosen place of service is paid: the locality's amount, or the national one.
    at_place: Decimal | None = None
    at_place_na: bool = False  # CMS marks the service rarely or never done in that setting

    @property
    def modifier_url(self) -> str | None:
        return modifier_url(self.item.modifier)

    @property
    def change_nonfacility(self) -> Change | None:
        if self.previous is None or not (self.item.is_paid and self.previous.is_paid):
            return None
        return Change(self.previous.national_nonfacility, self.item.national_nonfacility)

    @property
    def change_facility(self) -> Change | None:
        if self.previous is None or not (self.item.is_paid and self.previous.is_paid):
            return None
        return Change(self.previous.national_facility, self.item.national_facility)


@dataclass
class Modifier:
    code: str
    url: str | None  # its page, where another app gives one (billing/hooks.py)


def _modifiers(*codes: str) -> list[Modifier]:
    return [Modifier(code, modifier_url(code)) for code in codes]


@dataclass
class Indicator:
    label: str
    value: str
    meaning: str
    modifiers: list[Modifier] = field(default_factory=list)  # the modifiers it governs, after the label


@dataclass
class FeeScheduleSection:
    code: Code
    schedule: FeeSchedule | None = None
    previous_schedule: FeeSchedule | None = None
    years: list[int] = field(default_factory=list)
    all_years: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    localities: list[Locality] = field(default_factory=list)
    locality: Locality | None = None
    places: list[Place] = field(default_factory=list)
    place: Place | None = None
    messages: list[str] = field(default_factory=list)
    is_drug: bool = False

    @property
    def unpaid(self) -> bool:
        """No row of the chosen year is paid under the schedule (J1100, D-codes, 0001F...)."""
        return bool(self.lines) and not any(line.item.is_paid for line in self.lines)

    @property
    def unpaid_explanation(self) -> str:
        return indicators.unpaid_explanation(self.base.item.status) if self.base else ""

    @property
    def drug_pricing(self) -> str:
        return indicators.DRUG_PRICING if self.is_drug else ""

    @property
    def base(self) -> Line | None:
        """The row that describes the code as a whole: no modifier, else the first one."""
        return self.lines[0] if self.lines else None

    @property
    def split(self) -> dict[str, Line] | None:
        """The professional (26) and technical (TC) rows, when the PC/TC indicator splits the code."""
        by_modifier = {line.item.modifier: line for line in self.lines}
        if self.base and self.base.item.pctc in indicators.SPLIT_PCTC and "26" in by_modifier:
            return by_modifier
        return None

    @property
    def split_sum(self) -> dict[str, Decimal] | None:
        split = self.split
        if not split or "TC" not in split:
            return None
        return {
            "nonfacility": split["26"].item.national_nonfacility + split["TC"].item.national_nonfacility,
            "facility": split["26"].item.national_facility + split["TC"].item.national_facility,
        }

    @property
    def national_unrounded(self) -> Decimal | None:
        item = self.base.item if self.base else None
        return item.total_nonfacility * item.conversion_factor if item else None

    @property
    def split_modifiers(self) -> dict[str, Modifier]:
        """26 and TC with their pages, for the paragraph on the split."""
        return {m.code: m for m in _modifiers("26", "TC")}

    @property
    def facility(self) -> bool:
        """Whether the chosen place of service is paid at the facility rate (none chosen: non-facility)."""
        return bool(self.place and self.place.is_facility)

    @property
    def local_worked(self) -> dict | None:
        """The locality formula with the base row's numbers filled in, for the chosen place's setting."""
        if not (self.locality and self.base):
            return None
        item, loc = self.base.item, self.locality
        adjusted = item.adjusted_rvus(loc, facility=self.facility)
        return {
            "item": item,
            "locality": loc,
            "facility": self.facility,
            "pe_rvu": item.pe_rvu_facility if self.facility else item.pe_rvu_nonfacility,
            "adjusted": adjusted,
            "payment": to_cents(adjusted * item.conversion_factor),
        }

    @property
    def indicators(self) -> list[Indicator]:
        if not self.base:
            return []
        item = self.base.item
        rows = [
            Indicator("Status", item.status, indicators.meaning(indicators.STATUS, item.status)),
            Indicator(
                "PC/TC indicator",
                item.pctc,
                indicators.meaning(indicators.PCTC, item.pctc),
                _modifiers("26", "TC"),
            ),
            Indicator(
                "Global surgery days",
                item.global_days,
                indicators.meaning(indicators.GLOBAL_DAYS, item.global_days),
            ),
        ]
        if item.preop_share or item.intraop_share or item.postop_share:
            rows.append(
                Indicator(
                    "Pre / intra / post-operative shares",
                    f"{item.preop_share} / {item.intraop_share} / {item.postop_share}",
                    "The part of the global package paid to a surgeon who gives only the care before (modifier 56), "
                    "during (54) or after (55) the operation.",
                    _modifiers("56", "54", "55"),
                )
            )
        rows += [
            Indicator(
                "Multiple procedures",
                item.multiple_procedure,
                indicators.meaning(indicators.MULTIPLE_PROCEDURE, item.multiple_procedure),
                _modifiers("51"),
            ),
            Indicator(
                "Bilateral surgery",
                item.bilateral_surgery,
                indicators.meaning(indicators.BILATERAL, item.bilateral_surgery),
                _modifiers("50"),
            ),
            Indicator(
                "Assistant at surgery",
                item.assistant_surgery,
                indicators.meaning(indicators.ASSISTANT, item.assistant_surgery),
                _modifiers("80", "81", "82", "AS"),
            ),
            Indicator(
                "Co-surgeons",
                item.co_surgery,
                indicators.meaning(indicators.CO_SURGERY, item.co_surgery),
                _modifiers("62"),
            ),
            Indicator(
                "Team surgery",
                item.team_surgery,
                indicators.meaning(indicators.TEAM_SURGERY, item.team_surgery),
                _modifiers("66"),
            ),
        ]
        if item.endoscopic_base:
            rows.append(
                Indicator(
                    "Endoscopic base code",
                    item.endoscopic_base,
                    "Multiple endoscopies in this family are paid relative to this base procedure.",
                )
            )
        if item.supervision and item.supervision != "09":
            rows.append(
                Indicator(
                    "Physician supervision (diagnostic)",
                    item.supervision,
                    indicators.meaning(indicators.SUPERVISION, item.supervision),
                )
            )
        return rows


def fee_schedule_section(*, code: Code, params: QueryDict) -> FeeScheduleSection | None:
    """The section for a code page, following the reader's `year`, `locality` and `pos` choices.

    Values the reader typed that do not fit (a year with no data, an unknown locality) are
    ignored with a message, never an error.
    """
    if not has_fee_schedule(code):
        return None
    section = FeeScheduleSection(code=code)
    schedules = {s.year: s for s in FeeSchedule.objects.all()}
    section.all_years = sorted(schedules)
    items = list(FeeScheduleItem.objects.filter(code=code).select_related("schedule"))
    section.years = sorted({item.schedule.year for item in items})
    if not section.years:
        return section

    year = section.years[-1]
    asked = params.get("year", "").strip()
    if asked:
        if YEAR_VALUE.match(asked) and int(asked) in section.years:
            year = int(asked)
        else:
            section.messages.append(f"No {asked[:12]} fee schedule for {code.code}; showing {year}.")
    section.schedule = schedules[year]
    earlier = [y for y in section.all_years if y < year]
    section.previous_schedule = schedules[earlier[-1]] if earlier else None

    previous = {
        item.modifier: item
        for item in items
        if section.previous_schedule and item.schedule_id == section.previous_schedule.pk
    }
    chosen = sorted(
        (item for item in items if item.schedule.year == year),
        key=lambda i: MODIFIER_ORDER.get(i.modifier, 9),
    )
    section.lines = [Line(item=item, previous=previous.get(item.modifier)) for item in chosen]

    if section.unpaid:
        # One explanation replaces the tables; only drugs need a fourth query, to say where they are priced.
        section.is_drug = code.system.slug == "hcpcs" and (
            code.key.startswith("J")
            or HcpcsDetail.objects.filter(
                code=code, pricing_indicators__contains=indicators.DRUG_PRICING_INDICATOR
            ).exists()
        )
        return section

    section.localities = list(Locality.objects.filter(schedule=section.schedule).order_by("state", "name"))
    wanted = params.get("locality", "").strip()
    if wanted:
        section.locality = next((loc for loc in section.localities if loc.slug == wanted), None)
        if section.locality is None:
            shown = wanted[:20] if LOCALITY_VALUE.match(wanted) else "that value"
            section.messages.append(f"No Medicare locality {shown} in {year}; showing national amounts.")
    if section.locality:
        for line in section.lines:
            line.local_nonfacility = line.item.local_payment(section.locality, facility=False)
            line.local_facility = line.item.local_payment(section.locality, facility=True)

    section.places = places_of_service()
    asked_place = params.get("pos", "").strip()
    if asked_place and section.places:
        key = asked_place.zfill(2) if POS_VALUE.match(asked_place) else None
        section.place = next((p for p in section.places if p.code == key), None)
        if section.place is None:
            shown = asked_place if key else "that value"
            section.messages.append(f"No place of service {shown}; showing both rates.")
    if section.place:
        facility = section.place.is_facility
        for line in section.lines:
            if section.locality:
                line.at_place = line.local_facility if facility else line.local_nonfacility
            else:
                line.at_place = line.item.national_facility if facility else line.item.national_nonfacility
            line.at_place_na = line.item.facility_na if facility else line.item.nonfacility_na
    return section


def has_fee_schedule(code: Code) -> bool:
    return code.system.slug in SYSTEMS_WITH_FEES


FEE_SCHEDULE = Section(
    slug="fee-schedule",
    title="Medicare Physician Fee Schedule",
    template="billing/_fee_schedule.html",
    data=fee_schedule_section,
    applies=has_fee_schedule,
    params=("year", "locality", "pos"),
    order=10,
)
