from __future__ import annotations

import csv
import datetime
import zipfile
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from billing.importing import label_from_name
from billing.models import FeeSchedule, FeeScheduleItem, Locality
from lookup.models import Code, CodeChange, CodeSystem, Release
from tests.billing.conftest import (
    SAMPLE,
    SAMPLE_2024,
    SAMPLE_2025,
    import_fee_schedule,
    sample_zip,
)
from tests.lookup.importing import import_file

pytestmark = pytest.mark.usefixtures("demo_codes")


def sample_rows(path) -> list[list[str]]:
    """The data rows of a PPRRVU csv, read independently of the importer."""
    with open(path, encoding="cp1252", newline="") as handle:
        return [row for row in csv.reader(handle) if row and len(row[0]) == 5 and row[0] != "HCPCS"]


def test_every_row_of_the_sample_is_imported_with_its_values():
    summary = import_fee_schedule(path=SAMPLE_2025)

    rows = sample_rows(SAMPLE_2025)
    assert summary.year == 2025
    assert summary.added == len(rows) == FeeScheduleItem.objects.count()
    schedule = FeeSchedule.objects.get(year=2025)
    assert schedule.conversion_factor == Decimal("32.3465")
    assert str(schedule.released_on) == "2024-12-23"
    technical = FeeScheduleItem.objects.get(schedule=schedule, hcpcs="77307", modifier="TC")
    # The file's row: 77307,TC,,A,,0.00,4.10,,4.10,NA,0.04,4.14,4.14,1,XXX,...
    assert (technical.work_rvu, technical.pe_rvu_nonfacility, technical.pe_rvu_facility) == (
        Decimal("0.00"),
        Decimal("4.10"),
        Decimal("4.10"),
    )
    assert (technical.mp_rvu, technical.total_nonfacility, technical.facility_na) == (
        Decimal("0.04"),
        Decimal("4.14"),
        True,
    )
    assert technical.pctc == "1" and technical.global_days == "XXX" and technical.status == "A"
    knee = FeeScheduleItem.objects.get(schedule=schedule, hcpcs="27447", modifier="")
    assert (knee.global_days, knee.preop_share, knee.intraop_share, knee.postop_share) == (
        "090",
        Decimal("0.10"),
        Decimal("0.69"),
        Decimal("0.21"),
    )
    assert (knee.bilateral_surgery, knee.assistant_surgery, knee.co_surgery, knee.team_surgery) == (
        "1",
        "2",
        "1",
        "0",
    )
    assert FeeScheduleItem.objects.get(schedule=schedule, hcpcs="45380").endoscopic_base == "45378"
    assert set(FeeScheduleItem.objects.filter(hcpcs="45378").values_list("modifier", flat=True)) == {"", "53"}


def test_codes_missing_from_our_tables_get_a_code_without_any_cpt_text():
    import_fee_schedule(path=SAMPLE_2025)

    new_cpt = Code.objects.get(system__slug="cpt", key="93000")
    assert (new_cpt.kind, new_cpt.title, new_cpt.official_description) == ("code", "", "")
    assert new_cpt.text_licence == "AMA"
    assert new_cpt.fee_schedule_items.count() == 1
    # HCPCS Level II text is public domain: the file's short text titles a new HCPCS code,
    # while dental codes stay flagged for the ADA licence.
    assert Code.objects.get(system__slug="hcpcs", key="G0008").title == "Admin influenza virus vac"
    dental = Code.objects.get(system__slug="hcpcs", key="D0120")
    assert (dental.title, dental.text_licence) == ("", "ADA")
    # The demo codes are reused, not duplicated.
    assert Code.objects.filter(key="77307").count() == 1
    assert FeeScheduleItem.objects.filter(code__key="77307", code__system__slug="cpt").count() == 3


def test_cpt_descriptor_text_in_the_file_is_never_stored(tmp_path):
    # A copy of the sample with descriptor text put back, as in the real file.
    text = SAMPLE_2025.read_text(encoding="cp1252")
    text = text.replace("93000,,,A,", "93000,,Electrocardiogram complete,A,")
    path = tmp_path / "PPRRVU25_JAN.csv"
    path.write_text(text, encoding="cp1252")

    import_fee_schedule(path=path)

    assert Code.objects.filter(title__icontains="Electrocardiogram").count() == 0
    assert Code.objects.filter(official_description__icontains="Electrocardiogram").count() == 0


def snapshot() -> tuple:
    fields = [f.name for f in FeeScheduleItem._meta.fields]
    return (
        list(FeeScheduleItem.objects.order_by("pk").values_list(*fields)),
        list(Locality.objects.order_by("pk").values_list()),
        list(FeeSchedule.objects.order_by("pk").values_list()),
        list(Code.objects.order_by("pk").values_list()),
        Code.history.count(),
    )


