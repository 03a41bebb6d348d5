"""An import writes the generated texts of its release, and leaves our team's texts alone."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command

from lookup.models import Code, PlainText

SAMPLE = settings.BASE_DIR / "fixtures" / "plain_language" / "HCPC2026_JAN_ANWEB_plain_sample.txt"


@pytest.mark.django_db
def test_an_import_generates_texts_for_codes_without_our_own(demo_codes):
    call_command("import_codes", "hcpcs", str(SAMPLE), verbosity=0)

    oxygen = Code.objects.get(system__slug="hcpcs", key="E1390")
    assert PlainText.objects.get(code=oxygen).description.startswith(
        "Oxygen concentrator (machine that makes"
    )
    # J1100 is in the demo set, with our coding team's words: the import writes none for it.
    dexamethasone = Code.objects.get(system__slug="hcpcs", key="J1100")
    assert dexamethasone.plain_source == Code.PlainSource.TEAM
    assert not PlainText.objects.filter(code=dexamethasone).exists()
