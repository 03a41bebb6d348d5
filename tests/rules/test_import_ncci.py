"""NCCI PTP and MUE imports from files in CMS's published layouts."""

from __future__ import annotations

import datetime
import functools
import http.server
import shutil
import threading
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rules.models import EditChange, EditRelease, Mue, PtpEdit
from rules.tools import ptp_edits_between
from tests.rules.conftest import (
    MUE_DME,
    MUE_OUTPATIENT,
    MUE_PRACTITIONER,
    PTP_OUTPATIENT,
    PTP_PRACTITIONER,
    SAMPLES,
    load,
)


def import_codes(*args: str) -> str:
    out = StringIO()
    call_command("import_codes", *args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        import_codes(*args)
    message = str(raised.value)
    assert "\n" not in message
    return message


def sample_lines(name: str) -> list[str]:
    return (SAMPLES / name).read_text().splitlines()


def write_quarter(folder, version: str, rows: list[str], part: int = 1) -> object:
    header = sample_lines("ccipra-v320r0-f1.txt")[:6]
    path = folder / f"ccipra-{version}-f{part}.txt"
    path.write_text("\r\n".join([*header, *rows]) + "\r\n")
    return path


def data_rows() -> list[str]:
    return [
        line for name in ("ccipra-v320r0-f1.txt", "ccipra-v320r0-f2.txt") for line in sample_lines(name)[6:]
    ]


def test_the_practitioner_sample_loads_every_part_with_its_numbers_and_indicators(db):
    out = import_codes("ncci-ptp-practitioner", str(PTP_PRACTITIONER))
    assert "32.0" in out and "2 parts" in out and "added 10" in out
    edit = PtpEdit.objects.get(setting="P", column1="77307", column2="77300")
    assert edit.effective_date == datetime.date(2015, 1, 1) and edit.deletion_date is None
    assert (
        edit.modifier_indicator == "1"
        and edit.rationale.text == "CPT Manual or CMS manual coding instructions"
    )
    assert PtpEdit.objects.get(column1="99214", column2="99213").before_1996
    assert PtpEdit.objects.get(column1="99214", column2="36415").deletion_date == datetime.date(2021, 1, 1)
    release = EditRelease.objects.get(kind="ptp-practitioner")
    assert (release.version, release.date) == ("32.0", datetime.date(2026, 1, 1))
    assert release.summary["added"] == 10


def test_the_outpatient_file_goes_to_its_own_setting(db):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    load("ncci-ptp-outpatient", PTP_OUTPATIENT)
    assert PtpEdit.objects.filter(setting="O").count() == 3
    assert {e.setting for e in ptp_edits_between("77300", "77307")} == {"P", "O"}


def test_a_zip_of_the_parts_loads_as_one_quarter(db, tmp_path):
    archive = tmp_path / "ccipra-v320r0.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("ccipra-v320r0-f1.txt", "ccipra-v320r0-f2.txt"):
            out.write(SAMPLES / name, name)
    assert "added 10" in import_codes("ncci-ptp-practitioner", str(archive))


def test_loading_the_same_quarter_again_changes_nothing(db):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)

    def row_versions():  # a row written again gets a new ctid and xmin
        with connection.cursor() as cursor:
            cursor.execute("SELECT ctid::text, xmin::text FROM rules_ptpedit ORDER BY 1")
            return cursor.fetchall()

    before = row_versions()
    out = import_codes("ncci-ptp-practitioner", str(PTP_PRACTITIONER))
    assert "already loaded" in out and "unchanged 10" in out
    assert row_versions() == before


