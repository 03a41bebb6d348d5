"""Import one year of the Medicare Physician Fee Schedule from the CMS relative value files.

`import_codes pfs <file>` runs `run()` on lookup's import framework (one transaction, the
import lock, the progress bar, the summary, `ImportFailed`). Accepts the release zip
(RVU25A.zip: PPRRVU25_JAN.csv, GPCI2025.csv, 25LOCCO.csv) or the PPRRVU csv itself (GPCI
and locality files are then taken from the same folder when there). The release label is
the month the release takes effect: RVU25A (CMS's January release) is 2025-01, RVU25B
2025-04, C 2025-07, D 2025-10; one year keeps one release, a later one replaces it. The
codes its rows name come from lookup's `ensure_codes`; the file's CPT descriptor column is
never read into the database (AMA copyright).
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from billing.models import FeeSchedule, FeeScheduleItem, Locality
from lookup.importers.codeset import ensure_codes
from lookup.importing import (
    ImportFailed,
    ImportJob,
    ImportSummary,
    check_deletions,
    is_zip,
    open_member,
    read_member,
    require_line_end,
)

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
END_OF_FILE = "\x1a"  # PPRRVU ends with a row that starts with a DOS end-of-file character


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"{self.added:,} added, {self.changed:,} changed, {self.unchanged:,} unchanged, {self.removed:,} removed"


@dataclass
class FeeScheduleSummary(ImportSummary):
    """The framework's summary (added, revised, deleted, unchanged: fee-schedule rows) with
    the year, the localities and the codes created for the rows."""

    year: int = 0
    localities: Counts | None = None
    codes_created: int = 0


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


def run(job: ImportJob) -> FeeScheduleSummary:
    """Import (or re-import: only differences are written) one year's fee schedule.

    Runs inside the framework's transaction: a failure anywhere changes nothing.
    """
    job.progress.start("Reading fee schedule", 1)
    sources = read_sources(job.path)
    parsed = parse_pprrvu(sources.pprrvu, name=sources.name)
    gpci = parse_gpci(sources.gpci, year=parsed.year) if sources.gpci else None
    counties = parse_locco(sources.locco) if sources.locco else {}
    job.progress.finish()
    label = job.version or label_from_name(job.path.name) or _label_from_title(sources.pprrvu, parsed.year)
    if not label.startswith(f"{parsed.year}"):
        raise ImportFailed(f"{sources.name}: release {label} is not of the file's year {parsed.year}")

    schedule = _save_schedule(parsed, sources)
    codes = ensure_codes(titles={row["hcpcs"]: row["short_text"] for row in parsed.rows})
    rows = _save_items(schedule, parsed.rows, codes.ids, job)
    summary = FeeScheduleSummary(
        system="Medicare PFS",
        release=label,
        remark=f"CY{parsed.year}, {sources.release}",
        added=rows.added,
        revised=rows.changed,
        deleted=rows.removed,
        unchanged=rows.unchanged,
        year=parsed.year,
        codes_created=codes.created,
    )
    if gpci is not None:
        for row in gpci:
            row["counties"] = counties.get((row["mac"], row["number"]), "")
        summary.localities = _save_localities(schedule, gpci)
    summary.details = [
        f"localities: {summary.localities}" if summary.localities else "localities: no GPCI file, kept",
        f"codes created for fee-schedule rows: {codes.created:,}",
    ]
    return summary


# The release label: the month a release takes effect, from the file's name or its title.
RVU_ZIP = re.compile(r"RVU(\d\d)([A-D])", re.IGNORECASE)
PPRRVU_CSV = re.compile(r"PPRRVU(\d\d)_?(JAN|APR|JUL|OCT)", re.IGNORECASE)
QUARTER_MONTHS = {"A": 1, "B": 4, "C": 7, "D": 10, "JAN": 1, "APR": 4, "JUL": 7, "OCT": 10}


def label_from_name(name: str) -> str | None:
    """`RVU25A.zip` or `PPRRVU25_JAN.csv` -> `2025-01` (CMS's A release takes effect in January)."""
    found = RVU_ZIP.search(name) or PPRRVU_CSV.search(name)
    if not found:
        return None
    return f"20{found.group(1)}-{QUARTER_MONTHS[found.group(2).upper()]:02d}"


def _label_from_title(text: str, year: int) -> str:
    # "2025 National Physician Fee Schedule Relative Value File January Release"
    found = TITLE.search(text[:2000])
    month = (found.group(2) or "")[:3].upper() if found else ""
    if month not in QUARTER_MONTHS:
        raise ImportFailed("the file names no release (RVU25A.zip, PPRRVU25_JAN.csv): give --release")
    return f"{year}-{QUARTER_MONTHS[month]:02d}"


def is_loaded(label: str) -> bool:
    """Whether the fee schedule of that release is the one loaded for its year."""
    year = label[:4]
    if not year.isdigit():
        return False
    schedule = FeeSchedule.objects.filter(year=int(year)).first()
    return schedule is not None and label_from_name(schedule.release) == label


# Reading and checking the files: every problem becomes one clear ImportFailed line.


def read_sources(path: Path) -> Sources:
    if is_zip(path):
        with open_member(path, suffixes=(".csv",), what="PPRRVU csv", name=r"PPRRVU\w*\.csv") as stream:
            pprrvu = _decode(stream.read())
        gpci, locco = (
            read_member(path, name=r"GPCI\d{4}\w*\.csv"),
            read_member(path, name=r"\d{2}LOCCO\w*\.csv"),
        )
        return Sources(
            name=path.name,
            release=path.stem.upper(),
            pprrvu=pprrvu,
            gpci=_whole(gpci, name="GPCI csv") if gpci is not None else None,
            locco=_whole(locco, name="locality csv") if locco is not None else None,
        )
    if path.suffix.lower() == ".csv":
        pprrvu = _decode(path.read_bytes())
        sources = Sources(name=path.name, release=path.stem, pprrvu=pprrvu)
        # The GPCI and locality files of the same release, when they sit next to it.
        year = _title_year(pprrvu)
        if year:
            gpci = path.with_name(f"GPCI{year}.csv")
            locco = path.with_name(f"{year % 100:02d}LOCCO.csv")
            sources.gpci = _whole(gpci.read_bytes(), name=gpci.name) if gpci.is_file() else None
            sources.locco = _whole(locco.read_bytes(), name=locco.name) if locco.is_file() else None
        return sources
    raise ImportFailed(f"{path.name}: expected the CMS RVU zip (RVU25A.zip) or its PPRRVU csv")


def _whole(data: bytes, *, name: str) -> str:
    # The GPCI and locality files have no closing row: their last line must end whole.
    require_line_end(data, name=name)
    return _decode(data)


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
        raise ImportFailed(
            f"line {line}: {column} {value!r} is not a number (wrong or damaged file)"
        ) from None


def parse_pprrvu(text: str, *, name: str = "PPRRVU") -> ParsedFile:
    year = _title_year(text)
    if year is None:
        raise ImportFailed(
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
        raise ImportFailed(f"{name}: no 'HCPCS,MOD,...' column header line: not a PPRRVU file")
    if [label.strip() for label in header] != PPRRVU_HEADER:
        raise ImportFailed(f"{name}: line {lines.line_num}: columns differ from the PPRRVU layout")

    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    closed = False
    for cells in lines:
        line_number = lines.line_num
        if not cells or not "".join(cells).strip():
            continue
        if closed:
            raise ImportFailed(f"{name}: line {line_number}: rows after CMS's closing row (damaged file)")
        if cells[0].startswith(END_OF_FILE):
            # CMS's closing row: the file is whole.
            closed = True
            continue
        if len(cells) != len(PPRRVU_HEADER):
            raise ImportFailed(
                f"{name}: line {line_number}: {len(cells)} columns instead of {len(PPRRVU_HEADER)} "
                "(truncated or damaged file)"
            )
        hcpcs, modifier = cells[0].strip().upper(), cells[1].strip().upper()
        if not HCPCS.match(hcpcs):
            raise ImportFailed(f"{name}: line {line_number}: {cells[0]!r} is not a HCPCS/CPT code")
        if (hcpcs, modifier) in seen:
            raise ImportFailed(f"{name}: line {line_number}: {hcpcs} {modifier} appears twice")
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
                raise ImportFailed(f"{name}: line {line_number}: {hcpcs} {total} is not work + PE + MP RVUs")
        rows.append(row)
    if not rows:
        raise ImportFailed(f"{name}: no fee schedule rows (empty or truncated file)")
    if not closed:
        raise ImportFailed(
            f"{name}: no closing row (CMS ends PPRRVU with an end-of-file row) after line {lines.line_num}: "
            "truncated file"
        )
    return ParsedFile(year=year, released_on=released_on, rows=rows)


def parse_gpci(text: str, *, year: int) -> list[dict]:
    lines = list(csv.reader(text.splitlines()))
    header = next((cells for cells in lines if "Locality Number" in cells), None)
    if header is None or len(header) < 7:
        raise ImportFailed("GPCI file: no 'Locality Number' column header: not a CMS GPCI file")
    gpci_year = re.match(r"\s*(\d{4})", header[4])
    if not gpci_year or int(gpci_year.group(1)) != year:
        raise ImportFailed(
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
        raise ImportFailed("GPCI file: no locality rows (empty or truncated file)")
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
        raise ImportFailed(f"{sources.name}: expected one conversion factor, found {sorted(factors)}")
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


def _save_items(schedule: FeeSchedule, rows: list[dict], code_ids: dict[str, int], job: ImportJob) -> Counts:
    counts = Counts()
    job.progress.start("Fee schedule rows", len(rows))
    stored = {(item.hcpcs, item.modifier): item for item in schedule.items.all()}
    loaded = len(stored)
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
        if position % 500 == 0:
            job.progress.advance(500)
    check_deletions(
        job=job,
        what=f"Medicare PFS {schedule.year}",
        deleted=len(stored),
        loaded=loaded,
        unit="fee-schedule rows",
    )
    FeeScheduleItem.objects.bulk_create(to_create, batch_size=2000)
    FeeScheduleItem.objects.bulk_update(to_update, ITEM_FIELDS, batch_size=1000)
    if stored:
        FeeScheduleItem.objects.filter(pk__in=[item.pk for item in stored.values()]).delete()
    job.progress.finish()
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
