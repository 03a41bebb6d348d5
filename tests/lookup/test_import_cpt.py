from __future__ import annotations

import datetime

import pytest
from django.core.management.base import CommandError
from django.test import override_settings

from lookup.models import Code
from tests.lookup.importing import SAMPLES, import_codes

SAMPLE = SAMPLES / "cpt-2026-sample.tsv"

pytestmark = pytest.mark.django_db


def test_licensed_cpt_file_rows_are_flagged_ama(demo_codes):
    plain = Code.objects.get(system__slug="cpt", key="99213").plain_description

    output = import_codes("cpt", SAMPLE)

    # 0001F is new; three demo codes had no official text, so this file gives them their
    # first (added, not revised); 77307's shipped text is the file's, only its title differs.
    assert "CPT 2026: added 4, revised 0, deleted 1, unchanged 0, other fields updated 1" in output
    rows = Code.objects.filter(system__slug="cpt")
    assert set(rows.values_list("text_licence", flat=True)) == {"AMA"}
    code = rows.get(key="99213")
    assert code.official_description.startswith("Sample descriptor C")
    assert code.title == code.official_description  # no short descriptor given
    assert code.plain_description == plain
    assert rows.get(key="77307").title == "Teletherapy isodose plan; complex"


def test_ama_text_shows_only_with_the_licence(client):
    import_codes("cpt", SAMPLE)

    assert "Sample descriptor B" not in client.get("/cpt/77300/").content.decode()
    with override_settings(TEXT_LICENCES=["AMA"]):
        assert "Sample descriptor B" in client.get("/cpt/77300/").content.decode()


def test_a_file_without_a_year_needs_a_release_label(tmp_path):
    path = tmp_path / "cpt.tsv"
    path.write_text("77300\tSample descriptor\n")

    with pytest.raises(CommandError, match="give --release and --date"):
        import_codes("cpt", path)
    import_codes("cpt", path, release="2026-q1", date=datetime.date(2026, 1, 1))
    assert Code.objects.get(system__slug="cpt", key="77300").text_licence == "AMA"
