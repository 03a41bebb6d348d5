"""The 2018 General Equivalence Mappings, from CMS's text files or their zip."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management.base import CommandError

from rules.models import EditRelease, GemMapping
from tests.rules.conftest import GEM_FILES, SAMPLES
from tests.rules.test_import_ncci import import_codes, refused


def test_each_gem_file_loads_its_direction_with_the_five_flags(db):
    for path in GEM_FILES:
        assert "GEMs 2018" in import_codes("gems", str(path))
    assert set(GemMapping.objects.values_list("direction", flat=True)) == {
        "gem-i9-i10cm",
        "gem-i10cm-i9",
        "gem-i9-i10pcs",
        "gem-i10pcs-i9",
    }
    combination = GemMapping.objects.get(direction="gem-i10cm-i9", source="E1122", target="5859")
    assert (combination.approximate, combination.no_map, combination.combination) == (True, False, True)
    assert (combination.scenario, combination.choice_list) == (1, 2)
    no_map = GemMapping.objects.get(direction="gem-i9-i10cm", source="7981")
    assert no_map.no_map and no_map.target == "NoDx"
    assert EditRelease.objects.filter(kind__startswith="gem-").count() == 4


def test_cms_zip_loads_every_gem_inside_and_a_second_load_changes_nothing(db, tmp_path):
    archive = tmp_path / "2018-ICD-10-Code-General-Equivalence-Mappings.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in GEM_FILES:
            out.write(path, f"2018 GEMs/{path.name}")
        out.writestr("2018 GEMs/README.txt", "General Equivalence Mappings documentation")
    out = import_codes("gems", str(archive))
    assert "added 24" in out
    again = import_codes("gems", str(archive))
    assert "already loaded" in again and GemMapping.objects.count() == 24


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("2018_I9gem.txt", "E119  25000 00000\n", "not a GEMs, ICD-9-CM to ICD-10-CM line"),
        ("2018_I10gem.txt", "E119  25000 0000\n", "not a GEMs, ICD-10-CM to ICD-9-CM line"),
        ("gem_pcsi9.txt", "E119  25000 00000\n", "ICD-10-PCS to ICD-9-CM"),
        ("mapping.txt", "E119  25000 00000\n", "not a GEM file name"),
        ("2018_I9gem.txt", "", "no mappings"),
    ],
)
def test_a_wrong_file_is_refused_in_one_line(db, tmp_path, name, text, expected):
    import_codes("gems", str(SAMPLES / "2018_I9gem.txt"))
    path = tmp_path / name
    path.write_text(text)
    assert expected in refused("gems", str(path))
    assert GemMapping.objects.count() == 9


def test_a_different_2018_file_is_refused_but_another_label_replaces(db, tmp_path):
    import_codes("gems", str(SAMPLES / "2018_I9gem.txt"))
    path = tmp_path / "2018_I9gem.txt"
    path.write_text("25000 E119    00000\n")
    with pytest.raises(CommandError, match="another file"):
        import_codes("gems", str(path))
    import_codes("gems", str(path), "--release", "2018-fixed", "--date", "2018-01-01")
    assert list(GemMapping.objects.values_list("source", "target")) == [("25000", "E119")]
