"""What each fee-schedule indicator means, in plain words.

Paraphrased from the field definitions in the CMS documentation that comes with the
relative value file (RVU25A.pdf, Attachment A and the record layout).
"""

from __future__ import annotations

# Only RVUs of codes with these statuses are used for Medicare payment (CMS record layout).
PAID_STATUSES = frozenset({"A", "R", "T"})

STATUS = {
    "A": "Active: paid separately under the fee schedule when covered.",
    "B": "Bundled: always paid as part of another service; any RVUs shown are not used for payment.",
    "C": "Contractor priced: the Medicare contractor sets the payment case by case.",
    "D": "Deleted this year.",
    "E": "Excluded from the fee schedule by regulation; when covered it is paid another way.",
    "F": "Deleted or discontinued, with no grace period.",
    "G": "Not valid for Medicare: another code is used (with a 90-day grace period).",
    "H": "Deleted modifier: this professional or technical component no longer exists.",
    "I": "Not valid for Medicare: another code is used to report and pay for this service.",
    "J": "Anesthesia service: no RVUs or payment amounts in this file.",
    "M": "Measurement code: for reporting only, not paid.",
    "N": "Not covered by Medicare.",
    "P": "Bundled or excluded: no separate payment under the fee schedule.",
    "R": "Restricted coverage: special coverage rules; when covered, the contractor prices it.",
    "T": "Injection: paid only when no other fee-schedule service is billed that day by the same provider.",
    "X": "Statutory exclusion: not a physician service, so not paid under this fee schedule.",
}

PCTC = {
    "0": "Physician service: cannot be split into professional and technical parts; modifiers 26 and TC do not apply.",
    "1": "Diagnostic test with a professional part (modifier 26) and a technical part (modifier TC); "
    "bill the whole (global) service without a modifier, or either part.",
    "2": "Professional-component-only code: the physician's interpretation of a test; modifiers 26 and TC do not apply.",
    "3": "Technical-component-only code: staff and equipment only; modifiers 26 and TC do not apply.",
    "4": "Global-test-only code: its RVUs equal the separate professional and technical codes combined; "
    "modifiers 26 and TC do not apply.",
    "5": "Incident-to service by staff under the physician's direct supervision; not paid for hospital "
    "patients; modifiers 26 and TC do not apply.",
    "6": "Laboratory physician interpretation: paid for the interpretation only; modifier TC does not apply.",
    "7": "Physical therapy service not payable when an independent therapist treats a hospital patient.",
    "8": "Physician interpretation of an abnormal smear for a hospital inpatient; no technical component.",
    "9": "Not applicable: the professional/technical split does not apply.",
}

# Indicators with separate professional (26) and technical (TC) rows in the file.
SPLIT_PCTC = frozenset({"1", "6"})

GLOBAL_DAYS = {
    "000": "0-day global: pre- and post-operative care on the day of the procedure is included.",
    "010": "10-day global: care on the day of the procedure and for 10 days after is included.",
    "090": "90-day global: major surgery; the day before and 90 days after are included.",
    "MMM": "Maternity code: the usual global period does not apply.",
    "XXX": "The global surgery concept does not apply.",
    "YYY": "The contractor sets the global period.",
    "ZZZ": "Add-on service: always part of another service's global period.",
}

MULTIPLE_PROCEDURE = {
    "0": "No multiple-procedure reduction.",
    "1": "Older standard reduction rules (100%, 50%, 25%, 25%, 25%) apply.",
    "2": "Standard reduction: highest-paid procedure at 100%, the others at 50%.",
    "3": "Multiple endoscopy rules apply within the family of the endoscopic base code.",
    "4": "Diagnostic imaging reduction: technical part of later images in the same family at 50%; "
    "professional part at 95%.",
    "5": "Therapy reduction: 50% of the practice expense for later therapy services.",
    "6": "Cardiovascular diagnostic reduction: 25% off the technical part of the second and later tests.",
    "7": "Ophthalmology diagnostic reduction: 20% off the technical part of the second and later tests.",
    "9": "The multiple-procedure concept does not apply.",
}

BILATERAL = {
    "0": "No 150% bilateral payment: both sides together are paid at most 100% of one code.",
    "1": "150% bilateral payment applies with modifier 50 (or RT and LT).",
    "2": "RVUs already assume both sides: no extra payment for bilateral reporting.",
    "3": "Each side is paid at 100% (typically radiology and other diagnostic tests).",
    "9": "The bilateral concept does not apply.",
}

