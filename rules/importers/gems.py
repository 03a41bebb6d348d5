"""CMS's 2018 General Equivalence Mappings (GEMs), the last edition CMS published:

    2018_I9gem.txt   ICD-9-CM diagnoses -> ICD-10-CM      gem_i9pcs.txt  ICD-9-CM procedures -> ICD-10-PCS
    2018_I10gem.txt  ICD-10-CM -> ICD-9-CM diagnoses      gem_pcsi9.txt  ICD-10-PCS -> ICD-9-CM procedures

each plain, or inside CMS's zip. A line is "source target flags": codes without dots, and
five flag digits: approximate, no map, combination, scenario, choice list. Which mapping a
file holds comes from its name, and every line is checked against the code shapes of its
two systems, so a file of another kind is refused. A file replaces that mapping's rows.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import zipfile
from pathlib import Path

from django.db import connection

from lookup.importing import ImportFailed, ImportJob, ImportSummary
from rules.importers.common import check_release, copy_into, new_release, read_text
from rules.models import EditRelease, GemMapping

Kind = EditRelease.Kind
ICD9_DX = r"(?:[0-9]{3,5}|V[0-9]{2,4}|E[0-9]{3,4})"
ICD9_PROC = r"[0-9]{3,4}"
ICD10_CM = r"[A-Z][0-9][0-9A-Z]{1,5}"
ICD10_PCS = r"[0-9A-HJ-NP-Z]{7}"
SHAPES = {
    Kind.GEM_I9_I10CM: (ICD9_DX, ICD10_CM + "|NoDx"),
    Kind.GEM_I10CM_I9: (ICD10_CM, ICD9_DX + "|NoDx"),
    Kind.GEM_I9_I10PCS: (ICD9_PROC, ICD10_PCS + "|NoPCS"),
    Kind.GEM_I10PCS_I9: (ICD10_PCS, ICD9_PROC + "|NoPCS"),
}
LINE = {
    kind: re.compile(rf"({source})\s+({target})\s+([01])([01])([01])([0-9])([0-9])")
    for kind, (source, target) in SHAPES.items()
}
# CMS's own file names, and the names of the 2017 and earlier editions.
NAMES = [
    (re.compile(r"pcsi9", re.I), Kind.GEM_I10PCS_I9),
    (re.compile(r"i9pcs", re.I), Kind.GEM_I9_I10PCS),
    (re.compile(r"i10gem|i10cm_?i9|_i10i9", re.I), Kind.GEM_I10CM_I9),
    (re.compile(r"i9gem|i9_?i10cm|_i9i10", re.I), Kind.GEM_I9_I10CM),
]
DEFAULT_VERSION = "2018"
DEFAULT_DATE = datetime.date(2017, 10, 1)  # FY2018, the GEMs' last edition
COLUMNS = ["direction", "source", "target", "approximate", "no_map", "combination", "scenario", "choice_list"]


def kind_of(name: str) -> str | None:
    return next((kind for pattern, kind in NAMES if pattern.search(Path(name).name)), None)


def label_from_name(name: str) -> str | None:
    """For --if-new: the edition and the mapping a GEM file's name says it holds, such as
    "2018 (GEMs, ICD-10-CM to ICD-9-CM)"; `is_loaded` reads it back. None for a zip: its name
    does not say which files it holds, so the import opens it and skips the ones loaded."""
    kind = kind_of(name) if Path(name).suffix.lower() != ".zip" else None
    return f"{DEFAULT_VERSION} ({Kind(kind).label})" if kind else None


def is_loaded(label: str) -> bool:
    """Whether the mapping the label names is loaded; for a bare edition (--release 2018), all four."""
    version, _, named = label.partition(" (")
    by_label = {Kind(kind).label: kind for kind in SHAPES}
    kinds = [by_label.get(named.removesuffix(")"))] if named else list(SHAPES)
    if None in kinds:
        return False
    return EditRelease.objects.filter(kind__in=kinds, version=version).count() == len(kinds)


def gem_files(path: Path) -> list[tuple[str, str, str]]:
    """(kind, name, text) of each GEM file given: the file itself, or those inside a zip."""
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic != b"PK\x03\x04":
        kind = kind_of(path.name)
        if kind is None:
            raise ImportFailed(
                f"{path.name}: not a GEM file name (2018_I9gem.txt, 2018_I10gem.txt, gem_i9pcs.txt, gem_pcsi9.txt)"
            )
        return [(kind, path.name, read_text(path.read_bytes()))]
    files = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            kind = kind_of(name)
            if kind and name.lower().endswith(".txt"):
                files.append((kind, name, read_text(archive.read(name))))
    if not files:
        raise ImportFailed(f"cannot import {path.name}: the zip holds no GEM .txt file")
    return files


def parse(kind: str, name: str, text: str) -> list[str]:
    """COPY lines for the file's mappings; any line that is not one refuses the file."""
    pattern = LINE[kind]
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        found = pattern.fullmatch(line)
        if found is None:
            raise ImportFailed(
                f"{name} line {number}: not a {Kind(kind).label} line (source target flags): {line[:50]!r}"
            )
        source, target, approximate, no_map, combination, scenario, choice = found.groups()
        out.append(
            f"{kind}\t{source}\t{target}\t{approximate == '1'}\t{no_map == '1'}\t{combination == '1'}\t"
            f"{scenario}\t{choice}\n"
        )
    if not out:
        raise ImportFailed(f"{name}: no mappings")
    return out


def run(job: ImportJob) -> ImportSummary:
    files = gem_files(job.path)
    version, date = job.version or DEFAULT_VERSION, job.date or DEFAULT_DATE
    parsed = [(kind, name, parse(kind, name, text)) for kind, name, text in files]
    total, loaded, done = 0, 0, []
    for kind, name, lines in parsed:
        digest = hashlib.sha256("".join(lines).encode()).hexdigest()
        check = check_release(kind=kind, version=version, date=date, digest=digest)
        if check.release is not None:
            loaded += len(lines)
            continue
        new_release(job=job, kind=kind, version=version, date=date, digest=digest)
        GemMapping.objects.filter(direction=kind)._raw_delete(GemMapping.objects.db)
        copy_into(GemMapping._meta.db_table, COLUMNS, iter(lines))
        total += len(lines)
        done.append(f"{name}: {len(lines):,}")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {GemMapping._meta.db_table}")
    return ImportSummary(
        system="GEMs",
        release=version,
        added=total,
        unchanged=loaded,
        already_loaded=not done,
        remark="; ".join(done),
    )
