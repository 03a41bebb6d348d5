"""`manage.py load_demo`: the demo code set a fresh clone starts with."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from lookup.models import Code, Note


def test_load_demo_loads_the_codes_with_their_hierarchy_and_notes_once(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=out)

    assert out.getvalue().splitlines() == [
        "Loaded 34 demo codes.",
        "Demo codes already present; nothing loaded.",
    ]
    assert Code.objects.count() == 34
    e11_9 = Code.objects.get(system__slug="icd-10-cm", key="E119")
    assert [a.code for a in Code.objects.ancestors_of(e11_9)] == ["E00-E89", "E08-E13", "E11"]
    assert Note.objects.filter(code__key="E11").exists()
    assert Code.objects.get(system__slug="cpt", key="77307").official_description.startswith(
        "Teletherapy isodose plan; complex"
    )
