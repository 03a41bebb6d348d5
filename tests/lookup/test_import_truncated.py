"""A truncated plain-text file is refused, and a release that would delete much stops (issue 17).

Each case cuts a sample of fixtures/import/ (or fixtures/billing/) the way a failed download
or copy does: mid-line, or at a line boundary, after a whole release is loaded.
"""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from billing.models import FeeScheduleItem
from lookup.models import Code, CodeChange, Release
from tests.billing.conftest import SAMPLE_2025 as PPRRVU_2025
from tests.lookup.importing import SAMPLES, import_codes

pytestmark = pytest.mark.django_db

PCS_LIST = SAMPLES / "icd10pcs_codes_2024_sample.txt"
PCS_ORDER = SAMPLES / "icd10pcs_order_2024_sample.txt"
HCPCS = SAMPLES / "HCPC2026_JAN_ANWEB_sample.txt"
CPT = SAMPLES / "cpt-2026-sample.tsv"


def snapshot() -> tuple:
    return (
        list(Code.objects.order_by("pk").values_list()),
        list(Release.objects.order_by("pk").values_list("pk", "version")),
        CodeChange.objects.count(),
        list(FeeScheduleItem.objects.order_by("pk").values_list()),
    )


def cut_bytes(source, target, share: float):
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * share)])
    return target


def first_lines(source, target, count: int):
    lines = source.read_bytes().splitlines(keepends=True)
    target.write_bytes(b"".join(lines[:count]))
    return target


def refused(system: str, path, **options) -> str:
    with pytest.raises(CommandError) as failure:
        import_codes(system, path, **options)
    message = str(failure.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("system", "sample", "name"),
    [
        ("icd-10-pcs", PCS_LIST, "icd10pcs_codes_2025.txt"),
        ("icd-10-pcs", PCS_ORDER, "icd10pcs_order_2025.txt"),
        ("hcpcs", HCPCS, "HCPC2026_APR_ANWEB.txt"),
        ("cpt", CPT, "cpt-2027.tsv"),
    ],
)
@pytest.mark.parametrize("share", [0.5, 0.9])
def test_a_file_cut_mid_line_is_refused_and_changes_nothing(tmp_path, system, sample, name, share):
    data = sample.read_bytes()
    cut = int(len(data) * share)
    if data[cut - 1 : cut] == b"\n":
        cut -= 3  # mid-line, as a cut download almost always is
    path = tmp_path / name
    path.write_bytes(data[:cut])
    before = snapshot()

    message = refused(system, path)

    assert "truncated" in message
    assert snapshot() == before


def test_half_the_pcs_code_list_cut_mid_line_keeps_every_code_and_description(tmp_path):
    """The issue's reproduction: deleted 40070, a description cut to "Destruction of Left Trunk Mu"."""
    import_codes("icd-10-pcs", PCS_LIST)
    before = snapshot()

    message = refused("icd-10-pcs", cut_bytes(PCS_LIST, tmp_path / "icd10pcs_codes_2025.txt", 0.5))

    assert "last line has no line break" in message
    assert snapshot() == before
    assert not Code.objects.filter(system__slug="icd-10-pcs", termination_date__isnull=False).exists()


@pytest.mark.parametrize(
    ("system", "sample", "name", "keep"),
    [
        ("icd-10-pcs", PCS_LIST, "icd10pcs_codes_2025.txt", 9),
        ("icd-10-pcs", PCS_ORDER, "icd10pcs_order_2025.txt", 10),
        ("hcpcs", HCPCS, "HCPC2026_APR_ANWEB.txt", 9),  # 90% of the records
        ("cpt", CPT, "cpt-2027.tsv", 6),
    ],
)
def test_a_file_cut_at_a_line_end_stops_on_its_deletions_unless_allowed(tmp_path, system, sample, name, keep):
    import_codes(system, sample)
    before = snapshot()
    path = first_lines(sample, tmp_path / name, keep)

    message = refused(system, path)

    assert "would delete" in message
    assert "more than IMPORT_MAX_DELETION_SHARE (2%)" in message
    assert "--allow-deletions" in message
    assert snapshot() == before

    # The operator who knows the release ends those codes says so.
    out = import_codes(system, path, allow_deletions=True)
    assert "deleted" in out
    assert Code.objects.filter(system__slug=system, termination_date__isnull=False).exists()


