"""The "Have a question about CPT® Code 77307?" panel on every code page: it asks with that code in focus.

A code-page section (lookup.sections), registered from CasePilotConfig.ready(). Everyone sees
it, guests too; asking from it needs a verified account, which /casepilot/ says. Its HTML is
kept per process like every section's, so it holds nothing about the reader.
"""

from __future__ import annotations

from casepilot.answer import examples_for
from casepilot.tools import SYSTEM_NAMES, focus_of
from lookup.sections import Section, everyone


def panel_data(*, code, params) -> dict:
    return {
        "system_name": SYSTEM_NAMES.get(code.system.slug, code.system.name),
        "focus": focus_of(code),
        "examples": examples_for(code),
    }


PANEL = Section(
    slug="casepilot",
    title="Ask CasePilot",
    template="casepilot/_panel.html",
    data=panel_data,
    visible=everyone,
    locked_title=None,
    order=95,  # after the code's own sections (hierarchy is 90)
)
