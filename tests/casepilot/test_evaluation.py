"""The evaluation set runs on the demo data (and on the full data where this machine has it)."""

from __future__ import annotations

import pytest

from casepilot.evaluation import ITEMS, full_data_loaded, items_for, run
from lookup.models import Code
from tests.casepilot.conftest import load_guides, load_rules_samples


def test_the_set_has_at_least_sixty_questions_of_every_kind():
    assert len(ITEMS) >= 60
    assert len({entry.kind for entry in ITEMS}) >= 14
    assert len(items_for(full_data=False)) >= 60


@pytest.mark.usefixtures("casepilot_data")
def test_every_evaluation_question_is_answered_right_on_the_demo_data():
    outcomes = run(items_for(full_data=False), full_data=False)
    wrong = [f"{o.item.question[:60]!r}: {'; '.join(o.problems)}" for o in outcomes if not o.right]
    assert not wrong, "\n".join(wrong)


# The full data (the session's one import of every public file, tests/conftest.py), with the
# demo set's texts over it as `make run` has them (the demo codes load first there).


def overlay_demo_texts() -> None:
    import json

    from lookup.demo import DEMO_FIXTURE

    for entry in json.loads(DEMO_FIXTURE.read_text()):
        if entry["model"] != "lookup.code":
            continue
        fields = entry["fields"]
        changes = {"plain_description": fields["plain_description"]}
        if fields["official_description"] and not fields["text_licence"]:
            changes |= {"official_description": fields["official_description"], "text_licence": ""}
        Code.objects.filter(system__slug=fields["system"][0], key=fields["key"]).update(**changes)


@pytest.mark.full_data
@pytest.mark.django_db
def test_every_evaluation_question_is_answered_right_on_the_full_data(full_data):
    overlay_demo_texts()
    load_guides()
    load_rules_samples()  # the full data has no NCCI, MUE or GEM files: the samples, as on the demo data
    assert full_data_loaded()
    outcomes = run(items_for(full_data=True), full_data=True)
    wrong = [f"{o.item.question[:60]!r}: {'; '.join(o.problems)}" for o in outcomes if not o.right]
    assert not wrong, "\n".join(wrong)