def test_the_share_is_a_setting(tmp_path, settings):
    import_codes("icd-10-pcs", PCS_LIST)
    path = first_lines(PCS_LIST, tmp_path / "icd10pcs_codes_2025.txt", 16)  # 2 of 18 codes: 11%
    assert "would delete 2 of the 18 codes loaded (11.1%)" in refused("icd-10-pcs", path)

    settings.IMPORT_MAX_DELETION_SHARE = 0.2
    out = import_codes("icd-10-pcs", path)

    assert "deleted 2" in out


def test_a_first_release_is_not_held_back_by_the_codes_a_fee_schedule_or_the_demo_made(demo_codes):
    # The demo's HCPCS codes are no release: the first HCPCS file may end them.
    out = import_codes("hcpcs", HCPCS)

    assert "HCPCS" in out


def test_pprrvu_without_cms_closing_row_is_refused(tmp_path):
    """The issue's reproduction: the first 9,400 lines of PPRRVU25_JAN.csv (here: of the sample)."""
    import_codes("pfs", PPRRVU_2025)
    before = snapshot()
    lines = PPRRVU_2025.read_bytes().splitlines(keepends=True)
    path = tmp_path / "PPRRVU25_APR.csv"
    path.write_bytes(b"".join(lines[: len(lines) // 2]))

    message = refused("pfs", path)

    assert "no closing row" in message
    assert snapshot() == before


def test_pprrvu_cut_inside_its_closing_row_is_still_whole(tmp_path):
    # The closing row is the marker itself; CMS's rows of commas after it carry nothing.
    data = PPRRVU_2025.read_bytes()
    path = tmp_path / "PPRRVU25_JAN.csv"
    path.write_bytes(data[: data.index(b"\x1a") + 3])

    assert "Medicare PFS 2025-01" in import_codes("pfs", path)


def test_pprrvu_rows_after_the_closing_row_are_refused(tmp_path):
    data = PPRRVU_2025.read_bytes()
    lines = data.splitlines(keepends=True)
    path = tmp_path / "PPRRVU25_JAN.csv"
    path.write_bytes(data + b"\r\n" + lines[-2])

    assert "rows after CMS's closing row" in refused("pfs", path)


def test_a_truncated_gpci_beside_pprrvu_is_refused(tmp_path):
    folder = PPRRVU_2025.parent
    for member in folder.iterdir():
        (tmp_path / member.name).write_bytes(member.read_bytes())
    cut_bytes(folder / "GPCI2025.csv", tmp_path / "GPCI2025.csv", 0.6)

    message = refused("pfs", tmp_path / "PPRRVU25_JAN.csv")

    assert "GPCI2025.csv" in message and "truncated" in message
    assert not FeeScheduleItem.objects.exists()


def test_a_replaced_fee_schedule_that_drops_many_rows_stops(tmp_path):
    import_codes("pfs", PPRRVU_2025)
    before = snapshot()
    data = PPRRVU_2025.read_bytes()
    # A whole-looking file (closing row kept) that lost a third of its rows.
    lines = data.splitlines(keepends=True)
    rows = [i for i, line in enumerate(lines) if line[:1].isalnum() and not line.startswith(b"HCPCS")]
    dropped = set(rows[: len(rows) // 3])
    path = tmp_path / "PPRRVU25_APR.csv"
    path.write_bytes(b"".join(line for i, line in enumerate(lines) if i not in dropped))

    message = refused("pfs", path)

    assert "Medicare PFS 2025 would delete" in message and "fee-schedule rows" in message
    assert snapshot() == before
