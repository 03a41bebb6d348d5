"""NCCI procedure-to-procedure (PTP) edits, practitioner and hospital outpatient, from CMS's
quarterly text files (ccipra-v320r0-f1.txt ... f4 for practitioners, ccioph-... for hospital
outpatient services), plain or zipped; a CSV export of the same columns is read too.

The file opens with a copyright line and a header spread over several lines; each edit is
then one tab-separated line:

    column 1, column 2, "*" if in existence before 1996, effective date (YYYYMMDD),
    deletion date (YYYYMMDD, "*" if none), modifier indicator (0, 1, 9), rationale

CMS splits a quarter's table into several parts (-f1, -f2, ...): given one part, the importer
reads every part with the same name beside it, or every part inside the zip. The whole
quarter replaces the one loaded, and what it added, deleted and revised is recorded.

Speed: the tab-separated rows go to PostgreSQL untouched (COPY into a staging table of text
columns); PostgreSQL checks every value and turns the table into typed edits in set-based
statements. Python reads only the header lines, so 2.4 million edits take seconds, not minutes.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.db import DatabaseError, connection, transaction

from lookup.importing import ImportFailed, ImportJob, ImportSummary
from rules.importers.common import check_release, ncci_version, new_release, refused_by_database
from rules.models import EditRelease, PtpEdit, Rationale

DATA_ROW = re.compile(rb"[A-Z0-9]{5}[\t,][A-Z0-9]{5}[\t,]")
PART = re.compile(r"-f(\d+)(\.[a-z]+)?$", re.IGNORECASE)
NAME_SETTING = {"ccipra": PtpEdit.Setting.PRACTITIONER, "ccioph": PtpEdit.Setting.OUTPATIENT}
KIND = {
    PtpEdit.Setting.PRACTITIONER: EditRelease.Kind.PTP_PRACTITIONER,
    PtpEdit.Setting.OUTPATIENT: EditRelease.Kind.PTP_OUTPATIENT,
}
RAW = "rules_ptp_raw"
RAW_COLUMNS = ["column1", "column2", "existed", "effective", "deletion", "modifier", "rationale"]
HEADER_LINES_MAX = 30
BLOCK = 1 << 20
END_OF_FILE = b"\x1a"  # CMS's DOS files may end with one

# The staging rows, checked with cheap comparisons (a regular expression per value cost more
# than the rest of the import): the first one that is no edit is reported. A date of letters
# or of a month 13 fails later, when it is cast.
BAD_ROW = f"""
    SELECT part, ctid FROM {RAW}
    WHERE NOT (coalesce(octet_length(column1) = 5 AND octet_length(column2) = 5 AND existed IN ('', '*')
               AND octet_length(effective) = 8 AND (deletion = '*' OR octet_length(deletion) = 8)
               AND modifier IN ('0', '1', '9') AND rationale IS NOT NULL
               AND upper(column1 || column2) = column1 || column2, false))
    ORDER BY ctid LIMIT 1
"""
# The staging rows as edits (a date that is no date, 20261341, fails here and refuses the file).
TYPED_ROWS = f"""
    SELECT s.column1, s.column2, s.effective::date AS effective_date, s.existed = '*' AS before_1996,
           nullif(s.deletion, '*')::date AS deletion_date, s.modifier AS modifier_indicator,
           r.id AS rationale_id
    FROM {RAW} s JOIN rules_ptp_rationale r ON r.raw = s.rationale
