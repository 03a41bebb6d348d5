"""The search-word trigger stays set-based for a large update after a small one (issue 17).

PL/pgSQL kept, for the whole session, the plan the trigger's statement got at its first run:
after a one-row update, a 40,000-row update joined its old and new rows in a nested loop
(230 s instead of 5). Each statement is now planned for its own rows.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from lookup.models import Code, CodeSystem, SearchWord

pytestmark = pytest.mark.django_db

ROWS = 10_000
UPDATE = "UPDATE lookup_code SET plain_description = plain_description || %s WHERE system_id = %s"


@pytest.fixture
def many_codes():
    system = CodeSystem.objects.get(slug="icd-10-pcs")
    Code.objects.bulk_create(
        Code(system=system, code=f"0{n:06d}", key=f"0{n:06d}", sort_order=n, title="Bypass of a vessel")
        for n in range(ROWS)
    )
    return system


def timed(sql: str, params: list) -> float:
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    return time.monotonic() - started


def test_a_large_update_after_a_one_row_update_counts_every_word(many_codes):
    one = Code.objects.filter(system=many_codes).first()
    one.plain_description = "a zymurgy step"
    one.save()

    with connection.cursor() as cursor:
        cursor.execute(UPDATE, [" xylograph", many_codes.pk])

    assert SearchWord.objects.filter(word="zymurgy").exists()
    assert SearchWord.objects.get(word="xylograph").uses == ROWS


def test_a_large_update_after_a_one_row_update_is_not_quadratic(many_codes):
    with connection.cursor() as cursor:
        # The codes' deferred foreign-key checks run now, so the table can be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE lookup_code DISABLE TRIGGER lookup_code_search_words_update")
    without_trigger = timed(UPDATE, [" first", many_codes.pk])
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE lookup_code ENABLE TRIGGER lookup_code_search_words_update")
    timed(
        "UPDATE lookup_code SET plain_description = 'one row' WHERE id = (SELECT min(id) FROM lookup_code)",
        [],
    )

    with_trigger = timed(UPDATE, [" second", many_codes.pk])

    # Counting the words costs about as much as the update itself; the kept one-row plan
    # took over 10 times longer at this size (and 150 times at 40,000 rows).
    assert with_trigger < 4 * without_trigger + 1.0, (with_trigger, without_trigger)
