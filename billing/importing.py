"""Import one year of the Medicare Physician Fee Schedule from the CMS relative value files.

Accepts the release zip (RVU25A.zip: PPRRVU25_JAN.csv, GPCI2025.csv, 25LOCCO.csv) or the
PPRRVU csv itself (GPCI and locality files are then taken from the same folder when there).
The file's CPT descriptor column is never read into the database (AMA copyright).
"""

from __future__ import annotations

import bisect
import csv
import datetime
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from billing.models import FeeSchedule, FeeScheduleItem, Locality
from lookup.importing import ImportFailed, ImportJob, ImportSummary, latest_release, register
from lookup.models import Code, CodeSystem, normalize_code

Progress = Callable[[int, int], None]

TITLE = re.compile(r"(\d{4}) National Physician Fee Schedule Relative Value File\s*(\w+)?", re.I)
RELEASED = re.compile(r"RELEASED\s+(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
HCPCS = re.compile(r"^[A-Z0-9]{5}$")
# The last header line of PPRRVU, column by column (the labels above it are wrapped text).
PPRRVU_HEADER = [
    "HCPCS", "MOD", "DESCRIPTION", "CODE", "PAYMENT", "RVU", "PE RVU", "INDICATOR", "PE RVU",
    "INDICATOR", "RVU", "TOTAL", "TOTAL", "IND", "DAYS", "OP", "OP", "OP", "PROC", "SURG", "SURG",
    "SURG", "SURG", "BASE", "FACTOR", "PROCEDURES", "FLAG", "INDICATOR", "AMOUNT", "AMOUNT", "AMOUNT",
]  # fmt: skip
# Column positions of PPRRVU (CMS record layout order); column 2, the descriptor, is skipped.
DECIMAL_COLUMNS = {
    "work_rvu": 5,
    "pe_rvu_nonfacility": 6,
    "pe_rvu_facility": 8,
    "mp_rvu": 10,
    "total_nonfacility": 11,
    "total_facility": 12,
    "preop_share": 15,
    "intraop_share": 16,
    "postop_share": 17,
    "conversion_factor": 24,
    "opps_pe_nonfacility": 28,
    "opps_pe_facility": 29,
    "opps_mp": 30,
}
TEXT_COLUMNS = {
    "status": 3,
    "pctc": 13,
    "global_days": 14,
    "multiple_procedure": 18,
    "bilateral_surgery": 19,
    "assistant_surgery": 20,
    "co_surgery": 21,
    "team_surgery": 22,
    "endoscopic_base": 23,
    "supervision": 25,
    "imaging_family": 27,
}
ITEM_FIELDS = [
    "code_id",
    "not_used_for_medicare",
    "nonfacility_na",
    "facility_na",
    *DECIMAL_COLUMNS,
    *TEXT_COLUMNS,
]
LOCALITY_FIELDS = ["state", "name", "counties", "work_gpci", "pe_gpci", "mp_gpci", "footnote"]
END_OF_FILE = "\x1a"  # CMS files end with a DOS end-of-file character


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"{self.added:,} added, {self.changed:,} changed, {self.unchanged:,} unchanged, {self.removed:,} removed"


@dataclass
class Summary:
    year: int
    release: str
    rows: Counts = field(default_factory=Counts)
    localities: Counts | None = None
    codes_created: int = 0
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        counts = [self.rows, *([self.localities] if self.localities else [])]
        return self.codes_created > 0 or any(c.added or c.changed or c.removed for c in counts)

    def __str__(self) -> str:
        localities = (
            f"localities: {self.localities}" if self.localities else "no GPCI/locality file: localities kept"
        )
        return (
            f"CY{self.year} Physician Fee Schedule ({self.release}): rows: {self.rows}; "
            f"{self.codes_created:,} codes created; {localities}; {self.seconds:.1f}s"
        )


@dataclass
class Sources:
    name: str
    release: str
    pprrvu: str
    gpci: str | None = None
    locco: str | None = None


@dataclass
class ParsedFile:
    year: int
    released_on: datetime.date | None
    rows: list[dict]


def import_fee_schedule(*, path: str | Path, progress: Progress | None = None) -> Summary:
    """Import (or re-import: only differences are written) one year's fee schedule, all or nothing."""
    started = time.monotonic()
    sources = read_sources(Path(path))
    parsed = parse_pprrvu(sources.pprrvu, name=sources.name)
    gpci = parse_gpci(sources.gpci, year=parsed.year) if sources.gpci else None
    counties = parse_locco(sources.locco) if sources.locco else {}

    summary = Summary(year=parsed.year, release=sources.release)
    with transaction.atomic():
        schedule = _save_schedule(parsed, sources)
        code_ids, summary.codes_created = _ensure_codes(parsed.rows)
        summary.rows = _save_items(schedule, parsed.rows, code_ids, progress)
        if gpci is not None:
            for row in gpci:
                row["counties"] = counties.get((row["mac"], row["number"]), "")
            summary.localities = _save_localities(schedule, gpci)
    summary.seconds = time.monotonic() - started
    return summary


# Reading and checking the files: every problem becomes one clear CommandError line.


def read_sources(path: Path) -> Sources:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    if path.suffix.lower() == ".zip":
        return _read_zip(path)
    if path.suffix.lower() == ".csv":
        pprrvu = _decode(path.read_bytes())
        sources = Sources(name=path.name, release=path.stem, pprrvu=pprrvu)
        # The GPCI and locality files of the same release, when they sit next to it.
        year = _title_year(pprrvu)
        if year:
            gpci = path.with_name(f"GPCI{year}.csv")
            locco = path.with_name(f"{year % 100:02d}LOCCO.csv")
            sources.gpci = _decode(gpci.read_bytes()) if gpci.is_file() else None
            sources.locco = _decode(locco.read_bytes()) if locco.is_file() else None
        return sources
    raise CommandError(f"{path.name}: expected the CMS RVU zip (RVU25A.zip) or its PPRRVU csv")


def _read_zip(path: Path) -> Sources:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()

            def member(pattern: str) -> str | None:
                found = [n for n in names if re.fullmatch(pattern, Path(n).name, re.I)]
                return _decode(archive.read(found[0])) if found else None

            pprrvu = member(r"PPRRVU\w*\.csv")
            if pprrvu is None:
                raise CommandError(f"{path.name}: no PPRRVU csv inside: not a CMS relative value (RVU) zip")
            return Sources(
                name=path.name,
                release=path.stem.upper(),
                pprrvu=pprrvu,
                gpci=member(r"GPCI\d{4}\w*\.csv"),
                locco=member(r"\d{2}LOCCO\w*\.csv"),
            )
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise CommandError(f"{path.name}: not a readable zip file (damaged or truncated?): {error}") from None


def _decode(data: bytes) -> str:
    # The CMS files are plain ASCII; cp1252 reads any stray byte rather than failing.
    return data.decode("cp1252", errors="replace")


def _title_year(text: str) -> int | None:
    match = TITLE.search(text[:2000])
    return int(match.group(1)) if match else None


def _decimal(value: str, *, line: int, column: str) -> Decimal:
    try:
        return Decimal(value.strip() or "0")
    except InvalidOperation:
        raise CommandError(
            f"line {line}: {column} {value!r} is not a number (wrong or damaged file)"
        ) from None


def parse_pprrvu(text: str, *, name: str = "PPRRVU") -> ParsedFile:
    year = _title_year(text)
    if year is None:
        raise CommandError(
            f"{name}: not a PPRRVU file (no 'National Physician Fee Schedule Relative Value File' title)"
        )
    released = RELEASED.search(text[:2000])
    released_on = None
    if released:
        month, day, released_year = (int(part) for part in released.groups())
        released_on = datetime.date(released_year, month, day)

    lines = csv.reader(text.splitlines())
    for header in lines:
        if header[:2] == ["HCPCS", "MOD"]:
            break
    else:
        raise CommandError(f"{name}: no 'HCPCS,MOD,...' column header line: not a PPRRVU file")
    if [label.strip() for label in header] != PPRRVU_HEADER:
        raise CommandError(f"{name}: line {lines.line_num}: columns differ from the PPRRVU layout")

    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for cells in lines:
        line_number = lines.line_num
        if not cells or not "".join(cells).strip() or cells[0] == END_OF_FILE:
            continue
        if len(cells) != len(PPRRVU_HEADER):
            raise CommandError(
                f"{name}: line {line_number}: {len(cells)} columns instead of {len(PPRRVU_HEADER)} "
                "(truncated or damaged file)"
            )
        hcpcs, modifier = cells[0].strip().upper(), cells[1].strip().upper()
        if not HCPCS.match(hcpcs):
            raise CommandError(f"{name}: line {line_number}: {cells[0]!r} is not a HCPCS/CPT code")
        if (hcpcs, modifier) in seen:
            raise CommandError(f"{name}: line {line_number}: {hcpcs} {modifier} appears twice")
        seen.add((hcpcs, modifier))
        row = {
            "hcpcs": hcpcs,
            "modifier": modifier,
            "not_used_for_medicare": cells[4].strip() == "+",
            "nonfacility_na": cells[7].strip() == "NA",
            "facility_na": cells[9].strip() == "NA",
            # Public-domain HCPCS short text may title a new HCPCS code; CPT text is dropped here.
            "short_text": "" if hcpcs[0].isdigit() or hcpcs[0] == "D" else cells[2].strip(),
        }
        for field_name, column in DECIMAL_COLUMNS.items():
            row[field_name] = _decimal(cells[column], line=line_number, column=field_name)
        for field_name, column in TEXT_COLUMNS.items():
            row[field_name] = cells[column].strip().upper()
        for total, pe in [("total_nonfacility", "pe_rvu_nonfacility"), ("total_facility", "pe_rvu_facility")]:
            if row["work_rvu"] + row[pe] + row["mp_rvu"] != row[total]:
                raise CommandError(f"{name}: line {line_number}: {hcpcs} {total} is not work + PE + MP RVUs")
        rows.append(row)
    if not rows:
        raise CommandError(f"{name}: no fee schedule rows (empty or truncated file)")
    return ParsedFile(year=year, released_on=released_on, rows=rows)


def parse_gpci(text: str, *, year: int) -> list[dict]:
    lines = list(csv.reader(text.splitlines()))
    header = next((cells for cells in lines if "Locality Number" in cells), None)
    if header is None or len(header) < 7:
        raise CommandError("GPCI file: no 'Locality Number' column header: not a CMS GPCI file")
    gpci_year = re.match(r"\s*(\d{4})", header[4])
    if not gpci_year or int(gpci_year.group(1)) != year:
        raise CommandError(
            f"GPCI file is not for {year} ({header[4]!r}): use the GPCI file of the same release"
        )
    footnotes = {}  # "*" and "**" marks after a locality name, explained under the table
    for cells in lines:
        mark = re.match(r"\*+", cells[0]) if cells else None
        if mark:
            footnotes[mark.group()] = cells[0][mark.end() :].strip()
    rows = []
    for cells in lines:
        if len(cells) < 7 or not cells[0].strip().isdigit():
            continue
        name = cells[3].strip()
        stars = re.search(r"\*+$", name)
        rows.append(
            {
                "mac": cells[0].strip().zfill(5),
                "number": cells[2].strip().zfill(2),
                "state": cells[1].strip(),
                "name": name.rstrip("*").strip(),
                "work_gpci": _decimal(cells[4], line=0, column="work GPCI"),
                "pe_gpci": _decimal(cells[5], line=0, column="PE GPCI"),
                "mp_gpci": _decimal(cells[6], line=0, column="MP GPCI"),
                "footnote": footnotes.get(stars.group(), "").strip() if stars else "",
            }
        )
    if not rows:
        raise CommandError("GPCI file: no locality rows (empty or truncated file)")
    return rows


def parse_locco(text: str) -> dict[tuple[str, str], str]:
    """Counties of each (MAC, locality number); a locality listed twice gets both lists."""
    counties: dict[tuple[str, str], list[str]] = {}
    for cells in csv.reader(text.splitlines()):
        if len(cells) >= 5 and cells[0].strip().isdigit() and cells[1].strip().isdigit():
            key = (cells[0].strip().zfill(5), cells[1].strip().zfill(2))
            text_ = cells[4].strip()
            if text_ and text_ not in counties.setdefault(key, []):
                counties[key].append(text_)
    return {key: "; ".join(parts) for key, parts in counties.items()}


# Writing: compare with what is stored and write only the differences.


def _save_schedule(parsed: ParsedFile, sources: Sources) -> FeeSchedule:
    factors = {row["conversion_factor"] for row in parsed.rows if row["conversion_factor"]}
    if len(factors) != 1:
        raise CommandError(f"{sources.name}: expected one conversion factor, found {sorted(factors)}")
    values = {
        "release": sources.release,
        "released_on": parsed.released_on,
        "conversion_factor": factors.pop(),
        "source_name": sources.name,
    }
    schedule, created = FeeSchedule.objects.get_or_create(year=parsed.year, defaults=values)
    if not created and any(getattr(schedule, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(schedule, key, value)
        schedule.save()
    return schedule


def cpt_sort_key(key: str) -> tuple[int, str]:
    # CPT order: Category I numbers, then codes ending in a letter (F, T, U, M) grouped by it.
    return (0, key) if key.isdigit() else (ord(key[-1]), key)


def _ensure_codes(rows: list[dict]) -> tuple[dict[str, int], int]:
    """The Code id of every code in the file, creating the missing ones (no CPT text)."""
    cpt = CodeSystem.objects.get(slug="cpt")
    hcpcs = CodeSystem.objects.get(slug="hcpcs")
    first = {}
    for row in rows:
        first.setdefault(row["hcpcs"], row)

    def system_of(code: str) -> CodeSystem:
        return cpt if code[0].isdigit() else hcpcs

    existing = {
        (system_id, key): pk
        for system_id, key, pk in Code.objects.filter(
            system__in=[cpt, hcpcs], key__in=[normalize_code(c) for c in first]
        ).values_list("system_id", "key", "id")
    }
    orders = {
        s.pk: sorted(Code.objects.filter(system=s).values_list("key", "sort_order")) for s in (cpt, hcpcs)
    }
    # Once a code set's own file is loaded (import_codes hcpcs / cpt), a code missing from it
    # is one that release ended: created as that importer leaves its ended codes, so both agree.
    releases = {system.pk: latest_release(system) for system in (cpt, hcpcs)}
    missing = []
    for code, row in first.items():
        system = system_of(code)
        if (system.pk, normalize_code(code)) in existing:
            continue
        licence = "AMA" if system is cpt else ("ADA" if code.startswith("D") else "")
        ended_by = releases[system.pk]
        missing.append(
            Code(
                system=system,
                code=code,
                key=normalize_code(code),
                kind=Code.Kind.CODE,
                title=row["short_text"][:300],
                text_licence=licence,
                billable=ended_by is None,
                termination_date=ended_by.date if ended_by else None,
                # A new code sits by its alphabetical neighbour; CPT is renumbered below.
                sort_order=_preceding_order(orders[system.pk], code),
            )
        )
    if missing:
        bulk_create_with_history(missing, Code, batch_size=2000)
        if releases[cpt.pk] is None:  # no licensed CPT file gives the order: the PFS codes do
            _renumber_cpt(cpt)
    ids = {
        key: pk
        for system_id, key, pk in Code.objects.filter(
            system__in=[cpt, hcpcs], key__in=[normalize_code(c) for c in first]
        ).values_list("system_id", "key", "id")
        if system_id == system_of(key).pk
    }
    return ids, len(missing)


def _preceding_order(orders: list[tuple[str, int]], key: str) -> int:
    """The sort order of the code just before `key` alphabetically (orders sorted by key)."""
    index = bisect.bisect_left(orders, (key,))
    return orders[index - 1][1] if index else 0


def _renumber_cpt(cpt: CodeSystem) -> None:
    codes = sorted(
        Code.objects.filter(system=cpt).only("id", "key", "sort_order"), key=lambda c: cpt_sort_key(c.key)
    )
    changed = []
    for position, code in enumerate(codes, start=1):
        if code.sort_order != position * 10:
            code.sort_order = position * 10
            changed.append(code)
    Code.objects.bulk_update(changed, ["sort_order"], batch_size=2000)


def _save_items(
    schedule: FeeSchedule, rows: list[dict], code_ids: dict[str, int], progress: Progress | None
) -> Counts:
    counts = Counts()
    stored = {(item.hcpcs, item.modifier): item for item in schedule.items.all()}
    to_create, to_update = [], []
    for position, row in enumerate(rows, start=1):
        values = {name: row[name] for name in ITEM_FIELDS if name != "code_id"}
        values["code_id"] = code_ids[row["hcpcs"]]
        item = stored.pop((row["hcpcs"], row["modifier"]), None)
        if item is None:
            to_create.append(
                FeeScheduleItem(schedule=schedule, hcpcs=row["hcpcs"], modifier=row["modifier"], **values)
            )
        elif any(getattr(item, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(item, name, value)
            to_update.append(item)
        else:
            counts.unchanged += 1
        if progress and position % 500 == 0:
            progress(position, len(rows))
    FeeScheduleItem.objects.bulk_create(to_create, batch_size=2000)
    FeeScheduleItem.objects.bulk_update(to_update, ITEM_FIELDS, batch_size=1000)
    if stored:
        FeeScheduleItem.objects.filter(pk__in=[item.pk for item in stored.values()]).delete()
    if progress:
        progress(len(rows), len(rows))
    counts.added, counts.changed, counts.removed = len(to_create), len(to_update), len(stored)
    return counts


def _save_localities(schedule: FeeSchedule, rows: list[dict]) -> Counts:
    counts = Counts()
    stored = {(loc.mac, loc.number): loc for loc in schedule.localities.all()}
    to_create, to_update = [], []
    for row in rows:
        values = {name: row[name] for name in LOCALITY_FIELDS}
        locality = stored.pop((row["mac"], row["number"]), None)
        if locality is None:
            to_create.append(Locality(schedule=schedule, mac=row["mac"], number=row["number"], **values))
        elif any(getattr(locality, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(locality, name, value)
            to_update.append(locality)
        else:
            counts.unchanged += 1
    Locality.objects.bulk_create(to_create)
    Locality.objects.bulk_update(to_update, LOCALITY_FIELDS)
    if stored:
        Locality.objects.filter(pk__in=[loc.pk for loc in stored.values()]).delete()
    counts.added, counts.changed, counts.removed = len(to_create), len(to_update), len(stored)
    return counts


# `manage.py import_codes pfs <file>`: the shared import command runs the same import.


def run_import_job(job: ImportJob) -> ImportSummary:
    """The shared command's entry point: its progress bar and its summary lines."""

    def progress(done: int, total: int) -> None:
        if not job.progress.label:
            job.progress.start("Fee schedule rows", total)
        job.progress.advance(done - job.progress.done)

    try:
        summary = import_fee_schedule(path=job.path, progress=progress)
    except ImportFailed:
        raise
    except CommandError as error:
        raise ImportFailed(str(error)) from None
    return FeeScheduleImportSummary(
        system="Medicare PFS",
        release=f"CY{summary.year} {summary.release}",
        added=summary.rows.added,
        revised=summary.rows.changed,
        deleted=summary.rows.removed,
        unchanged=summary.rows.unchanged,
        detail=summary,
    )


@dataclass
class FeeScheduleImportSummary(ImportSummary):
    detail: Summary | None = None

    def lines(self) -> list[str]:
        lines = super().lines()
        if self.detail:
            localities = self.detail.localities
            lines.append(f"  localities: {localities}" if localities else "  localities: no GPCI file, kept")
            lines.append(f"  codes created for fee-schedule rows: {self.detail.codes_created:,}")
        return lines


def register_with_import_codes() -> None:
    register(
        "pfs",
        run_import_job,
        help="Medicare Physician Fee Schedule: the CMS RVU zip (RVU25A.zip) or its PPRRVU csv",
    )