def test_the_next_quarter_replaces_the_edits_and_records_what_changed(db, tmp_path):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    rows = data_rows()
    changed = []
    for row in rows:
        column1, column2, *_ = row.split("\t")
        if (column1, column2) == ("27447", "27446"):
            continue  # gone from the file
        if (column1, column2) == ("77307", "77300"):
            row = row.replace("\t*\t1\t", "\t20260401\t9\t")  # CMS ends it
        if (column1, column2) == ("J1100", "J3301"):
            row = row.replace("\t*\t1\t", "\t*\t0\t")  # modifier no longer allowed
        changed.append(row)
    changed.append("77307\t77263\t\t20260401\t*\t0\tMutually exclusive procedures")
    out = import_codes("ncci-ptp-practitioner", str(write_quarter(tmp_path, "v321r0", changed)))
    assert "32.1" in out and "added 1, revised 1, deleted 2" in out and "changes from 32.0" in out

    release = EditRelease.objects.get(kind="ptp-practitioner", version="32.1")
    assert release.date == datetime.date(2026, 4, 1)
    changes = {(c.code, c.other): c for c in EditChange.objects.filter(release=release)}
    assert changes[("77307", "77263")].kind == "added"
    assert (
        changes[("27447", "27446")].kind == "deleted"
        and changes[("27447", "27446")].after == "not in the file"
    )
    assert (
        changes[("77307", "77300")].kind == "deleted"
        and "deleted 2026-04-01" in changes[("77307", "77300")].after
    )
    assert (changes[("J1100", "J3301")].kind, changes[("J1100", "J3301")].before) == ("revised", "modifier 1")
    assert len(changes) == 4

    assert not PtpEdit.objects.filter(column1="27447", column2="27446").exists()
    assert PtpEdit.objects.get(column1="J1100", column2="J3301").modifier_indicator == "0"
    assert PtpEdit.objects.get(column1="77307", column2="77300").deletion_date == datetime.date(2026, 4, 1)
    assert PtpEdit.objects.filter(setting="P").count() == 10


def test_an_older_quarter_after_a_newer_one_is_refused(db, tmp_path):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    message = refused("ncci-ptp-practitioner", str(write_quarter(tmp_path, "v313r0", data_rows())))
    assert "older than the loaded release 32.0" in message


def test_another_file_under_a_loaded_label_is_refused(db, tmp_path):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    message = refused("ncci-ptp-practitioner", str(write_quarter(tmp_path, "v320r0", data_rows()[:3])))
    assert "loaded already from another file" in message


@pytest.mark.parametrize(
    "importer, name, expected",
    [
        ("ncci-ptp-practitioner", "ccioph-v320r0-f1.txt", "hospital outpatient services file"),
        (
            "ncci-ptp-practitioner",
            "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv",
            "not an NCCI PTP edit file",
        ),
        ("ncci-ptp-outpatient", "2018_I9gem.txt", "not an NCCI PTP"),
        ("ncci-mue-practitioner", "ccipra-v320r0-f1.txt", "not a CMS MUE file"),
        ("ncci-mue-dme", "MCR_MUE_PractitionerServices_Eff_01-01-2026.csv", "not DME supplier services MUEs"),
        ("ncci-ptp-practitioner", "icd10cm-tabular-sample-April-2026.xml", "not an NCCI PTP"),
    ],
)
def test_a_wrong_file_is_refused_in_one_line_and_changes_nothing(db, tmp_path, importer, name, expected):
    load("ncci-ptp-practitioner", PTP_PRACTITIONER)
    before = (PtpEdit.objects.count(), Mue.objects.count(), EditRelease.objects.count())
    copy = tmp_path / name
    shutil.copy(SAMPLES / name, copy)  # alone: no sibling parts
    assert expected in refused(importer, str(copy))
    assert (PtpEdit.objects.count(), Mue.objects.count(), EditRelease.objects.count()) == before


@pytest.mark.parametrize(
    "bad_row, expected",
    [
        ("77307\t77301\t\t20261341\t*\t1\tA bad date", "a value is not valid"),
        ("77307\t77301\t\t20260101\t*\t7\tA modifier indicator of 7", "not a PTP edit row"),
        ("77307\t77300\t\t20150101\t*\t1\tCPT Manual or CMS manual coding instructions", "listed twice"),
        ("hello world", "not a PTP edit row"),
    ],
)
def test_a_damaged_row_refuses_the_whole_file(db, tmp_path, bad_row, expected):
    path = write_quarter(tmp_path, "v320r0", [*data_rows(), bad_row])
    assert expected in refused("ncci-ptp-practitioner", str(path))
    assert not PtpEdit.objects.exists() and not EditRelease.objects.exists()


