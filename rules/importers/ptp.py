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
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from lookup.importing import ImportFailed, ImportJob, ImportSummary
from rules.importers.common import (
    check_release,
    copy_into,
    copy_value,
    ncci_version,
    new_release,
    refused_by_database,
)
from rules.models import EditRelease, PtpEdit

TAB_ROW = re.compile(r"([A-Z0-9]{5})\t([A-Z0-9]{5})\t(\*?)\t(\d{8})\t(\d{8}|\*)\t([019])\t([^\t]*)\t*")
CODE = re.compile(r"[A-Z0-9]{5}")
DATE = re.compile(r"\d{8}")
PART = re.compile(r"-f(\d+)(\.[a-z]+)?$", re.IGNORECASE)
NAME_SETTING = {"ccipra": PtpEdit.Setting.PRACTITIONER, "ccioph": PtpEdit.Setting.OUTPATIENT}
KIND = {
    PtpEdit.Setting.PRACTITIONER: EditRelease.Kind.PTP_PRACTITIONER,
    PtpEdit.Setting.OUTPATIENT: EditRelease.Kind.PTP_OUTPATIENT,
}
STAGE_COLUMNS = [
    "column1",
    "column2",
    "before_1996",
    "effective_date",
    "deletion_date",
    "modifier_indicator",
    "rationale",
]
PROGRESS_EVERY = 50_000


def part_paths(path: Path) -> list[Path]:
    """The file and the other parts of the same quarter beside it (ccipra-v320r0-f1 ... f4)."""
    found = PART.search(path.stem + path.suffix)
    if not found or not path.parent.is_dir():
        return [path]
    prefix = (path.stem + path.suffix)[: found.start()]
    parts = [
        p
        for p in path.parent.iterdir()
        if p.is_file()
        and (match := PART.search(p.name))
        and p.name[: match.start()].lower() == prefix.lower()
        and p.suffix.lower() == path.suffix.lower()
    ]
    return sorted(parts, key=lambda p: int(PART.search(p.name).group(1))) or [path]


def text_streams(path: Path) -> Iterator[tuple[str, io.TextIOBase]]:
    """(name, text) of each table part: a text or CSV file, or those inside a zip."""
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".txt")] or [
                n for n in archive.namelist() if n.lower().endswith(".csv")
            ]
            if not names:
                raise ImportFailed(f"cannot import {path.name}: the zip holds no PTP .txt or .csv file")
            for name in sorted(names):
                with archive.open(name) as stream:
                    yield name, io.TextIOWrapper(stream, encoding="cp1252", errors="replace", newline=None)
    else:
        with path.open("rb") as stream:
            yield path.name, io.TextIOWrapper(stream, encoding="cp1252", errors="replace", newline=None)


def setting_from_name(name: str) -> str | None:
    lowered = name.lower()
    return next((setting for prefix, setting in NAME_SETTING.items() if prefix in lowered), None)


