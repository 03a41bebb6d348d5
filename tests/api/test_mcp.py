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
