"""Generated plain-language texts, read as a coder would read them.

On the official files where they are (../shared/data beside the project, or
SHARED_DATA), else on the small samples in fixtures/plain_language/ cut from them
(each test code with its lineage and its siblings; PCS codes one character away). The
texts come from the real import and the real generate_plain_texts command.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from lookup.models import Code, CodeSystem, PlainText, Release
from lookup.plain_language.bulk import write_plain_texts
from tests.conftest import SHARED_DATA

SAMPLES = settings.BASE_DIR / "fixtures" / "plain_language"
FULL = {
    "icd-10-cm": SHARED_DATA / "cdc" / "icd10cm" / "icd10cm-tabular-April-2026.xml.gz",
    "hcpcs": SHARED_DATA / "cms" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip",
    "icd-10-pcs": SHARED_DATA / "cms" / "icd10pcs" / "icd10pcs-codes-2024.txt.gz",
}
SAMPLE = {
    "icd-10-cm": SAMPLES / "icd10cm-tabular-plain-sample-April-2026.xml",
    "hcpcs": SAMPLES / "HCPC2026_JAN_ANWEB_plain_sample.txt",
    "icd-10-pcs": SAMPLES / "icd10pcs_codes_2024_plain_sample.txt",
}
USING_FULL_DATA = all(path.exists() for path in FULL.values())
# On the full files this module reads the session's one import of them (full_data), last.
pytestmark = [pytest.mark.full_data] if USING_FULL_DATA else []


@pytest.fixture(scope="module")
def generated(request, django_db_setup, django_db_blocker):
    """The three code sets imported (each import writes its generated texts), then, on the
    samples, generate_plain_texts run over them, once for the module. The full import's texts
    are its own (a rerun over 190,000 codes would take minutes and write nothing: the rerun
    test below checks that on one code set)."""
    if USING_FULL_DATA:
        request.getfixturevalue("full_data")
        yield
        return
    with django_db_blocker.unblock():
        for system, path in SAMPLE.items():
            call_command("import_codes", system, str(path), verbosity=0)
        call_command("generate_plain_texts", stdout=StringIO())
        yield
        with connection.cursor() as cursor:
            # The releases too: a later module importing the same release label must find none.
            cursor.execute(f"TRUNCATE {Code._meta.db_table}, {Release._meta.db_table} CASCADE")


def text_of(system: str, code: str) -> str:
    found = PlainText.objects.get(code__system__slug=system, code__code=code)
    return f"{found.description}\n{found.notes}"


# What a coder checks in each text: the words, and where the code's characters say it.
TABLE = [
    # ICD-10-CM: laterality, the 7th character, placeholders, trimesters, intent, Z codes
    (
        "icd-10-cm",
        "S52.521A",
        [
            "Torus fracture (buckle fracture) of lower end of right radius (forearm bone on the thumb side).",
            "The 7th character A means initial encounter for closed fracture: "
            "first treatment of a break with the skin unbroken.",
            "It sits in category S52 (Fracture of forearm), in the block Injuries to the elbow and forearm "
            "(S50-S59), in chapter 19, Injury, poisoning and certain other consequences of external causes.",
            "Never code this together with (Excludes1, a note on S52): traumatic amputation of forearm (S58.-).",
        ],
    ),
    ("icd-10-cm", "S52.522A", ["lower end of left radius", "The 7th character A means initial encounter"]),
    (
        "icd-10-cm",
        "T36.0X1A",
        [
            "Poisoning by penicillins (family of antibiotics), accidental (unintentional).",
            "How it happened: by accident.",
            "The 7th character A means initial encounter: first treatment",
            "The X in the code is a placeholder that keeps the 7th character in 7th place.",
            "Never code this together with (Excludes1, a note on T36): antineoplastic antibiotics (T45.1-)",
        ],
    ),
    (
        "icd-10-cm",
        "T36.0X5A",
        [
            "Adverse effect (side effect) of penicillins",
            "It records a side effect of a medicine taken as prescribed.",
        ],
    ),
    (
        "icd-10-cm",
        "O09.511",
        [
            "Supervision of elderly primigravida (first pregnancy at age 35 or older), first trimester.",
            "Stage of pregnancy: first trimester, the first three months of pregnancy, up to 14 weeks.",
            "in the block Supervision of high risk pregnancy (O09), in chapter 15, Pregnancy, childbirth",
        ],
    ),
    (
        "icd-10-cm",
        "O24.410",
        ["Gestational diabetes mellitus (diabetes of pregnancy) in pregnancy, diet controlled."],
    ),
    (
        "icd-10-cm",
        "Z00.00",
        [
            "Encounter for general adult medical examination without abnormal findings.",
            "Also covers: Encounter for adult health check-up NOS.",
            "in chapter 21, Factors influencing health status and contact with health services",
        ],
    ),
    (
        "icd-10-cm",
        "Z23",
        [
            "Encounter for immunization (vaccination).",
            "Code first: any routine childhood examination.",
            "Code also: if applicable, encounter for immunization safety counseling (Z71.85).",
        ],
    ),
    ("icd-10-cm", "Z79.4", ["Long term (current) use of insulin.", "(Excludes2)"]),
    (
        "icd-10-cm",
        "I21.4",
        [
            "Non-ST elevation (NSTEMI) myocardial infarction (heart attack).",
            "Also covers: Acute subendocardial myocardial infarction;",
            "Also code, where it applies (a note on I21): exposure to environmental tobacco smoke (Z77.22);",
        ],
    ),
    ("icd-10-cm", "I10", ["Essential (primary) hypertension (high blood pressure)."]),
    (
        "icd-10-cm",
        "E11.9",
        [
            "Type 2 diabetes mellitus without complications.",
            "Never code this together with (Excludes1): type 2 diabetes mellitus, without complications in "
            "remission (E11.A).",
            "Also code, where it applies (a note on E11): control using: injectable non-insulin antidiabetic "
            "drugs (Z79.85); insulin (Z79.4);",
        ],
    ),
    (
        "icd-10-cm",
        "E11",
        ["It is not billable on its own: a claim uses one of the", "billable codes under it."],
    ),
    (
        "icd-10-cm",
        "E08-E13",
        ["A block of codes: Diabetes mellitus.", "It runs from E08 to E13.", "chapter 4"],
    ),
    ("icd-10-cm", "E00-E89", ["Chapter 4 of ICD-10-CM: Endocrine, nutritional and metabolic diseases."]),
    (
        "icd-10-cm",
        "H10.31",
        ["Unspecified acute conjunctivitis (pink eye), right eye.", "It is for the right side."],
    ),
    ("icd-10-cm", "B02.9", ["Zoster (shingles) without complications.", "Also covers: Zoster NOS."]),
    (
        "icd-10-cm",
        "J44.9",
        ["Chronic obstructive pulmonary disease (long-term lung disease that narrows the airways)"],
    ),
    (
        "icd-10-cm",
        "G47.33",
        ["Obstructive sleep apnea (adult) (pediatric) (breathing that stops and starts in sleep"],
    ),
    (
        "icd-10-cm",
        "L03.116",
        ["Cellulitis (skin infection) of left lower limb (leg).", "It is for the left side."],
    ),
    ("icd-10-cm", "M17.11", ["Unilateral primary osteoarthritis (wear-and-tear arthritis), right knee."]),
    (
        "icd-10-cm",
        "F32.A",
        [
            "Depression, unspecified.",
            "Never code this together with (Excludes1, a note on F32): bipolar disorder",
        ],
    ),
    # ICD-10-PCS: each character from the code set's own titles
    (
        "icd-10-pcs",
        "0DTJ4ZZ",
        [
            "Resection of Appendix (small pouch off the large bowel), Percutaneous Endoscopic Approach.",
            "Resection means cutting out or off all of a body part, without replacing it.",
            "Percutaneous endoscopic approach: keyhole surgery through small cuts with a scope, such as laparoscopic",
            "Its seven characters: 0 = Medical and Surgical (section); D = Gastrointestinal System (body system); "
            "T = Resection (root operation); J = Appendix (body part); 4 = Percutaneous Endoscopic (approach); "
            "Z = No Device (device); Z = No Qualifier (qualifier).",
        ],
    ),
    (
        "icd-10-pcs",
        "0DTJ0ZZ",
        ["0 = Open (approach)", "Open approach: through a cut that lays the site bare."],
    ),
    (
        "icd-10-pcs",
        "0SRC0J9",
        [
            "C = Right Knee Joint (body part)",
            "J = Synthetic Substitute (device)",
            "9 = Cemented (qualifier)",
            "Device left in the body: Synthetic Substitute (man-made material used as a graft).",
        ],
    ),
    (
        "icd-10-pcs",
        "02703DZ",
        [
            "7 = Dilation (root operation)",
            "D = Intraluminal Device (device)",
            "Dilation means widening a tube",
        ],
    ),
    (
        "icd-10-pcs",
        "0DB68ZX",
        ["X = Diagnostic (qualifier)", "Diagnostic: done to find out what is wrong, for example a biopsy."],
    ),
    (
        "icd-10-pcs",
        "BW03ZZZ",
        ["Plain Radiography (x-ray) of Chest.", "0 = Plain Radiography (type)", "(contrast)"],
    ),
    ("icd-10-pcs", "3E0234Z", ["4 = Serum, Toxoid and Vaccine (substance)", "Introduction means putting in"]),
    (
        "icd-10-pcs",
        "10D00Z0",
        ["D = Extraction (root operation)", "0 = High (qualifier)", "1 = Obstetrics (section)"],
    ),
    # HCPCS Level II: drug and dose per unit, equipment, supplies, modifiers
    (
        "hcpcs",
        "J1100",
        [
            "An injection of dexamethasone sodium phosphate (steroid that calms inflammation and swelling).",
            "One billed unit of this code is 1 milligram (mg).",
            "A dose of 2 mg is reported as 2 units.",
            "It is in the HCPCS Level II section J0000-J8499: drugs administered other than oral method.",
        ],
    ),
    (
        "hcpcs",
        "J0696",
        ["ceftriaxone (cephalosporin antibiotic)", "One billed unit of this code is 250 milligrams"],
    ),
    ("hcpcs", "J9035", ["bevacizumab", "section J9000-J9999: chemotherapy drugs"]),
    (
        "hcpcs",
        "E1390",
        [
            "Oxygen concentrator (machine that makes concentrated oxygen from room air), single delivery port",
            "section E0000-E9999: durable medical equipment.",
        ],
    ),
    ("hcpcs", "A4233", ["blood glucose monitor (blood sugar meter)", "Billed for each item."]),
    (
        "hcpcs",
        "A0428",
        ["Ambulance service, basic life support", "transportation services, including ambulance"],
    ),
    ("hcpcs", "LT", ["A modifier added to a code to show: Left side"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("system", "code", "phrases"), TABLE, ids=[f"{row[0]}:{row[1]}" for row in TABLE])
def test_generated_text_reads_right(generated, system, code, phrases):
    text = text_of(system, code)
    for phrase in phrases:
        assert phrase in text


def test_the_table_covers_25_codes_across_the_three_systems():
    assert len(TABLE) >= 25
    assert {row[0] for row in TABLE} == {"icd-10-cm", "icd-10-pcs", "hcpcs"}


@pytest.mark.django_db
def test_licensed_text_never_goes_into_a_generated_text(generated):
    """A dental code's text is the ADA's, a CPT descriptor the AMA's: no generated text reads them."""
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    cpt = CodeSystem.objects.get(slug="cpt")
    # On the full data the fee schedule brings both codes already, flagged the same way.
    dental, _ = Code.objects.update_or_create(
        system=hcpcs,
        key="D0120",
        defaults={"code": "D0120", "official_description": "Licensed dental words", "text_licence": "ADA"},
    )
    surgery, _ = Code.objects.update_or_create(
        system=cpt,
        key="44970",
        defaults={"code": "44970", "official_description": "Licensed CPT words", "text_licence": "AMA"},
    )
    write_plain_texts(hcpcs)
    write_plain_texts(cpt)
    assert not PlainText.objects.filter(code__in=[dental, surgery]).exists()
    assert not PlainText.objects.filter(description__contains="Licensed").exists()


@pytest.mark.django_db
def test_our_teams_texts_stay_and_a_rerun_writes_nothing_new(generated):
    # HCPCS: the smallest of the three full code sets, for a rerun over all of it.
    code = Code.objects.get(system__slug="hcpcs", key="J1100")
    before = PlainText.objects.get(code=code).description
    Code.objects.filter(pk=code.pk).update(plain_description="Our own words.", plain_source="team")
    summary = write_plain_texts(code.system)
    assert summary.written == 0
    assert PlainText.objects.get(code=code).description == before  # the old generated row, unused
    code.refresh_from_db()
    assert code.plain_description == "Our own words."
