"""The demo code set (fixtures/demo_codes.json), loaded in four statements.

loaddata looks each natural key up with a query of its own, some 500 for this file, which
every test that uses the demo codes paid; here the codes go in at once, then their parents,
then their notes.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db import transaction

from lookup.cache import code_sets_changed
from lookup.models import Code, CodeSystem, Note

DEMO_FIXTURE = settings.BASE_DIR / "fixtures" / "demo_codes.json"


def load_demo_codes() -> int:
    """Insert the demo codes and their notes; returns how many codes."""
    items = json.loads(DEMO_FIXTURE.read_text())
    unknown = {item["model"] for item in items} - {"lookup.code", "lookup.note"}
    if unknown:
        raise ValueError(f"{DEMO_FIXTURE.name} holds {sorted(unknown)}, which this loader does not know")
    code_fields = [item["fields"] for item in items if item["model"] == "lookup.code"]
    note_fields = [item["fields"] for item in items if item["model"] == "lookup.note"]
    systems = {system.slug: system for system in CodeSystem.objects.all()}

    with transaction.atomic():
        codes = Code.objects.bulk_create(
            Code(system=systems[fields["system"][0]], **_without(fields, "system", "parent"))
            for fields in code_fields
        )
        by_natural_key = {code.natural_key(): code for code in codes}
        for fields, code in zip(code_fields, codes, strict=True):
            if fields["parent"]:
                code.parent = by_natural_key[tuple(fields["parent"])]
        Code.objects.bulk_update([code for code in codes if code.parent_id], ["parent"])
        Note.objects.bulk_create(
            Note(code=by_natural_key[tuple(fields["code"])], **_without(fields, "code"))
            for fields in note_fields
        )
        transaction.on_commit(code_sets_changed)  # counts kept by running processes are stale
    return len(codes)


def _without(fields: dict, *names: str) -> dict:
    return {name: value for name, value in fields.items() if name not in names}