"""


@dataclass
class Part:
    name: str
    open: Callable[[], AbstractContextManager[BinaryIO]]
    header_lines: int = 0


def part_paths(path: Path) -> list[Path]:
    """The file and the other parts of the same quarter beside it (ccipra-v320r0-f1 ... f4)."""
    found = PART.search(path.name)
    if not found or not path.parent.is_dir():
        return [path]
    prefix = path.name[: found.start()].lower()
    parts = [
        p
        for p in path.parent.iterdir()
        if p.is_file()
        and (match := PART.search(p.name))
        and p.name[: match.start()].lower() == prefix
        and p.suffix.lower() == path.suffix.lower()
    ]
    return sorted(parts, key=lambda p: int(PART.search(p.name).group(1))) or [path]


def parts_of(path: Path) -> list[Part]:
    """Each part of the table: a .txt or .csv file, or each one inside a zip."""
    parts = []
    for one in part_paths(path):
        with one.open("rb") as raw:
            magic = raw.read(4)
        if magic != b"PK\x03\x04":
            parts.append(Part(one.name, lambda one=one: one.open("rb")))
            continue
        with zipfile.ZipFile(one) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".txt")] or [
                n for n in archive.namelist() if n.lower().endswith(".csv")
            ]
        if not names:
            raise ImportFailed(f"cannot import {one.name}: the zip holds no PTP .txt or .csv file")
        for name in sorted(names):
            parts.append(Part(name, lambda one=one, name=name: _zip_member(one, name)))
    return parts


@contextmanager
def _zip_member(path: Path, name: str) -> Iterator[BinaryIO]:
    with zipfile.ZipFile(path) as archive, archive.open(name) as stream:
        yield stream


def setting_from_name(name: str) -> str | None:
    lowered = name.lower()
    return next((setting for prefix, setting in NAME_SETTING.items() if prefix in lowered), None)


def data_blocks(part: Part, stream: BinaryIO) -> Iterator[bytes]:
    """The part's edit rows, tab-separated, in blocks: the header lines are read and checked here;
    a CSV export is turned into tabs line by line (the slow path; CMS's text files pass untouched)."""
    header: list[bytes] = []
    first = b""
    while len(header) < HEADER_LINES_MAX:
        line = stream.readline()
        if not line:
            break
        if DATA_ROW.match(line):
            first = line
            break
        if line.strip():
            header.append(line)
        part.header_lines += 1
    flat = re.sub(rb"[^a-z0-9]", b"", b" ".join(header).lower())
    if not first or b"column1" not in flat or b"modifier" not in flat:
        raise ImportFailed(
            f"{part.name}: no 'Column 1 ... Modifier' header and edit rows: not an NCCI PTP edit file"
        )
    if first.count(b"\t") == 0:
        yield from _csv_blocks(first, stream)
        return
    pending = first + stream.read(BLOCK)
    while True:
        more = stream.read(BLOCK)
        if not more:
            break
        yield pending
        pending = more
    # COPY wants one kind of line end throughout: the last line gets the first one's.
    end = b"\r\n" if first.endswith(b"\r\n") else b"\n"
    yield pending.rstrip(b"\r\n\t " + END_OF_FILE) + end


def _csv_blocks(first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    text = io.TextIOWrapper(stream, encoding="cp1252", errors="replace", newline="")
    rows = csv.reader(_chain(first.decode("cp1252", errors="replace"), text))
    out: list[str] = []
    for cells in rows:
        if not any(c.strip() for c in cells):
            continue
        cells = [c.strip().replace("\\", "/").replace("\t", " ") for c in cells[:7]]
        if len(cells) == 7 and cells[4] == "":
            cells[4] = "*"
        out.append("\t".join(cells) + "\n")
        if len(out) >= 50_000:
            yield "".join(out).encode("cp1252", errors="replace")
            out = []
    yield "".join(out).encode("cp1252", errors="replace")


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class Reader:
    """Streams the parts of a PTP table into the staging table, hashing what it sends."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.parts = parts_of(job.path)
        self.digest = hashlib.sha256()
        self.rows = 0

    def sniff(self) -> None:
        """Reads the first part's header: a file of another kind is refused before anything else."""
        with self.parts[0].open() as stream:
            next(data_blocks(Part(self.parts[0].name, self.parts[0].open), stream))

    def hash_only(self) -> str:
        for part in self.parts:
            with part.open() as stream:
                for block in data_blocks(part, stream):
                    self.digest.update(block)
        return self.digest.hexdigest()

    def copy(self) -> None:
        raw_cursor = connection.cursor().cursor  # psycopg's own cursor: Django's wrapper has no copy()
        for number, part in enumerate(self.parts, start=1):
            raw_cursor.execute(f"ALTER TABLE {RAW} ALTER COLUMN part SET DEFAULT {number}")
            with part.open() as stream:
                statement = (
                    f"COPY {RAW} ({', '.join(RAW_COLUMNS)}) FROM STDIN WITH (FORMAT text, ENCODING 'WIN1252')"
                )
                try:
                    with raw_cursor.copy(statement) as copy:
                        for block in data_blocks(part, stream):
                            self.digest.update(block)
                            copy.write(block)
                            self.job.progress.advance(len(block))
                except Exception as error:
                    if isinstance(error, ImportFailed):
                        raise
                    raise ImportFailed(f"{part.name}: {_copy_problem(error, part)}") from None
            self.rows += raw_cursor.rowcount

    def first_bad_row(self) -> str | None:
        with connection.cursor() as cursor:
            cursor.execute(BAD_ROW)
            found = cursor.fetchone()
            if found is None:
                return None
            # Rows of a freshly copied table lie in the order they came (ctid): the file's order.
            part_number, row_id = found
            cursor.execute(
                f"SELECT count(*), (SELECT concat_ws(' | ', {', '.join(RAW_COLUMNS[:6])}) FROM {RAW} "
                f"WHERE ctid = %s::tid) FROM {RAW} WHERE part = %s AND ctid <= %s::tid",
                [row_id, part_number, row_id],
            )
            position, row = cursor.fetchone()
        part = self.parts[part_number - 1]
        return f"{part.name} line {part.header_lines + position}: not a PTP edit row: {row[:60]!r}"


def _copy_problem(error: Exception, part: Part) -> str:
    """PostgreSQL's complaint about a row it could not split into the seven columns, with the file's line."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
    found = re.search(r"line (\d+)", str(error))
    where = f"line {part.header_lines + int(found.group(1))}: " if found else ""
    return f"{where}not a PTP edit row ({text})"


def importer(setting: str):
    kind = KIND[setting]

    def run(job: ImportJob) -> ImportSummary:
        return import_ptp(job, setting=setting, kind=kind)

    return run


def label_from_name(setting: str) -> Callable[[str], str | None]:
    """The NCCI version a file's name gives (ccipra-v320r0-f1.txt: 32.0), for --if-new; None for a
    file named for the other setting, so the import itself refuses it."""

    def label(name: str) -> str | None:
        named = setting_from_name(name)
        version = ncci_version(name)
        return version[0] if version and named in (None, setting) else None

    return label


def import_ptp(job: ImportJob, *, setting: str, kind: str) -> ImportSummary:
    label = EditRelease.Kind(kind).label
    named = setting_from_name(job.path.name)
    if named is not None and named != setting:
        other = EditRelease.Kind(KIND[named]).label
        raise ImportFailed(f"{job.path.name} is the {other} file, not the {label} file")
    reader = Reader(job)
    reader.sniff()
    named_version = ncci_version(job.path.name)
    if not (job.version or named_version):
        raise ImportFailed(f"{job.path.name}: the name gives no NCCI version (ccipra-v320r0): give --release")
    version = job.version or named_version[0]
    loaded = EditRelease.objects.filter(kind=kind, version=version).first()
    if loaded is not None:
        # A release loaded already: read the file only to tell the same file from another one.
        check_release(kind=kind, version=version, date=loaded.date, digest=reader.hash_only())
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM rules_ptpedit WHERE setting = %s", [setting])
            (rows,) = cursor.fetchone()
        return ImportSummary(system=label, release=version, unchanged=rows, already_loaded=True)

    job.progress.start(f"Reading {label[:10]}", sum(_size(job.path, p) for p in part_paths(job.path)))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '1GB'")  # two quarters' keys hashed in memory
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        try:
            # Room for the staging table in memory; refused once a session has used temp tables.
            with transaction.atomic():
                cursor.execute("SET LOCAL temp_buffers = '256MB'")
        except DatabaseError:
            pass
        # ON COMMIT DROP ends them with the import; dropped here too for imports inside one
        # outer transaction (tests, or a command running several).
        cursor.execute(f"DROP TABLE IF EXISTS {RAW}, rules_ptp_diff")
        columns = ", ".join(f'{name} text COLLATE "C"' for name in RAW_COLUMNS)
        cursor.execute(f"CREATE TEMP TABLE {RAW} (part smallint, {columns}) ON COMMIT DROP")
    reader.copy()
    job.progress.finish()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RAW}")  # without statistics the planner sorts it to join it
    bad = reader.first_bad_row()
    if bad:
        raise ImportFailed(bad)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(effective) FROM {RAW}")
        (latest,) = cursor.fetchone()
    date = job.date or (named_version[1] if named_version and not job.version else None)
    if date is None:
        with refused_by_database(job.path.name):
            date = datetime.datetime.strptime(latest, "%Y%m%d").date()
    digest = reader.digest.hexdigest()
    check = check_release(kind=kind, version=version, date=date, digest=digest)
    release = new_release(job=job, kind=kind, version=version, date=date, digest=digest)
    baseline = check.previous is None
    with refused_by_database(job.path.name), connection.cursor() as cursor:
        # A few dozen rationale texts for millions of rows: their ids, as a small table to join.
        cursor.execute(f"SELECT rationale FROM {RAW} GROUP BY rationale")
        texts = {raw: raw.strip()[:300] for (raw,) in cursor.fetchall()}
        Rationale.objects.bulk_create([Rationale(text=t) for t in set(texts.values())], ignore_conflicts=True)
        ids = dict(Rationale.objects.filter(text__in=set(texts.values())).values_list("text", "id"))
        cursor.execute("DROP TABLE IF EXISTS rules_ptp_rationale")
        cursor.execute("CREATE TEMP TABLE rules_ptp_rationale (raw text, id integer) ON COMMIT DROP")
        cursor.executemany(
            "INSERT INTO rules_ptp_rationale VALUES (%s, %s)",
            [(raw, ids[text]) for raw, text in texts.items()],
        )
        cursor.execute("ANALYZE rules_ptp_rationale")
        if baseline:
            # The first release of a setting goes straight in; a later one is compared first.
            cursor.execute("DELETE FROM rules_ptpedit WHERE setting = %s", [setting])
            with indexes_built_after(PtpEdit._meta.db_table):
                cursor.execute(
                    f"INSERT INTO rules_ptpedit (setting, column1, column2, effective_date, {VALUES}) "
                    f"SELECT %s, column1, column2, effective_date, {VALUES} FROM ({TYPED_ROWS}) n",
                    [setting],
                )
            counts = {"added": reader.rows, "revised": 0, "deleted": 0, "in_file": reader.rows}
        else:
            counts = apply_changes(release=release, setting=setting)
        cursor.execute(f"ANALYZE {PtpEdit._meta.db_table}")
    parts = f"{len(reader.parts)} parts" if len(reader.parts) > 1 else reader.parts[0].name
    remark = f"{parts}; " + ("baseline" if baseline else f"changes from {check.previous.version}")
    changed_in_file = counts.pop("in_file")
    summary = ImportSummary(system=label, release=version, remark=remark, **counts)
    summary.unchanged = reader.rows - changed_in_file
    release.summary = {**summary.counts(), "rows": reader.rows}
    release.save(update_fields=["summary"])
    return summary


def _size(path: Path, part: Path) -> int:
    return part.stat().st_size


@contextmanager
def indexes_built_after(table: str) -> Iterator[None]:
    """Into an empty table, rows go in faster without its secondary indexes; they are built
    afterwards in one pass each (the same names and definitions, so migrations still match)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if cursor.fetchone()[0]:
            yield
            return
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _, definition in indexes:
            cursor.execute(definition)


VALUES = "before_1996, deletion_date, modifier_indicator, rationale_id"


def apply_changes(*, release: EditRelease, setting: str) -> dict[str, int]:
    """Make the stored edits of this setting those of the staging table, in set-based statements."""
    same_key = "e.column1 = d.column1 AND e.column2 = d.column2 AND e.effective_date = d.effective_date"
    with connection.cursor() as cursor:
        # Every edit that differs: new (not stored), gone from the file, or changed.
        cursor.execute(
            f"""
            CREATE TEMP TABLE rules_ptp_diff ON COMMIT DROP AS
            SELECT coalesce(n.column1, o.column1) AS column1, coalesce(n.column2, o.column2) AS column2,
                   coalesce(n.effective_date, o.effective_date) AS effective_date,
                   o.column1 IS NOT NULL AS stored, n.column1 IS NOT NULL AS in_file,
                   n.before_1996, n.deletion_date, n.modifier_indicator, n.rationale_id,
                   o.deletion_date AS old_deletion_date, o.modifier_indicator AS old_modifier_indicator
            FROM ({TYPED_ROWS}) n
            FULL JOIN (SELECT * FROM rules_ptpedit WHERE setting = %s) o
              ON o.column1 = n.column1 AND o.column2 = n.column2 AND o.effective_date = n.effective_date
            WHERE o.column1 IS NULL OR n.column1 IS NULL
               OR (o.before_1996, o.deletion_date, o.modifier_indicator, o.rationale_id)
                  IS DISTINCT FROM (n.before_1996, n.deletion_date, n.modifier_indicator, n.rationale_id)
            """,
            [setting],
        )
        cursor.execute("ANALYZE rules_ptp_diff")  # a few thousand rows: index look-ups, not scans
        # An edit CMS ends gets a deletion date; one that leaves the file is deleted too.
        cursor.execute(
            """
            INSERT INTO rules_editchange (release_id, kind, code, other, before, after)
            SELECT %s,
                   CASE WHEN NOT stored THEN 'added'
                        WHEN NOT in_file OR (old_deletion_date IS NULL AND deletion_date IS NOT NULL)
                        THEN 'deleted' ELSE 'revised' END,
                   column1, column2,
                   CASE WHEN NOT stored THEN '' ELSE concat('modifier ', old_modifier_indicator,
                        CASE WHEN old_deletion_date IS NOT NULL THEN ', deleted ' || old_deletion_date END) END,
                   CASE WHEN NOT in_file THEN 'not in the file' ELSE concat('modifier ', modifier_indicator,
                        CASE WHEN deletion_date IS NOT NULL THEN ', deleted ' || deletion_date END) END
            FROM rules_ptp_diff
            """,
            [release.pk],
        )
        cursor.execute(
            "SELECT count(*) FILTER (WHERE kind = 'added'), count(*) FILTER (WHERE kind = 'revised'), "
            "count(*) FILTER (WHERE kind = 'deleted') FROM rules_editchange WHERE release_id = %s",
            [release.pk],
        )
        added, revised, deleted = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM rules_ptp_diff WHERE in_file")
        (changed_in_file,) = cursor.fetchone()
        cursor.execute(
            f"DELETE FROM rules_ptpedit e USING rules_ptp_diff d WHERE e.setting = %s AND {same_key} "
            "AND NOT d.in_file",
            [setting],
        )
        cursor.execute(
            f"UPDATE rules_ptpedit e SET ({VALUES}) = "
            "(d.before_1996, d.deletion_date, d.modifier_indicator, d.rationale_id) "
            f"FROM rules_ptp_diff d WHERE e.setting = %s AND {same_key} AND d.stored AND d.in_file",
            [setting],
        )
        cursor.execute(
            f"INSERT INTO rules_ptpedit (setting, column1, column2, effective_date, {VALUES}) "
            f"SELECT %s, column1, column2, effective_date, {VALUES} FROM rules_ptp_diff WHERE NOT stored",
            [setting],
        )
    return {"added": added, "revised": revised, "deleted": deleted, "in_file": changed_in_file}
