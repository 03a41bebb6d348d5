"""The evaluation set runs on the demo data (and on the full data where this machine has it)."""

from __future__ import annotations

import pytest

from casepilot.evaluation import ITEMS, items_for, run

pytestmark = pytest.mark.usefixtures("casepilot_data")


def test_the_set_has_at_least_sixty_questions_of_every_kind():
    assert len(ITEMS) >= 60
    assert len({entry.kind for entry in ITEMS}) >= 14
    assert len(items_for(full_data=False)) >= 60


def test_every_evaluation_question_is_answered_right_on_the_demo_data():
    outcomes = run(items_for(full_data=False), full_data=False)
    wrong = [f"{o.item.question[:60]!r}: {'; '.join(o.problems)}" for o in outcomes if not o.right]
    assert not wrong, "\n".join(wrong)
