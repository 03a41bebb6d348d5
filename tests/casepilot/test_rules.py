"""CasePilot answers from the coding rules (rules/tools.py): NCCI pairs, MUEs, modifiers, places of
service and GEM crosswalks, citing their pages; and says so plainly when a rule file is not loaded."""

from __future__ import annotations

import pytest

from casepilot import rule_tools
from casepilot.answer import Kind, answer_question
from casepilot.checker import check_answer
from casepilot.facts import Answer, Fact, Source
from casepilot.model import answer_with_model
from lookup.models import Code
from tests.casepilot.test_model import final, tool_call
from tests.casepilot.test_model import model as model  # the scripted model server, a fixture


def cited(answer: Answer) -> dict[str, str]:
    return {source.url: source.release for source in answer.citations}


@pytest.mark.usefixtures("casepilot_data")
class TestWithTheRuleFilesLoaded:
    def test_a_ptp_pair_names_its_columns_indicator_modifiers_and_release(self):
        answer = answer_question("Can I bill 77307 with 77300?")
        assert answer.kind == Kind.NCCI
        assert answer.headline.startswith("Only with a modifier: 77300 is bundled into 77307")
        text = answer.all_text()
        assert (
            "NCCI PTP edit, practitioner: column 1 77307, column 2 77300, in effect since January 1, 2015"
            in text
        )
        assert "NCCI PTP edit, hospital outpatient: column 1 77307, column 2 77300" in text
        assert "Modifier indicator 1" in text and "distinct service 59, XE, XS, XP, XU" in text
        assert "Rationale: CPT Manual or CMS manual coding instructions" in text
        releases = [s.release for s in answer.citations if s.url == "/check/?codes=77307,77300"]
        assert any("NCCI PTP edits, practitioner services 32.0" in release for release in releases)
        assert any("NCCI PTP edits, hospital outpatient services 32.0" in release for release in releases)
        assert not answer.flags

    def test_the_check_page_the_answer_cites_shows_the_same_edit(self, client, member):
        answer = answer_question("Can I bill 77307 with 77300?")
        page = client.get(next(url for url in cited(answer) if url.startswith("/check/")))
        assert page.status_code == 200
        assert "77307" in page.content.decode() and "77300" in page.content.decode()

    def test_an_edit_no_modifier_breaks_says_no(self):
        answer = answer_question("Can 99214 and 99213 be billed together?")
        assert answer.headline.startswith("No: 99213 is bundled into 99214")
        assert "Modifiers that may break it" not in answer.all_text()

    def test_mue_units_with_the_adjudication_indicator_by_setting(self):
        answer = answer_question("How many units of 77307 per day?")
        assert answer.kind == Kind.MUE
        text = answer.all_text()
        assert "MUE for CPT 77307, practitioner services: at most 1 unit per day" in text
        assert "MUE for CPT 77307, outpatient hospital services: at most 1 unit per day" in text
        assert "MUE adjudication indicator 2: Date-of-service edit (policy)" in text
        assert "MUEs, practitioner services 2026-01" in cited(answer)["/cpt/77307/#ncci"]

    def test_modifier_answers_come_from_the_rules_app_and_cite_its_pages(self):
        answer = answer_question("Can I use modifier 26 with 77307?")
        assert answer.headline == "Yes: modifier 26 applies to CPT 77307 (CY2025)."
        assert "/cpt/77307/#modifiers" in cited(answer)
        meaning = answer_question("What does modifier 50 mean?")
        assert "/modifiers/50/" in cited(meaning)
        assert "Bilateral procedure" in meaning.all_text()

    def test_a_place_of_service_and_the_facility_list(self):
        office = answer_question("What is place of service 11?")
        assert (
            office.kind == Kind.POS
            and office.headline
            == "Place of service 11 is Office, paid at the fee schedule's non-facility rate."
        )
        assert "/pos/11/" in cited(office)
        facility = answer_question("which POS is facility")
        listed = facility.all_text()
        assert "21 Inpatient Hospital" in listed and "23 Emergency Room – Hospital" in listed
        assert "\n11 Office" not in listed and "\n12 Home" not in listed
        assert "99 is not" not in answer_question("place of service 99").all_text()
        assert "98 is not a place-of-service code" in answer_question("place of service 98").headline

    def test_an_icd9_code_maps_to_icd10_with_its_flags_in_plain_words(self):
        answer = answer_question("What does ICD-9 250.00 map to?")
        assert answer.kind == Kind.CROSSWALK
        assert answer.headline == "ICD-9-CM 250.00 maps to ICD-10-CM E11.9."
        assert "Identical in meaning" in answer.all_text()
        assert "/icd-10-cm/E11.9/#crosswalk" in cited(answer)
        assert answer.focus == "icd-10-cm:E119"  # a follow-up is about E11.9
        combination = answer_question("E11.22 crosswalk to icd-9").all_text()
        assert "ICD-10-CM E11.22 maps to ICD-9-CM 250.40" in combination
        assert "Combination" in combination and "scenario 1" in combination

    def test_an_icd9_code_the_gems_do_not_hold_is_not_a_code(self):
        answer = answer_question("What does ICD-9 999.99 map to?")
        assert "ICD-9-CM 999.99 is not a code in the GEMs" in answer.headline
        assert "maps to" not in answer.all_text()

    def test_the_checker_flags_icd9_codes_the_gems_do_not_hold(self):
        answer = Answer(
            question="",
            kind=Kind.CROSSWALK,
            headline="ICD-9-CM 250.00 maps to ICD-10-CM E11.9.",
            facts=[Fact("ICD-9-CM 123.45 maps to ICD-10-CM E11.9; ICD-9-CM V70.0 too.", Source("/", "x"))],
        )
        report = check_answer(answer)
        assert report.unknown == ["ICD-9-CM 123.45"]
        assert "ICD-9-CM 123.45 [not a code in our data]" in answer.facts[0].text
        assert "ICD-9-CM V70.0 too" in answer.facts[0].text  # an ICD-9 code, not ICD-10-CM V70.0
        assert answer.headline == "ICD-9-CM 250.00 maps to ICD-10-CM E11.9."

    def test_the_checker_flags_an_invented_code_in_an_edit(self):
        answer = Answer(question="", kind=Kind.NCCI, headline="Column 1 77307, column 2 77399.")
        assert check_answer(answer).unknown == ["77399"]


