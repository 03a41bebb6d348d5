"""Medically unlikely edits (MUEs) for practitioner, outpatient hospital and DME supplier
services, from CMS's quarterly files: a .csv or tab-separated .txt (or the zip holding it),
with copyright lines, then the header

    HCPCS/CPT Code, Practitioner Services MUE Values, MUE Adjudication Indicator, MUE Rationale

("Outpatient Hospital Services" or "DME Supplier Services" in the second column's name), then
one code a line. The adjudication indicator is written out ("2 Date of Service Edit: Policy");
its digit is kept. The release is named by the effective date in the file name
(..._Eff_01-01-2026 gives 2026-01), or by --release and --date.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterator

from lookup.importing import ImportFailed, ImportJob, ImportSummary
from rules.importers.common import check_release, new_release, read_text
from rules.models import EditChange, EditRelease, Mue, Rationale

CODE = re.compile(r"[A-Z0-9]{5}")
UNITS = re.compile(r"\d{1,6}")
ADJUDICATION = re.compile(r"([123])\b.*")
US_DATE = re.compile(r"(\d{1,2})[-_.](\d{1,2})[-_.](20\d\d)")
ISO_DATE = re.compile(r"(20\d\d)[-_.](\d{2})[-_.](\d{2})")
HEADER_SETTING = {
    "practitioner": Mue.Setting.PRACTITIONER,
    "outpatient": Mue.Setting.OUTPATIENT,
    "dme": Mue.Setting.DME,
}
KIND = {
    Mue.Setting.PRACTITIONER: EditRelease.Kind.MUE_PRACTITIONER,
    Mue.Setting.OUTPATIENT: EditRelease.Kind.MUE_OUTPATIENT,
    Mue.Setting.DME: EditRelease.Kind.MUE_DME,
}


def release_from_name(name: str) -> tuple[str, datetime.date] | None:
    for pattern, order in ((ISO_DATE, (0, 1, 2)), (US_DATE, (2, 0, 1))):
        found = pattern.search(name)
        if found:
            parts = found.groups()
            year, month, day = (int(parts[i]) for i in order)
            try:
                date = datetime.date(year, month, day)
            except ValueError:
                return None
            return f"{year}-{month:02d}", date
    return None


def read_file(job: ImportJob) -> tuple[str, str]:
    """(member name, text) of the MUE table: the file, or its .csv/.txt inside a zip."""
    with job.path.open("rb") as raw:
        magic = raw.read(4)
    if magic != b"PK\x03\x04":
        return job.path.name, read_text(job.path.read_bytes())
    with zipfile.ZipFile(job.path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith((".csv", ".txt"))]
        # CMS's zips carry a readme too: the table is the largest text member.
        if not names:
            raise ImportFailed(f"cannot import {job.path.name}: the zip holds no MUE .csv or .txt file")
        name = max(names, key=lambda n: archive.getinfo(n).file_size)
        return name, read_text(archive.read(name))


def parse(name: str, text: str, *, setting: str) -> Iterator[tuple[str, int, str, str]]:
    """(code, units, adjudication digit, rationale) for each row, after checking the header."""
    lines = text.splitlines()
    header_at = next(
        (i for i, line in enumerate(lines[:40]) if "mue" in line.lower() and "code" in line.lower()), None
    )
    if header_at is None:
        raise ImportFailed(f"{name}: no 'HCPCS/CPT Code ... MUE Values' header: not a CMS MUE file")
    header = lines[header_at]
    lowered = header.lower()
    found = next((value for word, value in HEADER_SETTING.items() if word in lowered), None)
    if found is None:
        raise ImportFailed(f"{name}: the header names no practitioner, outpatient or DME MUE values")
    if found != setting:
        raise ImportFailed(
            f"{name} holds {Mue.Setting(found).label} MUEs, not {Mue.Setting(setting).label} MUEs"
        )
    delimiter = "\t" if "\t" in header else ","
    rows = csv.reader(io.StringIO("\n".join(lines[header_at + 1 :])), delimiter=delimiter)
    for offset, cells in enumerate(rows, start=header_at + 2):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) < 4 or not CODE.fullmatch(cells[0]) or not UNITS.fullmatch(cells[1]):
            raise ImportFailed(f"{name} line {offset}: not an MUE row: {delimiter.join(cells)[:60]!r}")
        adjudication = ADJUDICATION.fullmatch(cells[2])
        if adjudication is None:
            raise ImportFailed(
                f"{name} line {offset}: adjudication indicator {cells[2][:30]!r} is not 1, 2 or 3"
            )
        yield cells[0], int(cells[1]), adjudication.group(1), cells[3][:300]


def importer(setting: str):
    def run(job: ImportJob) -> ImportSummary:
        return import_mue(job, setting=setting)

    return run


# The setting a CMS file name gives (MCR_MUE_DMESupplierServices_...): "dme" as a word's start only.
NAME_SETTING = {
    Mue.Setting.PRACTITIONER: re.compile(r"practitioner", re.I),
    Mue.Setting.OUTPATIENT: re.compile(r"outpatient", re.I),
    Mue.Setting.DME: re.compile(r"(?<![a-z])dme", re.I),
}


def label_from_name(setting: str) -> Callable[[str], str | None]:
    """The release a file's name gives (..._Eff_01-01-2026.csv: 2026-01), for --if-new; None for a
    file named for another setting, so the import itself refuses it."""

    def label(name: str) -> str | None:
        named = {value for value, pattern in NAME_SETTING.items() if pattern.search(name)}
        found = release_from_name(name)
        return found[0] if found and named <= {setting} else None

    return label


def import_mue(job: ImportJob, *, setting: str) -> ImportSummary:
    kind = KIND[setting]
    label = EditRelease.Kind(kind).label
    name, text = read_file(job)
    job.progress.start(f"Reading {label[:10]}", 1)
    rows = {}
    for code, units, adjudication, rationale in parse(name, text, setting=setting):
        if code in rows:
            raise ImportFailed(f"{name}: {code} is listed twice")
        rows[code] = (units, adjudication, rationale)
    job.progress.finish()
    if not rows:
        raise ImportFailed(f"{name}: no MUE rows")
    named = release_from_name(job.path.name) or release_from_name(name)
    if not (job.version and job.date) and named is None:
        raise ImportFailed(
            f"{job.path.name}: the name gives no effective date (Eff_01-01-2026): give --release and --date"
        )
    version = job.version or named[0]
    date = job.date or named[1]
    digest = hashlib.sha256(repr(sorted(rows.items())).encode()).hexdigest()
    check = check_release(kind=kind, version=version, date=date, digest=digest)
    if check.release is not None:
        return ImportSummary(system=label, release=version, unchanged=len(rows), already_loaded=True)
    release = new_release(job=job, kind=kind, version=version, date=date, digest=digest)

    texts = {r for _, _, r in rows.values()}
    Rationale.objects.bulk_create([Rationale(text=t) for t in texts], ignore_conflicts=True)
    rationale_ids = dict(Rationale.objects.filter(text__in=texts).values_list("text", "id"))
    stored = {m.code: m for m in Mue.objects.filter(setting=setting)}
    changes: list[EditChange] = []
    added: list[Mue] = []
    revised: list[Mue] = []
    baseline = check.previous is None
    for code, (units, adjudication, rationale) in rows.items():
        old = stored.pop(code, None)
        rationale_id = rationale_ids[rationale]
        if old is None:
            added.append(
                Mue(
                    setting=setting,
                    code=code,
                    units=units,
                    adjudication=adjudication,
                    rationale_id=rationale_id,
                )
            )
            changes.append(EditChange(release=release, kind="added", code=code, after=f"{units} units"))
        elif (old.units, old.adjudication, old.rationale_id) != (units, adjudication, rationale_id):
            changes.append(
                EditChange(
                    release=release,
                    kind="revised",
                    code=code,
                    before=f"{old.units} units, indicator {old.adjudication}",
                    after=f"{units} units, indicator {adjudication}",
                )
            )
            old.units, old.adjudication, old.rationale_id = units, adjudication, rationale_id
            revised.append(old)
    for old in stored.values():
        changes.append(
            EditChange(release=release, kind="deleted", code=old.code, before=f"{old.units} units")
        )
    Mue.objects.filter(pk__in=[m.pk for m in stored.values()]).delete()
    Mue.objects.bulk_update(revised, ["units", "adjudication", "rationale_id"], batch_size=2000)
    Mue.objects.bulk_create(added, batch_size=5000)
    if not baseline:
        EditChange.objects.bulk_create(changes, batch_size=5000)
    summary = ImportSummary(
        system=label,
        release=version,
        added=len(added),
        revised=len(revised),
        deleted=len(stored),
        unchanged=len(rows) - len(added) - len(revised),
        remark="baseline" if baseline else f"changes from {check.previous.version}",
    )
    release.summary = summary.counts()
    release.save(update_fields=["summary"])
    return summary
