"""The patient-information guard, as a coder's questions would meet it."""

from __future__ import annotations

import pytest

from codeahead.privacy import describe, find_patient_information


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Patient DOB 03/14/1962 with type 2 diabetes, which code?", "a date of birth"),
        ("date of birth: 1962-03-14, seen for a torus fracture", "a date of birth"),
        ("She was born on March 14, 1962 and has COPD", "a date of birth"),
        ("MRN 00482913 came in for a follow-up", "a medical record number"),
        ("medical record number: A1234567, hypertension", "a medical record number"),
        ("member ID W123456789 was denied for 77307", "a member or insurance number"),
        ("policy # 99887766 denied the claim", "a member or insurance number"),
        ("Medicare number 1EG4-TE5-MK73 rejected 99213", "a Medicare beneficiary identifier"),
        ("the MBI is 1EG4TE5MK73", "a Medicare beneficiary identifier"),
        ("SSN 123-45-6789 on the claim", "a social security number"),
        ("social security number 123456789", "a social security number"),
        ("call her at (555) 123-4567 about the E11.9 claim", "a phone number"),
        ("reach me on 555-123-4567", "a phone number"),
        ("email the patient at jane.doe@example.com", "an email address"),
        ("Patient John Smith has E11.9 and I10", "a patient's name"),
        ("pt Mary came back for dressing change", "a patient's name"),
        ("Mrs. Alvarez had a laparoscopic appendectomy", "a patient's name"),
        ("the patient named Lee needs a code for shingles", "a patient's name"),
    ],
)
def test_identifying_details_are_found(question, reason):
    assert reason in find_patient_information(question)


@pytest.mark.parametrize(
    "question",
    [
        "What is CPT code 99213?",
        "Can I bill 77307 with 77300 on the same day?",
        "code for torus fracture of right radius, initial encounter",
        "Patient has type 2 diabetes with hyperglycemia: E11.65 or E11.9?",
        "The patient presented with chest pain, is R07.9 billable?",
        "Is a medical record number needed on the claim?",
        "Guidelines for E/M services effective 01/01/2025",
        "PT Evaluation codes 97161-97163 with modifier GP",
        "What changed in the FY2026 release, October 1, 2025?",
        "NDC 0409-4888-01 for J1100, how many units?",
        "Bilateral procedure 69436 with modifier 50",
        "0DTJ4ZZ versus 0DTJ0ZZ",
    ],
)
def test_coding_questions_pass(question):
    assert find_patient_information(question) == []


def test_the_reasons_read_as_one_sentence():
    reasons = find_patient_information("Patient John Smith, DOB 01/02/1950, phone 555-123-4567")
    assert reasons == ["a date of birth", "a phone number", "a patient's name"]
    assert describe(reasons) == (
        "Your question seems to contain a date of birth, a phone number and a patient's name. "
        "Remove it and ask again: we never store information that identifies a patient."
    )