@pytest.mark.usefixtures("casepilot_data_without_rules")
class TestWithoutTheRuleFiles:
    def test_no_edit_is_invented_when_the_ptp_files_are_not_loaded(self):
        answer = answer_question("Can I bill 77307 with 77300?")
        assert answer.kind == Kind.RULES and answer.ask_expert
        assert "has not loaded CMS's NCCI procedure-to-procedure edits" in answer.headline
        assert "bundled into" not in answer.all_text() and "column 1" not in answer.all_text()

    def test_no_units_are_invented_when_the_mue_files_are_not_loaded(self):
        answer = answer_question("How many units of J1100 per day?")
        assert answer.kind == Kind.RULES
        assert "has not loaded CMS's medically unlikely edits" in answer.headline
        assert "at most" not in answer.all_text()

    def test_no_mapping_is_invented_when_the_gems_are_not_loaded(self):
        for question in ("What does ICD-9 250.00 map to?", "What does E11.9 map to in ICD-9?"):
            answer = answer_question(question)
            assert answer.kind == Kind.RULES
            assert "has not loaded CMS's General Equivalence Mappings" in answer.headline
            assert "maps to ICD" not in answer.all_text() and "not a code" not in answer.all_text()

    def test_places_of_service_need_no_file(self):
        assert answer_question("What is place of service 21?").kind == Kind.POS


@pytest.mark.usefixtures("casepilot_data")
class TestTheModelCallsTheRuleTools:
    def test_the_rule_tools_are_offered(self, model):
        model.script = [final("")]
        answer_with_model("Can I bill 77307 with 77300?")
        names = {tool["function"]["name"] for tool in model.requests[0]["tools"]}
        assert {"ncci_pair", "units_per_day", "place_of_service", "crosswalk", "modifiers"} <= names

    def test_a_model_that_calls_each_rule_tool_gets_their_facts(self, model):
        calls = [
            tool_call("ncci_pair", {"first": "77307", "second": "77300"}, "call_1"),
            tool_call("units_per_day", {"code": "J1100"}, "call_2"),
            tool_call("place_of_service", {"code": "21"}, "call_3"),
        ]
        one_reply = calls[0]
        for call in calls[1:]:  # three calls in one round, as models do
            one_reply["choices"][0]["message"]["tool_calls"] += call["choices"][0]["message"]["tool_calls"]
        model.script = [
            one_reply,
            final(
                "77300 is bundled into 77307; a modifier may break the edit. J1100: at most 120 units a day."
            ),
        ]
        answer = answer_with_model("What is the code for a torus fracture, and the rules for 77307?")
        assert answer.used_model
        # A sentence naming a CPT code whose text is licensed is left out (the model's words are
        # never trusted near licensed text); the tools' facts about it are shown all the same.
        assert answer.summary == "J1100: at most 120 units a day."
        assert "A sentence about a code whose official text is licensed was left out." in answer.flags
        text = answer.all_text()
        assert "column 1 77307, column 2 77300" in text
        assert "MUE for HCPCS J1100, practitioner services: at most 120 units per day" in text
        assert "Place of service 21 is Inpatient Hospital" in text
        assert {"ncci", "mue", "place_of_service"} <= set(answer.tools_used)
        assert "/pos/21/" in cited(answer)
        ncci_message = model.requests[1]["messages"][-3]  # the tools' replies, in the order called
        assert ncci_message["tool_call_id"] == "call_1" and "Modifier indicator 1" in ncci_message["content"]

    def test_an_icd9_crosswalk_call_and_an_invented_icd9_code_in_the_summary(self, model):
        model.script = [
            tool_call("crosswalk", {"code": "250.00", "system": "icd-9-cm"}),
            final("ICD-9-CM 250.00 maps to ICD-10-CM E11.9. ICD-9-CM 250.99 maps to ICD-10-CM E11.65."),
        ]
        answer = answer_with_model("What does ICD-9 250.00 map to?")
        assert answer.summary == "ICD-9-CM 250.00 maps to ICD-10-CM E11.9."
        assert any("250.99" in flag for flag in answer.flags)

    def test_a_tool_run_with_a_code_we_do_not_hold(self):
        result = rule_tools.units_per_day(Code.objects.select_related("system").get(key="E119"))
        assert not result.found and "no edit for ICD-10-CM E11.9" in result.facts[0].text