def test_a_file_without_a_version_needs_one(db, tmp_path):
    path = tmp_path / "edits.txt"
    shutil.copy(PTP_PRACTITIONER, path)
    assert "--release" in refused("ncci-ptp-practitioner", str(path))
    out = import_codes("ncci-ptp-practitioner", str(path), "--release", "32.0", "--date", "2026-01-01")
    assert "added 5" in out


def test_a_csv_export_of_the_same_columns_loads(db, tmp_path):
    lines = ["CPT only copyright 2025 American Medical Association.", "Column 1,Column 2,*=in existence prior to 1996,"
             "Effective Date,Deletion Date *=no data,Modifier 0=not allowed 1=allowed 9=not applicable,PTP Edit Rationale"]  # fmt: skip
    lines += [",".join(f'"{c}"' if " " in c else c for c in row.split("\t")) for row in data_rows()]
    path = tmp_path / "ccipra-v320r0.csv"
    path.write_text("\n".join(lines) + "\n")
    assert "added 10" in import_codes("ncci-ptp-practitioner", str(path))
    assert PtpEdit.objects.get(column1="77307", column2="77300").modifier_indicator == "1"


def test_an_operator_may_give_a_url(db):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SAMPLES))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/ccioph-v320r0-f1.txt"
        assert "added 3" in import_codes("ncci-ptp-outpatient", url)
    finally:
        server.shutdown()
        server.server_close()


def test_mue_samples_load_per_setting(db):
    for importer, path in (
        ("ncci-mue-practitioner", MUE_PRACTITIONER),
        ("ncci-mue-outpatient", MUE_OUTPATIENT),
        ("ncci-mue-dme", MUE_DME),
    ):
        assert "2026-01" in import_codes(importer, str(path))
    row = Mue.objects.get(code="77300", setting="P")
    assert (row.units, row.adjudication, row.rationale.text) == (10, "3", "Clinical: Data")
    assert Mue.objects.get(code="A0428", setting="D").adjudication == "1"
    assert Mue.objects.filter(setting="O").count() == 3
    assert "already loaded" in import_codes("ncci-mue-dme", str(MUE_DME))


def test_the_next_mue_release_records_its_changes(db, tmp_path):
    load("ncci-mue-practitioner", MUE_PRACTITIONER)
    text = (
        MUE_PRACTITIONER.read_text()
        .replace("77300,10,", "77300,6,")
        .replace("99213,1,2 Date of Service Edit: Policy,Nature of Service/Procedure\n", "")
    )
    path = tmp_path / "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"
    path.write_text(text + "0591T,1,2 Date of Service Edit: Policy,Code Descriptor / CPT Instruction\n")
    assert "added 1, revised 1, deleted 1" in import_codes("ncci-mue-practitioner", str(path))
    assert Mue.objects.get(code="77300", setting="P").units == 6
    kinds = dict(EditChange.objects.filter(release__version="2026-04").values_list("code", "kind"))
    assert kinds == {"0591T": "added", "77300": "revised", "99213": "deleted"}


def test_an_mue_zip_is_read_from_its_largest_text_member(db, tmp_path):
    archive = tmp_path / "mcr-mue-practitioner-services-q1-2026.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(MUE_PRACTITIONER, MUE_PRACTITIONER.name)
        out.writestr("readme.txt", "MUE values")
    assert "added 8" in import_codes("ncci-mue-practitioner", str(archive))


@pytest.mark.parametrize(
    "name, label, date",
    [
        ("ccipra-v320r0-f1.txt", "32.0", datetime.date(2026, 1, 1)),
        ("ccioph-v313r0-f2.zip", "31.3", datetime.date(2025, 10, 1)),
        ("ccipra-v321r1-f1.txt", "32.1r1", datetime.date(2026, 4, 1)),
        ("edits.txt", None, None),
    ],
)
def test_an_ncci_file_name_gives_its_version_and_quarter(name, label, date):
    from rules.importers.common import ncci_version

    assert ncci_version(name) == ((label, date) if label else None)
