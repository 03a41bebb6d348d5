"""Modifiers: CPT's payment-policy modifiers and HCPCS Level II modifiers, with our own explanations.

Everything written here is CodeAhead's own prose. CPT modifier descriptors are the AMA's:
we never show them, only a name and an explanation we wrote. HCPCS Level II modifiers come
from the imported HCPCS file (kind MODIFIER), whose CMS text is public domain; for the ones
coders use most we add a plain explanation of our own, the rest show CMS's text alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from lookup.models import Code, normalize_code


@dataclass(frozen=True)
class Explanation:
    name: str
    text: str


# CPT modifiers that change how Medicare pays. Names and texts are ours, not the AMA's descriptors.
CPT_MODIFIERS: dict[str, Explanation] = {
    "24": Explanation(
        "Unrelated visit during a postoperative period",
        "An evaluation and management (E/M) visit by the surgeon, or another physician of the same group "
        "and specialty, during the global period of an earlier procedure, for a problem that has nothing to "
        "do with that procedure. Without it, the visit counts as part of the surgical package and is not "
        "paid. The diagnosis on the claim usually shows why the visit is unrelated.",
    ),
    "25": Explanation(
        "Separate, significant visit on the day of a procedure",
        "The patient needed an E/M visit beyond the usual check-up that comes with a procedure done the same "
        "day (or beyond another service that day). The visit's notes must stand on their own as a visit; the "
        "diagnosis may be the same as the procedure's. Goes on the E/M code, not on the procedure.",
    ),
    "26": Explanation(
        "Professional component only",
        "Bills only the physician's share of a service that has a professional part (supervision, reading "
        "and the written report) and a technical part (staff, equipment, supplies): for example a physician "
        "who reads a scan made on a hospital's equipment. Paid the professional RVUs only, and only for codes "
        "whose PC/TC indicator allows the split.",
    ),
    "50": Explanation(
        "Bilateral procedure",
        "The same procedure done on both sides of the body (both knees, both ears) at the same session. "
        "Medicare wants it on one line with 50 and one unit; the code's bilateral indicator says whether the "
        "pair is paid at 150%, at 100% (the code already covers both sides), at 200%, or not at all with 50.",
    ),
    "51": Explanation(
        "Multiple procedures",
        "More than one procedure by the same physician at the same session. The most valuable one is paid in "
        "full and the others at a reduced rate, as the code's multiple-procedure indicator says (usually 50%). "
        "Medicare contractors rank the procedures themselves, so many do not require 51 on the claim.",
    ),
    "57": Explanation(
        "Decision for surgery",
        "An E/M visit, on the day before or the day of a major operation (90-day global period), at which the "
        "decision to operate was made. Without it the visit falls inside the surgical package. For minor "
        "procedures (0 or 10 days) the same-day visit uses 25 instead.",
    ),
    "58": Explanation(
        "Staged or related procedure during the postoperative period",
        "A second procedure in the global period of the first that was planned from the start (staged), is "
        "more extensive than the first, or is therapy after a diagnostic procedure. Paid in full, and a new "
        "global period begins with it.",
    ),
    "59": Explanation(
        "Distinct procedural service",
        "Says that two services which are normally bundled were genuinely separate: a different session, a "
        "different site or organ, a separate incision or lesion, or a separate injury. It is the modifier of "
        "last resort: use it only when no more precise one fits (Medicare's XE, XS, XP or XU, or an anatomic "
        "modifier), and never just to get an edit paid.",
    ),
    "62": Explanation(
        "Two surgeons (co-surgery)",
        "Two surgeons, usually of different specialties, each do a distinct part of one procedure. Each bills "
        "the same code with 62 and writes an operative note. When the code's co-surgery indicator allows it, "
        "Medicare pays each surgeon 62.5% of the fee.",
    ),
    "66": Explanation(
        "Surgical team",
        "A very complex procedure that needs several physicians of different specialties working as a team "
        "with special staff and equipment. Each team member bills with 66; when the code's team-surgery "
        "indicator allows it, the contractor prices each claim by report.",
    ),
    "76": Explanation(
        "Repeat procedure, same physician",
        "The same procedure repeated later the same day by the same physician or qualified professional, for "
        "example a second chest X-ray after a tube is placed. Tells the payer the second line is not a "
        "duplicate claim.",
    ),
    "77": Explanation(
        "Repeat procedure, another physician",
        "As 76, but the procedure is repeated by a different physician or qualified professional.",
    ),
    "78": Explanation(
        "Unplanned return to the operating room, related",
        "A related procedure during the global period of an earlier one that needs a return to the operating "
        "or procedure room, typically for a complication. Medicare pays only the intraoperative share of the "
        "fee, and no new global period begins.",
    ),
    "79": Explanation(
        "Unrelated procedure during the postoperative period",
        "A procedure during the global period of an earlier one that has nothing to do with it, such as "
        "surgery on the other eye. Paid in full, with a global period of its own.",
    ),
    "80": Explanation(
        "Assistant surgeon",
        "A physician who assists the operating surgeon throughout the procedure. When the code's "
        "assistant-at-surgery indicator allows it, Medicare pays 16% of the surgeon's fee.",
    ),
    "81": Explanation(
        "Minimum assistant surgeon",
        "A physician who assists for only part of the procedure, while the main assistance is given by "
        "someone else or not needed throughout. Medicare applies the same indicator and 16% rate as 80.",
    ),
    "82": Explanation(
        "Assistant surgeon when no qualified resident was available",
        "Used in teaching hospitals, where a resident normally assists: a physician assisted because no "
        "qualified resident was available. Same indicator and rate as 80, and the reason must be documented.",
    ),
    # Named by the fee schedule (its -53 rows, the global package's shares) and by NCCI (27, 91).
    "27": Explanation(
        "Several hospital outpatient visits on one day",
        "Used on a hospital outpatient claim, not a physician's, when the patient had separate evaluation and "
        "management visits in different clinics or departments of the hospital on the same day: it marks the "
        "second and later visits as distinct so each can be paid. It can break an NCCI edit whose modifier "
        "indicator is 1.",
    ),
    "53": Explanation(
        "Discontinued procedure",
        "The physician began a procedure and stopped it because going on would have put the patient at risk, "
        "such as a sudden fall in blood pressure. Paid at a reduced amount; for a few codes (colonoscopies) the "
        "fee schedule gives the -53 line RVUs of its own. It is not for a procedure cancelled before the "
        "patient was prepared, and hospitals and ASCs use their own modifiers instead.",
    ),
    "54": Explanation(
        "Surgical care only",
        "The surgeon did the operation and another physician took over the care around it under an agreement "
        "to transfer care. The surgeon is paid only the share of the global fee for the care given, from the "
        "fee schedule's pre-, intra- and post-operative percentages.",
    ),
    "55": Explanation(
        "Postoperative care only",
        "A physician other than the surgeon gives the care after the operation, from the day care was handed "
        "over. Paid the post-operative share of the global fee (the fee schedule's post-operative percentage), "
        "for the part of the global period that physician covered.",
    ),
    "56": Explanation(
        "Preoperative care only",
        "A physician other than the surgeon gave the care before the operation. Paid the pre-operative share "
        "of the global fee. Medicare rarely sees it: the surgeon, or a visit billed on its own, normally "
        "covers that care.",
    ),
    "91": Explanation(
        "Repeat laboratory test",
        "The same laboratory test run again on the same day to get a new result for the patient's care, such "
        "as potassium checked several times during treatment. Not for confirming a result, rerunning a test "
        "that failed, or checking the equipment. It can break an NCCI edit whose modifier indicator is 1.",
    ),
}

# Our plain explanations of the HCPCS Level II modifiers coders meet most; CMS's text shows beside them.
HCPCS_EXPLANATIONS: dict[str, str] = {
    "TC": "Bills only the technical part of a service that splits into professional and technical parts: the "
    "equipment, the staff who run it and the supplies, without the physician's reading. Paid the technical "
    "RVUs only, for codes whose PC/TC indicator allows the split.",
    "AS": "A physician assistant, nurse practitioner or clinical nurse specialist assisted at surgery. Paid, "
    "where the assistant-at-surgery indicator allows, 85% of the 16% an assistant physician would get "
    "(13.6% of the surgeon's fee).",
    "LT": "The procedure was done on the left side of the body. Helps tell apart two same-day services on "
    "opposite sides, and can break an NCCI edit whose modifier indicator is 1.",
    "RT": "The procedure was done on the right side of the body. Used with LT for services on both sides when "
    "the code is not reported with 50.",
    "XE": "A separate encounter: the service was done at a different visit on the same day. Medicare's more "
    "precise form of 59.",
    "XS": "A separate structure: the service was done on a different organ or body site. Medicare's more "
    "precise form of 59.",
    "XP": "A separate practitioner: a different person did the service. Medicare's more precise form of 59.",
    "XU": "An unusual, non-overlapping service: distinct from the main service in a way the other X "
    "modifiers do not describe. Medicare's more precise form of 59.",
    "GA": "The patient signed an Advance Beneficiary Notice (ABN) because Medicare may deny the service as not "
    "medically necessary; if it does, the patient can be billed.",
    "GX": "A voluntary ABN was given for a service Medicare never covers; informational.",
    "GY": "The item or service is excluded by law or is not a Medicare benefit; the claim is sent to get a "
    "denial (for example, for a secondary payer).",
    "GZ": "Medicare is expected to deny the service as not reasonable and necessary and no ABN was signed: "
    "the patient may not be billed.",
    "KX": "The requirements in the payer's policy are met and documented, for example therapy above the "
    "yearly threshold or a DME item's coverage criteria.",
    "GC": "A resident performed part of the service under a teaching physician's direction.",
    "GE": "A resident performed the service without a teaching physician present, under the primary care "
    "exception.",
    "GP": "The service was delivered under an outpatient physical therapy plan of care.",
    "GO": "The service was delivered under an outpatient occupational therapy plan of care.",
    "GN": "The service was delivered under an outpatient speech-language pathology plan of care.",
    "GT": "The service was delivered by interactive audio and video telecommunication (mainly institutional "
    "claims now; professional claims use the place of service and modifier 95).",
    "JW": "The amount of a single-dose drug or biological that was discarded and not given to any patient; "
    "billed on its own line so the waste is paid.",
    "JZ": "No amount of a single-dose drug or biological was discarded: the whole container was given.",
    "QW": "A laboratory test waived under CLIA, done by a lab holding a certificate of waiver.",
    "CR": "The service was connected with a catastrophe or disaster (a declared emergency).",
    "CS": "Cost-sharing is waived for this service under a specific public-health policy (such as COVID-19 "
    "testing-related visits in their period).",
    "FY": "An X-ray taken with computed radiography (cassette-based) equipment: the technical payment is "
    "reduced.",
    "FX": "An X-ray taken on film: the technical payment is reduced.",
    "PO": "An excepted service at an off-campus hospital outpatient department, paid under the outpatient "
    "prospective payment system.",
    "PN": "A non-excepted service at an off-campus hospital outpatient department, paid at a reduced rate.",
    "Q5": "A substitute physician under a reciprocal billing arrangement saw the patient for the regular "
    "physician.",
    "Q6": "A substitute physician paid on a per-diem or time basis (locum tenens) saw the patient for the "
    "regular physician.",
    "QK": "An anesthesiologist medically directed two to four anesthesia procedures at once.",
    "QX": "A CRNA did the anesthesia under a physician's medical direction.",
    "QY": "An anesthesiologist medically directed one CRNA.",
    "QZ": "A CRNA did the anesthesia without medical direction by a physician.",
    "AA": "An anesthesiologist personally performed the anesthesia service.",
    "E1": "Upper left eyelid.",
    "E2": "Lower left eyelid.",
    "E3": "Upper right eyelid.",
    "E4": "Lower right eyelid.",
    "FA": "Left hand, thumb.",
    "F1": "Left hand, second digit (index finger).",
    "F2": "Left hand, third digit.",
    "F3": "Left hand, fourth digit.",
    "F4": "Left hand, fifth digit.",
    "F5": "Right hand, thumb.",
    "F6": "Right hand, second digit (index finger).",
    "F7": "Right hand, third digit.",
    "F8": "Right hand, fourth digit.",
    "F9": "Right hand, fifth digit.",
    "TA": "Left foot, great toe.",
    "T1": "Left foot, second digit.",
    "T2": "Left foot, third digit.",
    "T3": "Left foot, fourth digit.",
    "T4": "Left foot, fifth digit.",
    "T5": "Right foot, great toe.",
    "T6": "Right foot, second digit.",
    "T7": "Right foot, third digit.",
    "T8": "Right foot, fourth digit.",
    "T9": "Right foot, fifth digit.",
    "LC": "Left circumflex coronary artery.",
    "LD": "Left anterior descending coronary artery.",
    "LM": "Left main coronary artery.",
    "RC": "Right coronary artery.",
    "RI": "Ramus intermedius coronary artery.",
}

# The modifiers that may break an NCCI edit whose modifier indicator is 1 (CMS's NCCI policy manual).
NCCI_MODIFIERS = {
    "distinct service": ["59", "XE", "XS", "XP", "XU"],
    "anatomic": [
        "E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9",
        "LC", "LD", "LM", "RC", "RI", "LT", "RT", "TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9",
    ],
    "global surgery": ["24", "25", "57", "58", "78", "79"],
    "other": ["27", "91"],
}  # fmt: skip
NCCI_MODIFIER_SET = frozenset(m for group in NCCI_MODIFIERS.values() for m in group)


@dataclass
class Modifier:
    code: str
    system: str  # "CPT" or "HCPCS"
    name: str
    explanation: str  # ours; "" when we have not written one
    official_text: str = ""  # CMS's text for HCPCS Level II modifiers (public domain); never CPT's

    @property
    def url(self) -> str:
        return reverse("rules:modifier", args=[self.code])


def modifier_of(code: Code) -> Modifier:
    """The modifier an HCPCS code-set row (kind MODIFIER) is, with our explanation if we wrote one."""
    return _hcpcs_modifier(code)


def _hcpcs_modifier(code: Code) -> Modifier:
    return Modifier(
        code=code.code,
        system="HCPCS",
        name=code.official_description or code.title,
        explanation=HCPCS_EXPLANATIONS.get(code.code, ""),
        official_text=code.official_description,
    )


def _cpt_modifier(key: str) -> Modifier:
    explanation = CPT_MODIFIERS[key]
    return Modifier(code=key, system="CPT", name=explanation.name, explanation=explanation.text)


def all_modifiers() -> list[Modifier]:
    """CPT's payment-policy modifiers, then every HCPCS Level II modifier imported, in code order."""
    hcpcs = Code.objects.filter(system__slug="hcpcs", kind=Code.Kind.MODIFIER).order_by("code")
    found = [_cpt_modifier(key) for key in CPT_MODIFIERS]
    found += [_hcpcs_modifier(code) for code in hcpcs if code.code not in CPT_MODIFIERS]
    # Before an HCPCS file is imported, the ones we explain are still listed, with our words alone.
    present = {m.code for m in found}
    found += [_explained_only(key) for key in HCPCS_EXPLANATIONS if key not in present]
    return sorted(found, key=lambda m: (m.code[0].isalpha(), m.code))


def page_url(modifier: str) -> str | None:
    """The page of a modifier we explain (always there, HCPCS file loaded or not); None for the others,
    whose page depends on the HCPCS file. No query: the fee schedule section links with it."""
    key = modifier.strip().upper()
    return (
        reverse("rules:modifier", args=[key]) if key in CPT_MODIFIERS or key in HCPCS_EXPLANATIONS else None
    )


def get_modifier(text: str) -> Modifier | None:
    key = normalize_code(text)
    if len(key) != 2:
        return None
    if key in CPT_MODIFIERS:
        return _cpt_modifier(key)
    code = Code.objects.filter(system__slug="hcpcs", kind=Code.Kind.MODIFIER, key=key).first()
    if code is not None:
        return _hcpcs_modifier(code)
    return _explained_only(key) if key in HCPCS_EXPLANATIONS else None


def _explained_only(key: str) -> Modifier:
    return Modifier(code=key, system="HCPCS", name="", explanation=HCPCS_EXPLANATIONS[key])
