"""`import_codes ... --if-new` for the NCCI, MUE and GEM importers, and `load_public_data --ncci DIR`,
which loads the operator's own copies of those files after the code sets."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

from lookup import public_data
from rules.models import EditRelease, GemMapping, Mue, PtpEdit
from tests.rules.conftest import (
    GEM_FILES,
    MUE_DME,
    MUE_OUTPATIENT,
    MUE_PRACTITIONER,
    PTP_OUTPATIENT,
    PTP_PRACTITIONER,
    SAMPLES,
)
from tests.rules.test_import_ncci import data_rows, import_codes, refused, write_quarter

pytestmark = pytest.mark.django_db


def copied(tmp_path, *paths):
    """The samples in a folder of their own (a PTP table with its other parts)."""
    folder = tmp_path / "ncci"
    folder.mkdir(exist_ok=True)
    for path in paths:
        shutil.copy(path, folder / path.name)
    return folder


def spoil(path) -> None:
    """Another file under the same name (the first row's units or modifier indicator changed):
    the import itself would refuse it."""
    text = path.read_text()
    changed = re.sub(
        r"(\n[A-Z0-9]{5}[,\t])(\d+)([,\t])", lambda m: f"{m[1]}{int(m[2]) + 1}{m[3]}", text, count=1
    )
    if path.name.startswith("ccipra"):
        changed = text.replace("\t1\t", "\t0\t", 1)
    if "gem" in path.name.lower():
        changed = text.replace(" 10000\n", " 00000\n", 1)  # no longer approximate
    assert changed != text
    path.write_text(changed)


def test_a_loaded_ptp_quarter_is_skipped_in_one_line_from_its_name(tmp_path):
    folder = copied(tmp_path, PTP_PRACTITIONER, SAMPLES / "ccipra-v320r0-f2.txt")
    first = folder / PTP_PRACTITIONER.name
    assert "added 10" in import_codes("ncci-ptp-practitioner", str(first), "--if-new")

    spoil(first)
    out = import_codes("ncci-ptp-practitioner", str(first), "--if-new")

    assert out == "ncci-ptp-practitioner 32.0 is loaded already; nothing to do.\n"
    # Without --if-new the file is read, and the changed one refused: the skip did not read it.
    assert "loaded already from another file" in refused("ncci-ptp-practitioner", str(first))
    assert PtpEdit.objects.filter(setting="P", modifier_indicator="1").exists()


def test_if_new_does_not_skip_the_other_setting_s_file(tmp_path):
    import_codes("ncci-ptp-practitioner", str(PTP_PRACTITIONER))

    # The outpatient table of the same version, given to the practitioner importer: refused, not skipped.
    assert "is the NCCI PTP edits, hospital outpatient services file" in refused(
        "ncci-ptp-practitioner", str(PTP_OUTPATIENT), "--if-new"
    )
    out = import_codes("ncci-ptp-outpatient", str(PTP_OUTPATIENT), "--if-new")
    assert "hospital outpatient services 32.0" in out and "added" in out


def test_a_new_quarter_is_loaded_with_if_new(tmp_path):
    import_codes("ncci-ptp-practitioner", str(PTP_PRACTITIONER), "--if-new")
    rows = [*data_rows(), "77307\t77263\t\t20260401\t*\t0\tMutually exclusive procedures"]

    out = import_codes("ncci-ptp-practitioner", str(write_quarter(tmp_path, "v321r0", rows)), "--if-new")

    assert "32.1" in out and "added 1" in out
    assert set(EditRelease.objects.values_list("version", flat=True)) == {"32.0", "32.1"}


@pytest.mark.parametrize(
    ("importer", "path", "label"),
    [
        ("ncci-mue-practitioner", MUE_PRACTITIONER, "2026-01"),
        ("ncci-mue-outpatient", MUE_OUTPATIENT, "2026-01"),
        ("ncci-mue-dme", MUE_DME, "2026-01"),
    ],
)
def test_a_loaded_mue_release_is_skipped_in_one_line(tmp_path, importer, path, label):
    own = copied(tmp_path, path) / path.name
    import_codes(importer, str(own), "--if-new")
    spoil(own)

    assert (
        import_codes(importer, str(own), "--if-new")
        == f"{importer} {label} is loaded already; nothing to do.\n"
    )
    assert "another file" in refused(importer, str(own))


def test_if_new_does_not_skip_another_setting_s_mue_file():
    import_codes("ncci-mue-practitioner", str(MUE_PRACTITIONER))

    assert "holds DME supplier services MUEs" in refused("ncci-mue-practitioner", str(MUE_DME), "--if-new")


def test_each_gem_file_is_skipped_on_its_own(tmp_path):
    i9, i10 = GEM_FILES[0], GEM_FILES[1]
    own = copied(tmp_path, i9, i10)
    import_codes("gems", str(own / i10.name), "--if-new")
    spoil(own / i10.name)

    skipped = import_codes("gems", str(own / i10.name), "--if-new")
    loaded = import_codes("gems", str(own / i9.name), "--if-new")  # the other direction is new

    assert skipped == "gems 2018 (GEMs, ICD-10-CM to ICD-9-CM) is loaded already; nothing to do.\n"
    assert "another file" in refused("gems", str(own / i10.name))  # the skip did not read it
    assert "GEMs 2018" in loaded and "2018_I9gem.txt" in loaded
    assert set(GemMapping.objects.values_list("direction", flat=True)) == {"gem-i9-i10cm", "gem-i10cm-i9"}
    # A bare edition asks for all four mappings: two are missing, so the import runs (and reports).
    out = import_codes("gems", str(i9), "--if-new", "--release", "2018")
    assert "already loaded" in out


def load_public_data(*args: str) -> list[str]:
    """The command's lines about the operator's folder (the public code sets are tested in tests/lookup)."""
    out = StringIO()
    call_command("load_public_data", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture(autouse=True)
def no_public_files(monkeypatch):
    """No public code set to load: each test would import ICD-10-CM from the pip package otherwise."""
    monkeypatch.setattr(public_data, "PUBLIC_FILES", [])


@pytest.fixture
def operator_folder(tmp_path):
    """What an operator downloaded, as CMS names it, in folders of their own; a next PTP quarter too."""
    folder = copied(tmp_path, PTP_PRACTITIONER, SAMPLES / "ccipra-v320r0-f2.txt", PTP_OUTPATIENT)
    (folder / "mue").mkdir()
    for path in (MUE_PRACTITIONER, MUE_OUTPATIENT, MUE_DME):
        shutil.copy(path, folder / "mue" / path.name)
    (folder / "gems").mkdir()
    for path in GEM_FILES:
        shutil.copy(path, folder / "gems" / path.name)
    (folder / "2026q2").mkdir()
    rows = [*data_rows(), "77307\t77263\t\t20260401\t*\t0\tMutually exclusive procedures"]
    write_quarter(folder / "2026q2", "v321r0", rows)
    (folder / "README.txt").write_text("not a CMS file")
    return folder


def test_load_public_data_loads_the_operator_s_ncci_folder_then_skips_it(operator_folder):
    first = load_public_data("--ncci", str(operator_folder))

    heads = [line.split(":")[0] for line in first]
    assert heads == [
        "NCCI PTP edits, practitioner services 32.0 (2 parts; baseline)",
        "NCCI PTP edits, practitioner services 32.1 (ccipra-v321r0-f1.txt; changes from 32.0)",
        "NCCI PTP edits, hospital outpatient services 32.0 (ccioph-v320r0-f1.txt; baseline)",
        "MUEs, practitioner services 2026-01 (baseline)",
        "MUEs, outpatient hospital services 2026-01 (baseline)",
        "MUEs, DME supplier services 2026-01 (baseline)",
        "GEMs 2018 (2018_I10gem.txt",
        "GEMs 2018 (gem_pcsi9.txt",
        "GEMs 2018 (gem_i9pcs.txt",
        "GEMs 2018 (2018_I9gem.txt",
    ]
    assert Mue.objects.filter(setting="D").exists() and PtpEdit.objects.filter(column2="77263").exists()
    releases = EditRelease.objects.count()

    second = load_public_data("--ncci", str(operator_folder))

    assert second == [
        "NCCI PTP edits, practitioners 32.0 (ccipra-v320r0-f1.txt) is loaded already.",
        "NCCI PTP edits, practitioners 32.1 (ccipra-v321r0-f1.txt) is loaded already.",
        "NCCI PTP edits, outpatient 32.0 (ccioph-v320r0-f1.txt) is loaded already.",
        "MUEs, practitioners 2026-01 (MCR_MUE_PractitionerServices_Eff_01-01-2026.csv) is loaded already.",
        "MUEs, outpatient 2026-01 (MCR_MUE_OutpatientHospitalServices_Eff_01-01-2026.txt) is loaded already.",
        "MUEs, DME 2026-01 (MCR_MUE_DMESupplierServices_Eff_01-01-2026.csv) is loaded already.",
        "GEMs 2018 (GEMs, ICD-10-CM to ICD-9-CM) (2018_I10gem.txt) is loaded already.",
        "GEMs 2018 (GEMs, ICD-10-PCS to ICD-9-CM procedures) (gem_pcsi9.txt) is loaded already.",
        "GEMs 2018 (GEMs, ICD-9-CM procedures to ICD-10-PCS) (gem_i9pcs.txt) is loaded already.",
        "GEMs 2018 (GEMs, ICD-9-CM to ICD-10-CM) (2018_I9gem.txt) is loaded already.",
    ]
    assert EditRelease.objects.count() == releases


def test_a_bad_operator_file_is_named_in_one_line_and_the_others_load(operator_folder):
    (operator_folder / "ccioph-v320r0-f1.txt").write_text("Column 1\tColumn 2\tModifier\nnot an edit\n")

    lines = load_public_data("--ncci", str(operator_folder))

    bad = [line for line in lines if "not loaded" in line]
    assert len(bad) == 1 and bad[0].startswith("NCCI PTP edits, outpatient: not loaded: ccioph-v320r0-f1.txt")
    assert not PtpEdit.objects.filter(setting="O").exists()
    assert Mue.objects.filter(setting="D").exists() and GemMapping.objects.exists()


def test_a_missing_or_empty_ncci_folder_says_so(tmp_path):
    assert load_public_data("--ncci", str(tmp_path / "nowhere")) == [
        f"No folder {tmp_path / 'nowhere'} (--ncci): no NCCI, MUE or GEM file loaded."
    ]
    (tmp_path / "empty").mkdir()
    assert load_public_data("--ncci", str(tmp_path / "empty"))[0].startswith(
        f"No NCCI, MUE or GEM file in {tmp_path / 'empty'}"
    )


def test_without_ncci_nothing_of_rules_is_loaded(tmp_path):
    assert load_public_data() == []
    assert not EditRelease.objects.exists()