def test_importing_twice_changes_nothing(tmp_path):
    zip_path = sample_zip(tmp_path)
    import_fee_schedule(path=SAMPLE_2024)
    first = import_fee_schedule(path=zip_path)
    before = snapshot()

    again = import_fee_schedule(path=zip_path)

    assert first.added > 0 and first.localities.added > 0
    assert (again.added, again.revised, again.deleted, again.codes_created) == (0, 0, 0, 0)
    assert (again.localities.added, again.localities.changed, again.localities.removed) == (0, 0, 0)
    assert again.unchanged == first.added
    assert again.localities.unchanged == first.localities.added
    assert snapshot() == before


def test_a_new_release_of_the_same_year_writes_only_the_differences(tmp_path):
    import_fee_schedule(path=SAMPLE_2025)
    text = SAMPLE_2025.read_text(encoding="cp1252")
    # Change 99213's work RVU (and its totals) and drop 99214.
    text = text.replace(
        "99213,,,A,,1.30,1.35,,0.57,,0.10,2.75,1.97,", "99213,,,A,,1.40,1.35,,0.57,,0.10,2.85,2.07,"
    )
    text = "\n".join(line for line in text.splitlines() if not line.startswith("99214,"))
    path = tmp_path / "PPRRVU25_JAN.csv"
    path.write_text(text, encoding="cp1252")

    # One row of the sample's 28 is more than IMPORT_MAX_DELETION_SHARE: the operator allows it.
    summary = import_fee_schedule(path=path, allow_deletions=True)

    assert (summary.added, summary.revised, summary.deleted) == (0, 1, 1)
    assert FeeScheduleItem.objects.get(hcpcs="99213").work_rvu == Decimal("1.40")
    assert not FeeScheduleItem.objects.filter(hcpcs="99214").exists()


def test_the_zip_brings_localities_with_their_counties_and_floors(tmp_path):
    summary = import_fee_schedule(path=sample_zip(tmp_path))

    assert (summary.release, summary.remark) == ("2025-01", "CY2025, RVU25A")
    los_angeles = Locality.objects.get(schedule__year=2025, mac="01182", number="18")
    assert (los_angeles.state, los_angeles.work_gpci, los_angeles.pe_gpci, los_angeles.mp_gpci) == (
        "CA",
        Decimal("1.042"),
        Decimal("1.194"),
        Decimal("0.690"),
    )
    assert "LOS ANGELES" in los_angeles.counties
    alaska = Locality.objects.get(schedule__year=2025, state="AK")
    assert alaska.name == "ALASKA"
    assert "1.5 floor" in alaska.footnote


def truncated_csv(tmp_path):
    text = SAMPLE_2025.read_text(encoding="cp1252")
    path = tmp_path / "PPRRVU25_JAN.csv"
    path.write_text(text[: text.index("77307,TC") + 20], encoding="cp1252")
    return path