class Reader:
    """Turns the parts of a PTP table into COPY lines, checking each line as it goes."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.rows = 0
        self.latest_effective = ""
        self.parts: list[str] = []
        self.digest = hashlib.sha256()

    def copy_lines(self) -> Iterator[str]:
        for path in part_paths(self.job.path):
            for name, stream in text_streams(path):
                self.parts.append(name)
                yield from self._part(name, stream)

    def _part(self, name: str, stream: io.TextIOBase) -> Iterator[str]:
        header: list[str] = []
        in_data = False
        delimiter = "\t"
        for number, line in enumerate(stream, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            fields = self._fields(line, delimiter)
            if fields is None:
                if in_data:
                    raise ImportFailed(f"{name} line {number}: not a PTP edit row: {line[:60]!r}")
                header.append(line)
                if len(header) > 30:
                    raise ImportFailed(f"{name}: no PTP edit rows in its first lines: not an NCCI PTP file")
                if "," in line and "\t" not in line and "column" in line.lower():
                    delimiter = ","
                continue
            if not in_data:
                flat = re.sub(r"[^a-z0-9]", "", " ".join(header).lower())
                if "column1" not in flat or "modifier" not in flat:
                    raise ImportFailed(
                        f"{name}: no 'Column 1 ... Modifier' header before line {number}: "
                        "not an NCCI PTP edit file"
                    )
                in_data = True
            column1, column2, before, effective, deletion, modifier, rationale = fields
            self.rows += 1
            if effective > self.latest_effective:
                self.latest_effective = effective
            self.digest.update(
                f"{column1}{column2}{before}{effective}{deletion}{modifier}{rationale}\n".encode()
            )
            if self.rows % PROGRESS_EVERY == 0:
                self.job.progress.advance(PROGRESS_EVERY)
            yield (
                f"{column1}\t{column2}\t{'t' if before else 'f'}\t{effective}\t"
                f"{deletion if deletion != '*' else chr(92) + 'N'}\t{modifier}\t{copy_value(rationale.strip())}\n"
            )
        if not in_data:
            raise ImportFailed(f"{name}: no PTP edit rows: not an NCCI PTP edit file, or an empty one")

    @staticmethod
    def _fields(line: str, delimiter: str) -> tuple[str, ...] | None:
        if delimiter == "\t":
            found = TAB_ROW.fullmatch(line)
            return found.groups() if found else None
        cells = [c.strip() for c in next(csv.reader([line]))]
        if len(cells) < 7:
            return None
        column1, column2, before, effective, deletion, modifier, rationale = cells[:7]
        deletion = deletion or "*"
        if not (
            CODE.fullmatch(column1)
            and CODE.fullmatch(column2)
            and before in ("", "*")
            and DATE.fullmatch(effective)
            and (deletion == "*" or DATE.fullmatch(deletion))
            and modifier in ("0", "1", "9")
        ):
            return None
        return column1, column2, before, effective, deletion, modifier, rationale


def importer(setting: str):
    kind = KIND[setting]

    def run(job: ImportJob) -> ImportSummary:
        return import_ptp(job, setting=setting, kind=kind)

    return run


def import_ptp(job: ImportJob, *, setting: str, kind: str) -> ImportSummary:
    label = EditRelease.Kind(kind).label
    named = setting_from_name(job.path.name)
    if named is not None and named != setting:
        other = EditRelease.Kind(KIND[named]).label
        raise ImportFailed(f"{job.path.name} is the {other} file, not the {label} file")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        # ON COMMIT DROP ends them with the import; dropped here too for imports inside one
        # outer transaction (tests, or a command running several).
        cursor.execute("DROP TABLE IF EXISTS rules_ptp_stage, rules_ptp_diff")
        cursor.execute(
            "CREATE TEMP TABLE rules_ptp_stage (column1 varchar(5), column2 varchar(5), before_1996 boolean, "
            "effective_date date, deletion_date date, modifier_indicator varchar(1), rationale text) "
            "ON COMMIT DROP"
        )
    reader = Reader(job)
    job.progress.start(f"Reading {label[:10]}", 2_400_000)
    with refused_by_database(job.path.name):
        copy_into("rules_ptp_stage", STAGE_COLUMNS, reader.copy_lines())
    job.progress.finish()

    named_version = ncci_version(job.path.name)
    if job.version:
        version = job.version
    elif named_version:
        version = named_version[0]
    else:
        raise ImportFailed(f"{job.path.name}: the name gives no NCCI version (ccipra-v320r0): give --release")
    date = job.date or (named_version[1] if named_version and not job.version else None)
    if date is None:
        date = datetime.datetime.strptime(reader.latest_effective, "%Y%m%d").date()
    digest = reader.digest.hexdigest()
    check = check_release(kind=kind, version=version, date=date, digest=digest)
    if check.release is not None:
        return ImportSummary(system=label, release=version, unchanged=reader.rows, already_loaded=True)
    release = new_release(job=job, kind=kind, version=version, date=date, digest=digest)
    with refused_by_database(job.path.name):
        counts = apply_ptp(release=release, setting=setting, baseline=check.previous is None)
    parts = f"{len(reader.parts)} parts" if len(reader.parts) > 1 else reader.parts[0]
    remark = f"{parts}; " + (
        "baseline" if check.previous is None else f"changes from {check.previous.version}"
    )
    changed_in_file = counts.pop("in_file")
    summary = ImportSummary(system=label, release=version, remark=remark, **counts)
    summary.unchanged = reader.rows - changed_in_file
    release.summary = {**summary.counts(), "rows": reader.rows}
    release.save(update_fields=["summary"])
    return summary


VALUES = "before_1996, deletion_date, modifier_indicator, rationale_id"


def apply_ptp(*, release: EditRelease, setting: str, baseline: bool) -> dict[str, int]:
    """Make the stored edits of this setting those of the staging table, in set-based statements."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO rules_rationale (text) SELECT DISTINCT rationale FROM rules_ptp_stage "
            "ON CONFLICT (text) DO NOTHING"
        )
        new_rows = (
            "SELECT s.column1, s.column2, s.effective_date, s.before_1996, s.deletion_date, "
            "s.modifier_indicator, r.id AS rationale_id "
            "FROM rules_ptp_stage s JOIN rules_rationale r ON r.text = s.rationale"
        )
        if baseline:
            cursor.execute("DELETE FROM rules_ptpedit WHERE setting = %s", [setting])
            cursor.execute(
                f"INSERT INTO rules_ptpedit (setting, column1, column2, effective_date, {VALUES}) "
                f"SELECT %s, column1, column2, effective_date, {VALUES} FROM ({new_rows}) n",
                [setting],
            )
            return {"added": cursor.rowcount, "revised": 0, "deleted": 0, "in_file": cursor.rowcount}

        # Every edit that differs: new (no old id), gone from the file (no new key), or changed.
        cursor.execute(
            f"""
            CREATE TEMP TABLE rules_ptp_diff ON COMMIT DROP AS
            SELECT coalesce(n.column1, o.column1) AS column1, coalesce(n.column2, o.column2) AS column2,
                   coalesce(n.effective_date, o.effective_date) AS effective_date,
                   o.id AS old_id, n.column1 IS NOT NULL AS in_file,
                   n.before_1996, n.deletion_date, n.modifier_indicator, n.rationale_id,
                   o.deletion_date AS old_deletion_date, o.modifier_indicator AS old_modifier_indicator
            FROM ({new_rows}) n
            FULL JOIN (SELECT * FROM rules_ptpedit WHERE setting = %s) o
              ON o.column1 = n.column1 AND o.column2 = n.column2 AND o.effective_date = n.effective_date
            WHERE o.id IS NULL OR n.column1 IS NULL
               OR (o.before_1996, o.deletion_date, o.modifier_indicator, o.rationale_id)
                  IS DISTINCT FROM (n.before_1996, n.deletion_date, n.modifier_indicator, n.rationale_id)
            """,
            [setting],
        )
        # An edit CMS ends gets a deletion date; one that leaves the file is deleted too.
        cursor.execute(
            """
            INSERT INTO rules_editchange (release_id, kind, code, other, before, after)
            SELECT %s,
                   CASE WHEN old_id IS NULL THEN 'added'
                        WHEN NOT in_file OR (old_deletion_date IS NULL AND deletion_date IS NOT NULL)
                        THEN 'deleted' ELSE 'revised' END,
                   column1, column2,
                   CASE WHEN old_id IS NULL THEN '' ELSE concat('modifier ', old_modifier_indicator,
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
            "DELETE FROM rules_ptpedit WHERE id IN (SELECT old_id FROM rules_ptp_diff WHERE NOT in_file)"
        )
        cursor.execute(
            f"UPDATE rules_ptpedit e SET ({VALUES}) = "
            "(d.before_1996, d.deletion_date, d.modifier_indicator, d.rationale_id) "
            "FROM rules_ptp_diff d WHERE e.id = d.old_id AND d.in_file"
        )
        cursor.execute(
            f"INSERT INTO rules_ptpedit (setting, column1, column2, effective_date, {VALUES}) "
            f"SELECT %s, column1, column2, effective_date, {VALUES} FROM rules_ptp_diff WHERE old_id IS NULL",
            [setting],
        )
    return {"added": added, "revised": revised, "deleted": deleted, "in_file": changed_in_file}
