"""The MCP server, started as a subprocess (manage.py mcp_server) and spoken to with the mcp client."""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import anyio
import pytest
from django.conf import settings
from mcp.client.session import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client

from lookup.models import Code
from tests.conftest import subprocess_database_url

CPT_99213_TEXT = (
    "Office or other outpatient visit for the evaluation and management of an established patient"
)


def server_parameters() -> StdioServerParameters:
    url = subprocess_database_url()
    return StdioServerParameters(
        command=sys.executable,
        args=["manage.py", "mcp_server"],
        env={"DEBUG": "1", "DATABASE_URL": url, "TEXT_LICENCES": "", "PATH": os.environ.get("PATH", "")},
        cwd=str(settings.BASE_DIR),
    )


async def speak(calls: list[tuple[str, dict]]):
    async with stdio_client(server_parameters()) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        tools = await session.list_tools()
        results = [await session.call_tool(name, arguments) for name, arguments in calls]
        return init, tools, results


@pytest.mark.django_db(transaction=True)
def test_an_agent_looks_codes_up_and_searches(demo_codes_live):
    Code.objects.filter(system__slug="cpt", key="99213").update(official_description=CPT_99213_TEXT)
    # In a thread of its own: Playwright's session (the browser tests') keeps a loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(
            anyio.run,
            speak,
            [
                ("lookup_code", {"system": "icd10cm", "code": "e11.9"}),
                ("lookup_code", {"system": "cpt", "code": "99213"}),
                ("search", {"query": "diabetes", "limit": 3}),
                ("lookup_code", {"system": "icd-10-cm", "code": "Z99.999"}),
            ],
        )
        init, tools, (code, cpt, search, missing) = outcome.result(timeout=120)
    assert init.server_info.name == "CodeAhead"
    names = {tool.name for tool in tools.tools}
    assert {"lookup_code", "search"} <= names
    facts = json.loads(code.content[0].text)
    assert facts["code"] == "E11.9" and facts["title"] == "Type 2 diabetes mellitus without complications"
    assert facts["source"]["url"].endswith("/icd-10-cm/E11.9/")  # the citation
    cpt_text = cpt.content[0].text
    assert "Office or other outpatient" not in cpt_text
    assert json.loads(cpt_text)["text_withheld"] == "AMA"
    found = json.loads(search.content[0].text)
    assert found["mode"] == "words" and len(found["results"]) == 3
    assert all(r["url"] for r in found["results"])
    assert "No ICD-10-CM code" in json.loads(missing.content[0].text)["error"]


DESCRIPTOR_77300 = "Basic radiation dosimetry calculation, central axis depth dose"


@pytest.mark.django_db(transaction=True)
def test_an_agent_checks_pairs_modifiers_and_places_with_citations(rules_data_live):
    from tests.rules.conftest import add_type_1_diabetes

    add_type_1_diabetes()
    # As if the AMA's descriptor had been loaded without the licence: never to be given.
    Code.objects.filter(system__slug="cpt", key="77300").update(official_description=DESCRIPTOR_77300)
    site = settings.SITE_URL.rstrip("/")
    with ThreadPoolExecutor(max_workers=1) as pool:
        outcome = pool.submit(
            anyio.run,
            speak,
            [
                ("check_codes", {"codes": ["77307", "77300"]}),
                ("check_codes", {"codes": ["E11.9", "E10.9"]}),
                ("check_codes", {"codes": ["77307"]}),
                ("modifiers_for_code", {"system": "cpt", "code": "77307"}),
                ("modifiers_for_code", {"system": "icd-10-cm", "code": "E11.9"}),
                ("place_of_service", {"code": "21"}),
                ("place_of_service", {"code": "00"}),
            ],
        )
        _, tools, results = outcome.result(timeout=120)
    names = {tool.name for tool in tools.tools}
    assert {"check_codes", "modifiers_for_code", "place_of_service"} <= names
    assert "ask_casepilot" not in names  # no account to count its questions against
    pair, diagnoses, one, modifiers, no_fees, hospital, nowhere = (
        json.loads(r.content[0].text) for r in results
    )
    assert DESCRIPTOR_77300 not in results[0].content[0].text

    (first,) = pair["pairs"]
    assert first["verdict"] == "modifier may apply"
    edit = next(e for e in first["ncci"] if e["setting"] == "Practitioner")
    assert edit["source"]["url"] == f"{site}/check/?codes=77307,77300" and "32.0" in edit["source"]["release"]
    assert {m["units"] for m in pair["mues"]["77300"]} == {10}
    assert all(m["source"]["url"].startswith(site) for m in pair["mues"]["77300"])

    (excludes,) = diagnoses["pairs"]
    assert excludes["verdict"] == "not together"
    assert all(n["source"]["url"].startswith(f"{site}/icd-10-cm/") for n in excludes["notes"])
    assert "at least two" in one["error"]

    assert modifiers["year"] == 2025 and modifiers["source"]["url"] == f"{site}/cpt/77307/#modifiers"
    assert any("26" in [m["modifier"] for m in rule["modifiers"]] for rule in modifiers["rules"])
    assert "no fee schedule" in no_fees["error"]

    assert hospital["rate"] == "facility" and hospital["url"] == f"{site}/pos/21/"
    assert "No place of service" in nowhere["error"]