def truncated_zip(tmp_path):
    data = sample_zip(tmp_path).read_bytes()
    path = tmp_path / "RVU25A-part.zip"
    path.write_bytes(data[: len(data) // 2])
    return path


def gpci_instead(tmp_path):
    return SAMPLE / "rvu25" / "GPCI2025.csv"


def other_zip(tmp_path):
    path = tmp_path / "HCPCS.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("HCPC2026_JAN_ANWEB.txt", "A0021 Outside state ambulance serv\n")
    return path


def mismatched_gpci_zip(tmp_path):
    path = tmp_path / "RVU25A.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(SAMPLE_2025, "PPRRVU25_JAN.csv")
        archive.write(SAMPLE / "rvu24" / "GPCI2024.csv", "GPCI2024.csv")
    return path


def missing_file(tmp_path):
    return tmp_path / "RVU99A.zip"


def text_file(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("code,description\n77307,hello\n")
    return path


@pytest.mark.parametrize(
    ("make_path", "message"),
    [
        (truncated_csv, "truncated or damaged"),
        (truncated_zip, "not a readable zip file"),
        (gpci_instead, "not a PPRRVU file"),
        (other_zip, "the zip holds no PPRRVU csv"),
        (mismatched_gpci_zip, "GPCI file is not for 2025"),
        (missing_file, "no such file"),
        (text_file, "not a PPRRVU file"),
    ],
)
def test_a_wrong_file_fails_with_one_clear_line_and_changes_nothing(tmp_path, make_path, message):
    import_fee_schedule(path=SAMPLE_2024)
    before = snapshot()

    with pytest.raises(CommandError) as failure:
        call_command("import_codes", "pfs", str(make_path(tmp_path)))

    assert message in str(failure.value)
    assert "\n" not in str(failure.value)
    assert snapshot() == before


def test_import_codes_pfs_prints_the_summary(capsys):
    call_command("import_codes", "pfs", str(SAMPLE_2024))

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(
        f"Medicare PFS 2024-01 (CY2024, PPRRVU24_JAN): added {len(sample_rows(SAMPLE_2024))}, revised 0"
    )
    assert out[1] == "  localities: 6 added, 0 changed, 0 unchanged, 0 removed"
    assert out[2].startswith("  codes created for fee-schedule rows: ")


def test_codes_a_loaded_code_set_release_lacks_are_created_as_ended_by_it():
    # The HCPCS file of January 2026 is loaded; the 2025 fee schedule still lists G0008-like
    # codes it dropped. The new code must look as the HCPCS importer leaves an ended code,
    # or re-importing that HCPCS release would see a difference and refuse.
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    Release.objects.create(system=hcpcs, version="2026-01", date=datetime.date(2026, 1, 1))

    import_fee_schedule(path=SAMPLE_2025)

    ended = Code.objects.get(system=hcpcs, key="G0008")
    assert (ended.billable, ended.termination_date) == (False, datetime.date(2026, 1, 1))
    assert ended.fee_schedule_items.count() == 1
    # With no CPT release loaded, a CPT code known only from the fee schedule is current.
    assert Code.objects.get(system__slug="cpt", key="93000").billable


HCPCS_SAMPLE = settings.BASE_DIR / "fixtures" / "import" / "HCPC2026_JAN_ANWEB_sample.txt"


def public_hcpcs_file(tmp_path):
    """The HCPCS sample as CMS publishes it: without the ADA's dental codes (D9999 out)."""
    path = tmp_path / "HCPC2026_JAN_ANWEB_public.txt"
    lines = HCPCS_SAMPLE.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("D")) + "\n")
    return path


def test_a_fee_schedule_before_hcpcs_leaves_the_hcpcs_baseline_without_false_revisions(tmp_path):
    import_fee_schedule(path=SAMPLE_2024)
    import_fee_schedule(path=SAMPLE_2025)
    from_fee_schedule = set(Code.objects.filter(system__slug="hcpcs").values_list("key", flat=True))

    summary = import_file("hcpcs", public_hcpcs_file(tmp_path))

    # The codes the fee schedule created had no official text: the file's is their first
    # (added); the demo codes had this text already (other fields updated).
    in_file = Code.objects.filter(system__slug="hcpcs", hcpcs_detail__isnull=False)
    assert summary.revised == 0
    assert summary.added + summary.updated + summary.unchanged == in_file.count()
    assert summary.added == in_file.exclude(plain_description__gt="").count()
    assert Code.objects.get(system__slug="hcpcs", key="J1100").official_description.startswith(
        "Injection, dexamethasone"
    )
    assert not CodeChange.objects.exists()  # a baseline records no changes
    # The public file leaves out the dental codes because of their licence: not ended by it.
    dental = Code.objects.get(system__slug="hcpcs", key="D0120")
    assert (dental.billable, dental.termination_date, dental.text_licence) == (True, None, "ADA")
    assert "D0120" in from_fee_schedule


def test_hcpcs_before_a_fee_schedule_gives_the_same_codes(tmp_path):
    hcpcs_file = public_hcpcs_file(tmp_path)
    import_file("hcpcs", hcpcs_file)

    import_fee_schedule(path=SAMPLE_2025)

    dental = Code.objects.get(system__slug="hcpcs", key="D0120")
    assert (dental.billable, dental.termination_date, dental.text_licence, dental.title) == (
        True,
        None,
        "ADA",
        "",
    )
    # G0008 is in the 2025 fee schedule but not in this HCPCS file: that release ended it.
    ended = Code.objects.get(system__slug="hcpcs", key="G0008")
    assert (ended.billable, ended.termination_date) == (False, datetime.date(2026, 1, 1))
    # Loading the HCPCS release again agrees with what the fee schedule created.
    again = import_file("hcpcs", hcpcs_file)
    assert again.already_loaded and (again.added, again.revised, again.deleted) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("RVU25A.zip", "2025-01"),
        ("rvu24b.zip", "2024-04"),
        ("RVU25D.zip", "2025-10"),
        ("PPRRVU25_JAN.csv", "2025-01"),
        ("PPRRVU24_JUL.csv", "2024-07"),
        ("fee-schedule.zip", None),
    ],
)
def test_the_release_label_comes_from_the_file_name(name, label):
    assert label_from_name(name) == label


def test_if_new_skips_a_loaded_fee_schedule_without_reading_it(tmp_path):
    path = sample_zip(tmp_path)
    call_command("import_codes", "pfs", str(path), "--if-new", stdout=StringIO())
    path.write_bytes(b"not a zip any more: --if-new must not open it")

    out = StringIO()
    call_command("import_codes", "pfs", str(path), "--if-new", stdout=out)

    assert out.getvalue() == "pfs 2025-01 is loaded already; nothing to do.\n"
    assert FeeSchedule.objects.get(year=2025).items.count() == len(sample_rows(SAMPLE_2025))
