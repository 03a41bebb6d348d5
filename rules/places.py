"""CMS place-of-service (POS) codes and the fee-schedule rate each one gets.

The codes and names are CMS's public POS code set; the descriptions are our own words.
Which rate applies follows CMS's lists for the Physician Fee Schedule: services in a facility
setting (a hospital, an ambulatory surgical center, a skilled nursing facility...) are paid
at the facility rate, because the facility is paid separately for staff and equipment;
everywhere else at the (higher) non-facility rate. Since CY2024, POS 10 (telehealth in the
patient's home) is paid at the non-facility rate.

Reviewed code by code, from CMS's list as it stood in 2025 (recheck it at SOURCE_URL when CMS
adds a code): 52 codes (01-27, 31-34, 41-42, 49-58, 60-62,
65-66, 71-72, 81, 99); the rest of 01-99 is unassigned (`unassigned_ranges`). The fee-schedule
section's locality form gets this list through billing's hook (billing/hooks.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import reverse

SOURCE_URL = "https://www.cms.gov/medicare/coding-billing/place-of-service-codes/code-sets"
RATE_SOURCE_URL = "https://www.cms.gov/medicare/payment/fee-schedules/physician"
RELEASE = "CMS POS code set (2025); PFS facility and non-facility POS lists (CY2024 on)"

FACILITY = "facility"
NON_FACILITY = "non-facility"

# code: (CMS name, our description)
PLACES: dict[str, tuple[str, str]] = {
    "01": (
        "Pharmacy",
        "A pharmacy where drugs are dispensed and some services, such as vaccines, are given.",
    ),
    "02": (
        "Telehealth Provided Other than in Patient's Home",
        "A telehealth service while the patient is somewhere other than home, such as a clinic or hospital.",
    ),
    "03": ("School", "A school where a student receives health services."),
    "04": ("Homeless Shelter", "A shelter giving temporary housing to people without a home."),
    "05": (
        "Indian Health Service Free-standing Facility",
        "A stand-alone Indian Health Service clinic serving American Indians and Alaska Natives.",
    ),
    "06": (
        "Indian Health Service Provider-based Facility",
        "An Indian Health Service facility that is part of a hospital, seeing inpatients and outpatients.",
    ),
    "07": ("Tribal 638 Free-standing Facility", "A stand-alone clinic run by a tribe under a 638 agreement."),
    "08": (
        "Tribal 638 Provider-based Facility",
        "A tribe-run facility under a 638 agreement that is part of a hospital, seeing inpatients and outpatients.",
    ),
    "09": ("Prison/Correctional Facility", "A prison, jail or other place where people are held in custody."),
    "10": (
        "Telehealth Provided in Patient's Home",
        "A telehealth service while the patient is at home (or another private residence).",
    ),
    "11": (
        "Office",
        "A physician's or other practitioner's office or clinic that is not part of a hospital.",
    ),
    "12": ("Home", "The patient's own home, not a facility."),
    "13": ("Assisted Living Facility", "Housing with personal care and supervision, but not a nursing home."),
    "14": ("Group Home", "A shared residence with supervision and some care for its residents."),
    "15": ("Mobile Unit", "A vehicle fitted to give care, such as a mobile mammography van."),
    "16": (
        "Temporary Lodging",
        "A hotel, campground or similar place where the patient is staying for a short time.",
    ),
    "17": (
        "Walk-in Retail Health Clinic",
        "A clinic inside a store or pharmacy that sees patients without appointments.",
    ),
    "18": ("Place of Employment-Worksite", "The patient's workplace, such as an on-site employee clinic."),
    "19": (
        "Off Campus-Outpatient Hospital",
        "A hospital outpatient department away from the main hospital campus.",
    ),
    "20": (
        "Urgent Care Facility",
        "A walk-in center for illnesses and injuries that need care the same day.",
    ),
    "21": ("Inpatient Hospital", "A hospital stay after formal admission as an inpatient."),
    "22": (
        "On Campus-Outpatient Hospital",
        "A hospital outpatient department on the hospital's main campus.",
    ),
    "23": ("Emergency Room – Hospital", "A hospital's emergency department."),
    "24": ("Ambulatory Surgical Center", "A stand-alone center for surgery that needs no overnight stay."),
    "25": ("Birthing Center", "A center outside a hospital for labor, delivery and care right after birth."),
    "26": ("Military Treatment Facility", "A clinic or hospital of the armed forces."),
    "27": (
        "Outreach Site/Street",
        "Care taken to people without shelter where they are, on the street or at another non-permanent site.",
    ),
    "31": ("Skilled Nursing Facility", "A nursing facility giving skilled nursing or rehabilitation care."),
    "32": ("Nursing Facility", "A nursing home giving long-term care above the level of custodial care."),
    "33": (
        "Custodial Care Facility",
        "A residence giving room, board and help with daily living, without skilled care.",
    ),
    "34": ("Hospice", "A place giving end-of-life care to patients and support to their families."),
    "41": ("Ambulance - Land", "A road ambulance."),
    "42": ("Ambulance – Air or Water", "An air ambulance (plane or helicopter) or a boat."),
    "49": (
        "Independent Clinic",
        "A clinic, not part of a hospital and not described by another code, that treats outpatients only.",
    ),
    "50": (
        "Federally Qualified Health Center",
        "A health center in an area short of medical care, recognized by Medicare to give primary and "
        "preventive care.",
    ),
    "51": ("Inpatient Psychiatric Facility", "A psychiatric hospital or unit for admitted patients."),
    "52": (
        "Psychiatric Facility-Partial Hospitalization",
        "A day program of intensive psychiatric treatment for patients who go home at night.",
    ),
    "53": ("Community Mental Health Center", "A center giving outpatient and day mental health services."),
    "54": (
        "Intermediate Care Facility/Individuals with Intellectual Disabilities",
        "A residence giving care and training to people with intellectual disabilities.",
    ),
    "55": (
        "Residential Substance Abuse Treatment Facility",
        "A live-in program treating substance use disorders.",
    ),
    "56": ("Psychiatric Residential Treatment Center", "A live-in center for psychiatric treatment."),
    "57": (
        "Non-residential Substance Abuse Treatment Facility",
        "An outpatient program treating substance use disorders.",
    ),
    "58": (
        "Non-residential Opioid Treatment Facility",
        "An outpatient program treating opioid use disorder.",
    ),
    "60": ("Mass Immunization Center", "A site set up to vaccinate many people, such as a flu-shot clinic."),
    "61": (
        "Comprehensive Inpatient Rehabilitation Facility",
        "A rehabilitation hospital or unit for admitted patients.",
    ),
    "62": (
        "Comprehensive Outpatient Rehabilitation Facility",
        "An outpatient center giving rehabilitation therapy under a physician's plan.",
    ),
    "65": (
        "End-Stage Renal Disease Treatment Facility",
        "A dialysis center for patients with kidney failure.",
    ),
    "66": (
        "Programs of All-Inclusive Care for the Elderly (PACE) Center",
        "A PACE center giving medical and social care to older people who live at home.",
    ),
    "71": ("Public Health Clinic", "A clinic run by a state or local health department."),
    "72": ("Rural Health Clinic", "A clinic certified to serve a rural area short of medical care."),
    "81": ("Independent Laboratory", "A laboratory that is not part of a hospital or a physician's office."),
    "99": ("Other Place of Service", "Any place not described by another code."),
}

# The fee schedule's facility settings (42 CFR 414.22(b)(5)(i); Claims Processing Manual, chapter 12):
# hospitals (19, 21, 22, 23), ASCs (24), military treatment facilities (26), SNFs (31), hospices (34),
# ambulances (41, 42), psychiatric facilities and centers (51, 52, 53, 56) and inpatient rehabilitation
# facilities (61). CMS added telehealth outside the home (02) in 2017 and kept it there when it moved
# telehealth at home (10) to the non-facility rate for CY2024. Every other code gets the non-facility rate.
FACILITY_CODES = frozenset(
    {"02", "19", "21", "22", "23", "24", "26", "31", "34", "41", "42", "51", "52", "53", "56", "61"}
)
# Where the rule has a condition, in our words.
RATE_NOTES = {
    "02": "Telehealth with the patient somewhere other than home is paid at the facility rate (CY2017 on).",
    "10": "Paid at the non-facility rate since CY2024; it was paid at the facility rate before.",
    "24": (
        "The facility rate applies to a procedure on Medicare's list of procedures covered in an ASC; a "
        "procedure not on that list, done in an ASC, is paid at the non-facility rate."
    ),
}

_CODE = re.compile(r"\d{1,2}")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    description: str
    rate: str  # FACILITY or NON_FACILITY

    @property
    def url(self) -> str:
        return reverse("rules:pos", args=[self.code])

    @property
    def is_facility(self) -> bool:
        return self.rate == FACILITY

    @property
    def rate_note(self) -> str:
        return RATE_NOTES.get(self.code, "")

    @property
    def rate_explained(self) -> str:
        if self.rate == FACILITY:
            return (
                "Paid at the fee schedule's facility rate: the facility is paid separately for staff, "
                "equipment and supplies, so the practitioner's practice-expense RVUs are lower."
            )
        return (
            "Paid at the fee schedule's non-facility rate: the practitioner bears the practice's costs, so "
            "the practice-expense RVUs (and the payment) are higher."
        )


def place(code: str) -> Place | None:
    """The place of service for "11", "1" or " 11 "; None when there is no such code."""
    text = code.strip()
    if not _CODE.fullmatch(text):
        return None
    key = text.zfill(2)
    if key not in PLACES:
        return None
    name, description = PLACES[key]
    return Place(key, name, description, FACILITY if key in FACILITY_CODES else NON_FACILITY)


def all_places() -> list[Place]:
    return [place(code) for code in PLACES]


def unassigned_ranges() -> list[str]:
    """The codes 01 to 99 that CMS has not assigned, as ranges: "28-30", "59"."""
    free = [n for n in range(1, 100) if f"{n:02d}" not in PLACES]
    ranges: list[list[int]] = []
    for n in free:
        if ranges and ranges[-1][-1] == n - 1:
            ranges[-1].append(n)
        else:
            ranges.append([n])
    return [f"{r[0]:02d}" if len(r) == 1 else f"{r[0]:02d}–{r[-1]:02d}" for r in ranges]
