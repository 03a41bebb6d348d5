"""The place-of-service list against CMS's code set and the fee schedule's facility rule."""

from __future__ import annotations

import pytest

from rules import places

FACILITY, NON_FACILITY = places.FACILITY, places.NON_FACILITY

# Every code of CMS's Place of Service Code Set, its CMS name, and the Physician Fee Schedule rate
# (42 CFR 414.22(b)(5)(i): facility PE RVUs in hospitals, ASCs, SNFs, hospices, ambulances, the
# psychiatric and inpatient rehabilitation settings and military facilities; CY2024 final rule:
# telehealth outside the home (02) at the facility rate, at home (10) at the non-facility rate).
CMS_CODE_SET = [
    ("01", "Pharmacy", NON_FACILITY),
    ("02", "Telehealth Provided Other than in Patient's Home", FACILITY),
    ("03", "School", NON_FACILITY),
    ("04", "Homeless Shelter", NON_FACILITY),
    ("05", "Indian Health Service Free-standing Facility", NON_FACILITY),
    ("06", "Indian Health Service Provider-based Facility", NON_FACILITY),
    ("07", "Tribal 638 Free-standing Facility", NON_FACILITY),
    ("08", "Tribal 638 Provider-based Facility", NON_FACILITY),
    ("09", "Prison/Correctional Facility", NON_FACILITY),
    ("10", "Telehealth Provided in Patient's Home", NON_FACILITY),
    ("11", "Office", NON_FACILITY),
    ("12", "Home", NON_FACILITY),
    ("13", "Assisted Living Facility", NON_FACILITY),
    ("14", "Group Home", NON_FACILITY),
    ("15", "Mobile Unit", NON_FACILITY),
    ("16", "Temporary Lodging", NON_FACILITY),
    ("17", "Walk-in Retail Health Clinic", NON_FACILITY),
    ("18", "Place of Employment-Worksite", NON_FACILITY),
    ("19", "Off Campus-Outpatient Hospital", FACILITY),
    ("20", "Urgent Care Facility", NON_FACILITY),
    ("21", "Inpatient Hospital", FACILITY),
    ("22", "On Campus-Outpatient Hospital", FACILITY),
    ("23", "Emergency Room \u2013 Hospital", FACILITY),
    ("24", "Ambulatory Surgical Center", FACILITY),
    ("25", "Birthing Center", NON_FACILITY),
    ("26", "Military Treatment Facility", FACILITY),
    ("27", "Outreach Site/Street", NON_FACILITY),
    ("31", "Skilled Nursing Facility", FACILITY),
    ("32", "Nursing Facility", NON_FACILITY),
    ("33", "Custodial Care Facility", NON_FACILITY),
    ("34", "Hospice", FACILITY),
    ("41", "Ambulance - Land", FACILITY),
    ("42", "Ambulance \u2013 Air or Water", FACILITY),
    ("49", "Independent Clinic", NON_FACILITY),
    ("50", "Federally Qualified Health Center", NON_FACILITY),
    ("51", "Inpatient Psychiatric Facility", FACILITY),
    ("52", "Psychiatric Facility-Partial Hospitalization", FACILITY),
    ("53", "Community Mental Health Center", FACILITY),
    ("54", "Intermediate Care Facility/Individuals with Intellectual Disabilities", NON_FACILITY),
    ("55", "Residential Substance Abuse Treatment Facility", NON_FACILITY),
    ("56", "Psychiatric Residential Treatment Center", FACILITY),
    ("57", "Non-residential Substance Abuse Treatment Facility", NON_FACILITY),
    ("58", "Non-residential Opioid Treatment Facility", NON_FACILITY),
    ("60", "Mass Immunization Center", NON_FACILITY),
    ("61", "Comprehensive Inpatient Rehabilitation Facility", FACILITY),
    ("62", "Comprehensive Outpatient Rehabilitation Facility", NON_FACILITY),
    ("65", "End-Stage Renal Disease Treatment Facility", NON_FACILITY),
    ("66", "Programs of All-Inclusive Care for the Elderly (PACE) Center", NON_FACILITY),
    ("71", "Public Health Clinic", NON_FACILITY),
    ("72", "Rural Health Clinic", NON_FACILITY),
    ("81", "Independent Laboratory", NON_FACILITY),
    ("99", "Other Place of Service", NON_FACILITY),
]


def test_the_list_is_cms_code_set_and_nothing_else():
    assert [(p.code, p.name, p.rate) for p in places.all_places()] == CMS_CODE_SET


@pytest.mark.parametrize(("code", "name", "rate"), CMS_CODE_SET, ids=[row[0] for row in CMS_CODE_SET])
def test_each_place_has_its_cms_name_rate_and_a_description_of_ours(code, name, rate):
    found = places.place(code)

    assert (found.name, found.rate, found.is_facility) == (name, rate, rate == FACILITY)
    # Our own sentence, not CMS's name again.
    assert found.description.endswith(".") and found.description.lower() != name.lower() + "."


def test_the_unassigned_ranges_between_the_codes():
    assert places.unassigned_ranges() == [
        "28\u201330", "35\u201340", "43\u201348", "59", "63\u201364", "67\u201370", "73\u201380", "82\u201398",
    ]  # fmt: skip
    for code in ("00", "28", "30", "59", "64", "98", "100"):
        assert places.place(code) is None


def test_the_ambulatory_surgical_center_rate_depends_on_the_asc_list():
    asc = places.place("24")

    assert asc.is_facility
    assert "list of procedures covered in an ASC" in asc.rate_note and "non-facility rate" in asc.rate_note
    assert "CY2024" in places.place("10").rate_note
    assert places.place("11").rate_note == "" and places.place("21").rate_note == ""


def test_the_list_page_names_the_unassigned_codes_and_the_asc_condition(client, db):
    html = client.get("/pos/").content.decode()

    assert "Unassigned codes: 28\u201330, 35\u201340, 43\u201348, 59" in html
    assert "list of procedures covered in an ASC" in html
    assert "Emergency Room \u2013 Hospital" in html


def test_the_asc_page_says_when_its_facility_rate_applies(client, db):
    html = client.get("/pos/24/").content.decode()

    assert "Facility rate" in html
    assert "a procedure not on that list, done in an ASC, is paid at the non-facility rate" in html
