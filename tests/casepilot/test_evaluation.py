"""The evaluation set runs on the demo data (and on the full data where this machine has it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from billing.models import FeeSchedule
from casepilot.evaluation import ITEMS, full_data_loaded, items_for, run
from lookup.models import Code, Release
from tests.casepilot.conftest import load_guides
from tests.conftest import load_demo_codes


def test_the_set_has_at_least_sixty_questions_of_every_kind():
    assert len(ITEMS) >= 60
    assert len({entry.kind for entry in ITEMS}) >= 14
    assert len(items_for(full_data=False)) >= 60


@pytest.mark.usefixtures("casepilot_data")
def test_every_evaluation_question_is_answered_right_on_the_demo_data():
    outcomes = run(items_for(full_data=False), full_data=False)
    wrong = [f"{o.item.question[:60]!r}: {'; '.join(o.problems)}" for o in outcomes if not o.right]
    assert not wrong, "\n".join(wrong)


# The full data, where this machine has the official files: ------------------------------------

# Beside a checkout of the project (../shared/data), or where SHARED_DATA says (a worktree).
DATA = Path(os.environ.get("SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
FULL_FILES = [
    ("icd-10-cm", DATA / "cdc" / "icd10cm" / "icd10cm-tabular-April-2025.xml.gz"),
    ("icd-10-cm", DATA / "cdc" / "icd10cm" / "icd10cm-tabular-April-2026.xml.gz"),
    ("hcpcs", DATA / "cms" / "hcpcs" / "january-2026-alpha-numeric-hcpcs-file.zip"),
    ("pfs", DATA / "cms" / "rvu" / "RVU24A.zip"),
    ("pfs", DATA / "cms" / "rvu" / "RVU25A.zip"),
]


@pytest.fixture(scope="module")
def full_data(django_db_setup, django_db_blocker):
    """The demo codes, then ICD-10-CM 2025 and 2026, HCPCS 2026 and both fee schedules, once."""
    with django_db_blocker.unblock():
        load_demo_codes()
        load_guides()
        for system, path in FULL_FILES:
            call_command("import_codes", system, str(path), verbosity=0)
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {Code._meta.db_table}, {FeeSchedule._meta.db_table}, {Release._meta.db_table} CASCADE"
            )


@pytest.mark.skipif(
    not all(path.exists() for _, path in FULL_FILES), reason=f"the official files are not at {DATA}"
)
@pytest.mark.django_db
def test_every_evaluation_question_is_answered_right_on_the_full_data(full_data):
    assert full_data_loaded()
    outcomes = run(items_for(full_data=True), full_data=True)
    wrong = [f"{o.item.question[:60]!r}: {'; '.join(o.problems)}" for o in outcomes if not o.right]
    assert not wrong, "\n".join(wrong)
