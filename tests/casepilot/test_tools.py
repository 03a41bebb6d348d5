"""The tools read our tables and return facts with their sources; licensed text never comes out."""

from __future__ import annotations

import pytest

from casepilot import rule_tools, tools
from lookup.models import Code

pytestmark = pytest.mark.usefixtures("casepilot_data")


def code(system: str, key: str) -> Code:
    return Code.objects.select_related("system").get(system__slug=system, key=key)


def text_of(result) -> str:
    return "\n".join(f"{fact.text}\n" + "\n".join(fact.details) for fact in result.facts)


def test_code_lookup_of_an_icd_code_has_title_billable_place_and_notes_with_sources():
    result = tools.code_lookup(code("icd-10-cm", "E119"))
    text = text_of(result)
    assert "ICD-10-CM E11.9: Type 2 diabetes mellitus without complications" in text
    assert "is a billable code" in text
    assert "E11 Type 2 diabetes mellitus" in text  # where it sits
    assert "type 1 diabetes mellitus (E10.-)" in text  # the category's Excludes1, inherited
    urls = {fact.source.url for fact in result.facts}
    assert "/icd-10-cm/E11.9/" in urls and "/icd-10-cm/E11/" in urls
    assert result.focus == "icd-10-cm:E119"


def test_code_lookup_of_a_cpt_code_never_gives_the_descriptor_but_gives_our_words_and_payment():
    result = tools.code_lookup(code("cpt", "99213"))
    text = text_of(result)
    assert "needs an AMA licence" in text
    assert "established patient" in text  # our plain-language description
    assert "$88.95" in text  # 2.75 RVUs x 32.3465, CY2025
    assert any(fact.source.url == "/cpt/99213/?year=2025" for fact in result.facts)


def test_the_one_cpt_descriptor_we_may_ship_is_shown():
    assert "Teletherapy isodose plan; complex" in text_of(tools.code_lookup(code("cpt", "77307")))


def test_licensed_cpt_text_in_the_table_never_leaves_a_tool(settings):
    settings.TEXT_LICENCES = set()
    Code.objects.filter(key="99214").update(
        official_description="SECRET AMA DESCRIPTOR TEXT", title="SECRET SHORT"
    )
    found = code("cpt", "99214")
    for result in (tools.code_lookup(found), tools.payment(found), rule_tools.modifiers_for(found)):
        assert "SECRET" not in text_of(result)
        assert "SECRET" not in str(result.for_model())


def test_ada_text_shows_only_with_the_licence(settings):
    # The fee schedule sample made D0120's page; give it the text an HCPCS import would.
    Code.objects.filter(key="D0120").update(official_description="ADA OWNED TEXT", text_licence="ADA")
    dental = code("hcpcs", "D0120")
    settings.TEXT_LICENCES = set()
    assert "ADA OWNED TEXT" not in text_of(tools.code_lookup(dental))
    settings.TEXT_LICENCES = {"ADA"}
    assert "ADA OWNED TEXT" in text_of(tools.code_lookup(dental))


def test_code_search_gives_candidates_with_what_distinguishes_them():
    result = tools.code_search("torus fracture of right radius initial encounter")
    assert result.found
    first = result.facts[0]
    assert first.text.startswith("ICD-10-CM S52.521A")
    assert "billable" in first.details
    assert "side: right" in first.details
    assert "7th character A: initial encounter for closed fracture" in first.details


def test_pair_check_excludes2_and_excludes1():
    together = tools.pair_check(code("icd-10-cm", "I10"), code("icd-10-cm", "I10"))
    assert "Both codes" in text_of(together)
    # S52's Excludes2 "fracture at wrist and hand level (S62.-)" is about another category, but
    # I10 and the chapter notes of injuries: Excludes2 at I00-I99 names S00-T88.
    result = tools.pair_check(code("icd-10-cm", "I10"), code("icd-10-cm", "S52521A"))
    text = text_of(result)
    assert "Excludes2: may be coded together" in text
    assert "(S00-T88)" in text
    assert any(fact.source.url == "/icd-10-cm/I00-I99/" for fact in result.facts)


def test_pair_check_of_procedure_codes_reads_the_ncci_edits():
    result = tools.pair_check(code("cpt", "99214"), code("cpt", "99213"))
    text = text_of(result)
    assert "99213 is bundled into 99214" in text and "Modifier indicator 0" in text
    assert "/check/?codes=99214,99213" in [fact.source.url for fact in result.facts]


def test_modifiers_from_the_fee_schedule_indicators():
    text = text_of(rule_tools.modifiers_for(code("cpt", "77307"), "26"))
    assert "Modifier 26 applies to CPT 77307" in text
    assert "PC/TC indicator 1" in text
    assert "$149.44" in text  # 4.62 RVUs x 32.3465
    assert "Modifier 26 does not apply to CPT 99213" in text_of(
        rule_tools.modifiers_for(code("cpt", "99213"), "26")
    )
    knee = text_of(rule_tools.modifiers_for(Code.objects.select_related("system").get(key="27447")))
    assert "Modifier 50 applies to CPT 27447" in knee and "150%" in knee
    assert "Modifier 62 may apply, with documentation, to CPT 27447" in knee
    assert "Modifier 66 does not apply to CPT 27447" in knee
    assert "Modifiers 80/81/82/AS apply to CPT 27447" in knee


def test_payment_with_rvus_and_change_from_last_year():
    result = tools.payment(code("cpt", "77307"))
    text = text_of(result)
    assert "CY2025 national Medicare payment for CPT 77307: $283.36" in text
    assert "Total RVUs: 8.76" in text
    assert "Change from CY2024" in text
    assert "with modifier 26: $149.44" in text


def test_payment_for_a_code_not_paid_under_the_schedule_says_why():
    text = text_of(tools.payment(code("hcpcs", "J1100")))
    assert "status E" in text and "No national amount" in text


def test_seventh_characters_and_existing_full_codes():
    result = tools.seventh_characters(code("icd-10-cm", "S52521"))
    text = text_of(result)
    assert "needs a 7th character, listed at S52.52" in text
    assert "A: initial encounter for closed fracture (S52.521A)" in text
    assert "D: subsequent encounter for fracture with routine healing" in text
    done = text_of(tools.seventh_characters(code("icd-10-cm", "S52521A")))
    assert "already has its 7th character, A" in done
    assert "needs no 7th character" in text_of(tools.seventh_characters(code("icd-10-cm", "E119")))


def test_guides_are_found_by_their_keywords():
    assert tools.guide_matches("Guidelines for E/M services")[0].slug == "em-code-selection"
    assert tools.guide_matches("what is the X placeholder?")[0].slug == "seventh-characters-and-x-placeholder"
    assert tools.guide_matches("global surgery days")[0].slug == "global-surgery-days"


def test_run_tool_answers_bad_names_and_arguments_with_a_result():
    assert not tools.run_tool("drop_tables", {}).found
    assert not tools.run_tool("code_lookup", {"code": "E11.99"}).found
    assert tools.run_tool("code_lookup", {"code": "J1100"}).focus == "hcpcs:J1100"
    assert tools.run_tool("code_lookup", {"code": "99213", "system": "cpt"}).focus == "cpt:99213"
