"""The facts the pages, the API and the assistant share, asked as a biller would."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal

import pytest

from billing.models import FeeScheduleItem, to_cents
from rules import tools
from tests.rules.conftest import load


def rule(facts: tools.ModifierFacts, modifier: str):
    return next(r for r in facts.rules if modifier in r.modifiers)


def test_77307_takes_26_and_tc_with_the_split_of_rvus_and_amounts(fees):
    facts = tools.modifiers_for("77307")
    assert facts.year == 2025 and facts.years == [2024, 2025]
    pctc = rule(facts, "26")
    assert pctc.applies == "yes" and "TC" in pctc.modifiers
    rows = {i.modifier: i for i in FeeScheduleItem.objects.filter(hcpcs="77307", schedule__year=2025)}
    amounts = {a.label.split()[0]: a for a in pctc.amounts}
    assert amounts["26"].nonfacility == rows["26"].national_nonfacility
    assert amounts["TC"].nonfacility == rows["TC"].national_nonfacility
    assert amounts["Global"].nonfacility == rows[""].national_nonfacility
    assert (
        str(rows["26"].total_nonfacility) in pctc.effect and str(rows["TC"].total_nonfacility) in pctc.effect
    )
    assert "Physician Fee Schedule" in facts.source.release and facts.source.url.endswith("#modifiers")


def test_the_year_can_be_chosen_and_a_missing_year_or_code_gives_none(fees):
    assert tools.modifiers_for("77307", 2024).year == 2024
    assert tools.modifiers_for("77307", 1999) is None
    assert tools.modifiers_for("99999") is None


def test_a_bilateral_surgery_code_is_paid_150_percent_with_50(fees):
    item = FeeScheduleItem.objects.get(hcpcs="27447", modifier="", schedule__year=2025)
    assert item.bilateral_surgery == "1"
    bilateral = rule(tools.modifiers_for("27447"), "50")
    assert bilateral.applies == "yes" and "150%" in bilateral.effect
    both = bilateral.amounts[-1]
    assert both.nonfacility == to_cents(item.national_nonfacility * Decimal("1.5"))  # half up, as CMS rounds
    # A 90-day global: the days are named and 57 is the decision-for-surgery modifier.
    global_rule = rule(tools.modifiers_for("27447"), "57")
    assert "90-day global" in global_rule.effect and "57" in global_rule.effect


def test_77307_is_no_surgery_code_global_and_bilateral_rules_say_so(fees):
    facts = tools.modifiers_for("77307")
    assert rule(facts, "78").applies == "not applicable"
    assert rule(facts, "62").applies in ("no", "not applicable")


def test_facts_turn_into_json_for_the_api(fees, ncci):
    for fact in (tools.modifiers_for("77307"), tools.pair_check("77307,77300"), tools.pos("11")):
        json.dumps(dataclasses.asdict(fact), default=str)


def test_77307_with_77300_is_an_ncci_edit_a_modifier_may_break(ncci):
    check = tools.pair_check("77307, 77300")
    (pair,) = check.pairs
    assert pair.verdict == "modifier may apply"
    practitioner = next(e for e in pair.ncci if e.setting == "Practitioner")
    assert (practitioner.column1, practitioner.column2) == ("77307", "77300")
    assert practitioner.modifier_indicator == "1" and "59" in practitioner.modifiers["distinct service"]
    assert {e.setting for e in pair.ncci} == {"Practitioner", "Hospital outpatient"}
    assert "32.0" in practitioner.source.release and "ccipra" in practitioner.source.release
    # Each code's MUE, per setting.
    assert {(m.setting, m.units) for m in check.mues["77300"]} == {
        ("Practitioner services", 10),
        ("Outpatient hospital services", 10),
    }


def test_a_typed_modifier_that_breaks_the_edit_is_named(ncci):
    (pair,) = tools.pair_check(["77307", "77300-59"]).pairs
    assert pair.modifier_used == "59" and "modifier 59 may break" in pair.summary


def test_an_edit_with_indicator_0_is_bundled_and_deleted_edits_are_not_in_effect(ncci):
    (pair,) = tools.pair_check("77306 77307").pairs
    assert pair.verdict == "bundled" and pair.ncci[0].modifiers == {}
    (deleted,) = tools.pair_check("99214,36415").pairs
    assert deleted.verdict == "no edit" and not deleted.ncci[0].active
    assert (
        tools.pair_check("99214,36415", on=datetime.date(2020, 6, 1)).pairs[0].verdict == "modifier may apply"
    )


def test_any_number_of_codes_gives_every_pair(ncci):
    check = tools.pair_check("27447 20610 64447 27446")
    assert len(check.pairs) == 6
    verdicts = {(p.first.key, p.second.key): p.verdict for p in check.pairs}
    assert verdicts[("27447", "27446")] == "bundled"
    assert verdicts[("20610", "64447")] == "no edit"


def test_e11_9_with_e10_9_is_excludes1_inherited_from_e11(type_1_diabetes):
    (pair,) = tools.pair_check("E11.9, E10.9").pairs
    assert pair.verdict == "not together"
    e11 = next(n for n in pair.notes if n.code == "E11.9")
    assert e11.kind == "excludes1" and e11.at == "E11" and e11.inherited
    assert e11.note == "type 1 diabetes mellitus (E10.-)"
    assert "Excludes1 at E11" in pair.summary
    # E10's own note says the same from the other side.
    assert any(n.code == "E10.9" and n.at == "E10" for n in pair.notes)


def test_e11_9_with_i10_is_allowed(demo_codes):
    (pair,) = tools.pair_check("e119 I10").pairs
    assert pair.verdict == "allowed" and not [n for n in pair.notes if n.kind == "excludes1"]


def test_use_additional_code_gives_the_order(demo_codes):
    (pair,) = tools.pair_check("E11.9, Z79.4").pairs
    assert pair.verdict == "allowed"
    note = next(n for n in pair.notes if n.kind == "use_additional_code")
    assert note.at == "E11" and "list E11.9 first, then Z79.4" in note.says


def test_excludes2_allows_both(demo_codes):
    (pair,) = tools.pair_check("I10 E11.9").pairs
    # I00-I99 has an Excludes2 note for E00-E88: both may be coded.
    assert any(n.kind == "excludes2" and n.at == "I00-I99" for n in pair.notes)
    assert pair.verdict == "allowed"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "at least two"),
        ("77307", "at least two"),
        ("77307 77307", "two different"),
        ("77307,\x00", "character"),
        ("7" * 10_000, "at most"),
        ("<script>alert(1)</script>, 77300", "not"),
        (",".join(["77300"] * 21), "at most 20"),
    ],
)
def test_codes_that_cannot_be_read_raise_one_sentence(db, typed, message):
    with pytest.raises(tools.CodeInputError, match=message):
        tools.pair_check(typed)


def test_mue_pos_and_crosswalk(ncci):
    assert [(m.setting, m.units, m.adjudication) for m in tools.mue("27447")] == [
        ("Outpatient hospital services", 1, "2"),
        ("Practitioner services", 1, "2"),
    ]
    assert tools.mue("00000") == []
    office, inpatient = tools.pos("11"), tools.pos("21")
    assert (office.rate, inpatient.rate) == ("non-facility", "facility")
    assert tools.pos("1").code == "01" and tools.pos("28") is None and tools.pos("x") is None
    for path in __import__("tests.rules.conftest", fromlist=["GEM_FILES"]).GEM_FILES:
        load("gems", path)
    walk = tools.crosswalk("E11.9")
    assert [(m.source, m.target) for m in walk.forward] == [("E11.9", "250.00")]
    assert [m.source for m in walk.backward] == ["250.00"] and walk.loaded
    assert walk.source.url == "/code/E119/#crosswalk" and "2018" in walk.source.release
    assert tools.crosswalk("").forward == [] and tools.crosswalk("<b>").backward == []


def test_an_icd9_code_crosswalks_forward_and_back_and_releases_are_listed_by_kind(ncci):
    assert tools.icd9_crosswalk("250.00").loaded is False and tools.releases_loaded("gem") == []
    assert any("practitioner services 32.0" in label for label in tools.releases_loaded("ptp"))
    for path in __import__("tests.rules.conftest", fromlist=["GEM_FILES"]).GEM_FILES:
        load("gems", path)
    walk = tools.icd9_crosswalk("250.00")
    assert [(m.source, m.target, m.approximate) for m in walk.forward] == [("250.00", "E11.9", False)]
    assert [(m.source, m.target) for m in walk.backward] == [("E11.9", "250.00")]
    procedure = tools.icd9_crosswalk("81.54")
    assert [m.target for m in procedure.forward] == ["0SRC0J9", "0SRD0J9"]
    no_map = tools.icd9_crosswalk("798.1").forward
    assert no_map[0].no_map and no_map[0].target == ""
    assert tools.icd9_crosswalk("999.99").forward == [] and tools.icd9_crosswalk("").backward == []


@pytest.mark.parametrize(
    "note, key, named",
    [
        ("type 1 diabetes mellitus (E10.-)", "E109", True),
        ("type 1 diabetes mellitus (E10.-)", "E119", False),
        ("hypertensive disease complicating pregnancy (O10-O11, O13-O16)", "O141", True),
        ("hypertensive disease complicating pregnancy (O10-O11, O13-O16)", "O120", False),
        ("code to identify stage of chronic kidney disease (N18.1-N18.6)", "N184", True),
        ("code to identify stage of chronic kidney disease (N18.1-N18.6)", "N189", False),
        ("gestational diabetes (O24.4-)", "O24419", True),
        ("endocrine, nutritional and metabolic diseases (E00-E88)", "E119", True),
        ("endocrine, nutritional and metabolic diseases (E00-E88)", "E890", False),
        ("a note without a code", "E119", False),
    ],
)
def test_a_note_names_codes_ranges_and_everything_under_a_code(note, key, named):
    from rules.notes import names

    assert names(note, key) is named