ASSISTANT = {
    "0": "An assistant at surgery is paid only with documentation of medical necessity.",
    "1": "An assistant at surgery may not be paid.",
    "2": "An assistant at surgery may be paid.",
    "9": "The assistant-at-surgery concept does not apply.",
}

CO_SURGERY = {
    "0": "Co-surgeons (modifier 62) not permitted.",
    "1": "Co-surgeons may be paid with documentation of medical necessity.",
    "2": "Co-surgeons permitted without documentation when the two-specialty rule is met.",
    "9": "The co-surgeon concept does not apply.",
}

TEAM_SURGERY = {
    "0": "Team surgery (modifier 66) not permitted.",
    "1": "Team surgery may be paid by report with documentation of medical necessity.",
    "2": "Team surgery permitted; paid by report.",
    "9": "The team-surgery concept does not apply.",
}

SUPERVISION = {
    "01": "General supervision by a physician.",
    "02": "Direct supervision by a physician.",
    "03": "Personal supervision by a physician.",
    "04": "General supervision, unless done by a qualified or clinical psychologist.",
    "05": "General supervision, unless done by a qualified audiologist.",
    "06": "Performed by a physician or an ABPTS-certified electrophysiology physical therapist.",
    "21": "A certified technician under general supervision; otherwise direct supervision.",
    "22": "A technician with on-line real-time contact with a physician.",
    "66": "A physician or a physical therapist with ABPTS certification for this procedure.",
    "6A": "As 66; an ABPTS-certified therapist may supervise another therapist, but only they may bill.",
    "77": "An ABPTS-certified therapist, an uncertified therapist under direct physician supervision, "
    "or a certified technician under general supervision.",
    "7A": "As 77; an ABPTS-certified therapist may supervise another therapist, but only they may bill.",
    "09": "The supervision concept does not apply.",
}

NA_SETTING = "NA: CMS says this service is rarely or never performed in this setting."


def meaning(table: dict[str, str], value: str) -> str:
    """The plain-words meaning of an indicator value; unknown values say so instead of failing."""
    return table.get(value, f"Value {value!r} is not described in the CMS documentation.")


# For a code the fee schedule does not pay: what its status means for a biller and where,
# if anywhere, Medicare prices it. Our own summary of the status definitions above.
UNPAID = {
    "B": "CMS bundles this service into other services: it is never paid on its own, "
    "so the fee schedule gives it no amount.",
    "C": "The Medicare contractor (MAC) prices this service claim by claim; ask your MAC for its rate.",
    "D": "CMS deleted this code this year; report the code that replaces it.",
    "E": "CMS excludes this code from the physician fee schedule by regulation. When Medicare covers it, "
    "it is paid under another payment system, not from relative value units.",
    "F": "CMS deleted or discontinued this code with no grace period; it cannot be billed.",
    "G": "Medicare does not accept this code: another code is reported instead.",
    "H": "This modifier's component no longer exists for the code.",
    "I": "Medicare does not accept this code: another code (often an HCPCS G-code) is reported instead, "
    "and that code carries the payment.",
    "J": "Anesthesia services are paid from anesthesia base units and time, not from this file's amounts.",
    "M": "A measurement code: reported for quality programmes, never paid.",
    "N": "Medicare does not cover this service, so the fee schedule gives it no payment.",
    "P": "No separate payment: the service is bundled or excluded from the fee schedule.",
    "R": "Medicare covers this service only in narrow cases; when it does, the contractor prices it.",
    "T": "CMS gives no relative value units for this service this year.",
    "X": "This is not a physician service in law, so the physician fee schedule does not pay it. "
    "When Medicare covers it, another fee schedule prices it (ambulance, clinical laboratory, "
    "durable medical equipment) or the contractor does.",
}

DRUG_PRICING = (
    "Drugs and biologicals billed with HCPCS codes are priced quarterly from their average sales price: "
    "see CMS's ASP pricing files (Medicare Part B Drug Average Sales Price) for the payment limit."
)

# The HCPCS pricing indicator of drugs (HCPCS record layout).
DRUG_PRICING_INDICATOR = "51"


def unpaid_explanation(status: str) -> str:
    return UNPAID.get(status, f"Status {status!r} carries no fee-schedule payment.")
