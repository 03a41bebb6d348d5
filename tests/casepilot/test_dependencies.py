"""Dependencies point one way: casepilot may use rules, never consultant; rules never uses casepilot."""

from __future__ import annotations

import ast

import pytest
from django.conf import settings


def imported_apps(app: str) -> set[str]:
    names = set()
    for path in (settings.BASE_DIR / app).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(("app", "never"), [("casepilot", "consultant"), ("rules", "casepilot")])
def test_an_app_does_not_import_the_app_it_must_not_know(app, never):
    assert never not in imported_apps(app)


def test_casepilot_reads_the_coding_rules():
    assert "rules" in imported_apps("casepilot")
