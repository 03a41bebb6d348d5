"""What the NCCI, MUE and GEM importers share: release bookkeeping, COPY into a staging
table, and the set-based comparison of a new release with the rows loaded now."""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from django.core.cache import caches
from django.db import DataError, IntegrityError, connection

from lookup.importing import ImportFailed, ImportJob
from rules.models import EditRelease

COPY_CHUNK = 1 << 20  # bytes handed to COPY at a time


def read_text(data: bytes) -> str:
    """CMS text files are ASCII with the odd Windows-1252 byte (an en dash in a rationale)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def checksum(lines: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def copy_value(text: str) -> str:
    """A text value in COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", " ").replace("\r", " ")


def copy_into(table: str, columns: list[str], rows: Iterator[str]) -> None:
    """COPY lines already in COPY's text format (tab separated, \\N for null) into a table."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            buffer: list[str] = []
            size = 0
            for row in rows:
                buffer.append(row)
                size += len(row)
                if size >= COPY_CHUNK:
                    copy.write("".join(buffer))
                    buffer, size = [], 0
            if buffer:
                copy.write("".join(buffer))


@dataclass
class ReleaseCheck:
    release: EditRelease | None  # the same release, already loaded with this very file
    previous: EditRelease | None  # the newest release of this kind loaded before, if any


def check_release(*, kind: str, version: str, date: datetime.date, digest: str) -> ReleaseCheck:
    """Refuses a different file under a loaded label and a release older than the loaded one."""
    label = EditRelease.Kind(kind).label
    same = EditRelease.objects.filter(kind=kind, version=version).first()
    if same is not None:
        if same.checksum != digest:
            raise ImportFailed(
                f"{label} {version} is loaded already from another file ({same.source_name}); "
                "a release is loaded once"
            )
        return ReleaseCheck(release=same, previous=None)
    newest = EditRelease.objects.filter(kind=kind).order_by("-date", "-imported_at").first()
    if newest is not None and date < newest.date:
        raise ImportFailed(
            f"{label} {version} ({date}) is older than the loaded release {newest.version} "
            f"({newest.date}); import releases in order"
        )
    return ReleaseCheck(release=None, previous=newest)


def new_release(*, job: ImportJob, kind: str, version: str, date: datetime.date, digest: str) -> EditRelease:
    # This process's kept list of releases (rules.tools) is stale now; other processes keep it a minute.
    caches["local"].delete("rules:releases")
    return EditRelease.objects.create(
        kind=kind, version=version, date=date, source_name=job.path.name[:200], checksum=digest
    )


@contextmanager
def refused_by_database(what: str) -> Iterator[None]:
    """A value PostgreSQL refuses (a date like 20261341, a pair listed twice) ends the import in one line."""
    try:
        yield
    except (DataError, psycopg.DataError) as error:
        raise ImportFailed(f"{what}: a value is not valid ({_first_line(error)})") from None
    except (IntegrityError, psycopg.IntegrityError) as error:
        raise ImportFailed(f"{what}: a row is listed twice ({_first_line(error)})") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__


QUARTER_VERSION = re.compile(r"v(\d{2})(\d)r(\d)", re.IGNORECASE)


def ncci_version(name: str) -> tuple[str, datetime.date] | None:
    """NCCI names its quarterly files by version: ccipra-v320r0-f1 is version 32.0, which takes
    effect in January 2026 (version 27.0 was January 2021; .1, .2, .3 are April, July, October)."""
    found = QUARTER_VERSION.search(name)
    if not found:
        return None
    major, quarter, revision = (int(g) for g in found.groups())
    if quarter > 3:
        return None
    label = f"{major}.{quarter}" + (f"r{revision}" if revision else "")
    return label, datetime.date(1994 + major, 1 + 3 * quarter, 1)
