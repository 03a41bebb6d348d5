r"""What every import shares: opening the file, the progress bar, the summary, the release
bookkeeping, and the one-line error that ends a failed import.

An importer is a function `run(job: ImportJob) -> ImportSummary`. `register()` adds one
under a name (`import_codes <name> <file>`); `run_import()` downloads a URL first, then
runs it in one transaction, so a failure leaves the database as it was. Another app adds
its format like this:

    # billing/apps.py, in BillingConfig.ready()
    from lookup.importing import register
    from billing import importing
    register("pfs", importing.run, help="...", label_from_name=importing.label_from_name,
             is_loaded=importing.is_loaded)

    # billing/importing.py
    def run(job: ImportJob) -> ImportSummary:
        with open_member(job.path, suffixes=(".csv",), what="PPRRVU csv", name=r"PPRRVU\w*\.csv") as stream:
            ...  # job.progress.start("Reading", total) / advance(); raise ImportFailed("one line")
        return ImportSummary(system="Medicare PFS", release="2025-01", added=..., unchanged=...)

`label_from_name` gives the release label a file's name says, without reading it, and
`is_loaded(label)` says whether that release is in: together they make `--if-new` work.

Code sets (Code and Note rows, Release and CodeChange history) build on
lookup/importers/codeset.py instead; `system_slug` names the CodeSystem they fill, and
`ensure_codes` there gives another app's rows (a fee schedule's) the codes they name.
"""

from __future__ import annotations

import datetime
import gzip
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction

from lookup.cache import code_sets_changed
from lookup.models import CodeSystem, Release
from lookup.plain_language import GENERATED_SYSTEMS
from lookup.plain_language.bulk import write_plain_texts


class ImportFailed(CommandError):
    """A file that cannot be imported: the command prints this one line and exits non-zero."""


@dataclass
class ImportSummary:
    system: str
    release: str
    added: int = 0
    revised: int = 0
    deleted: int = 0
    unchanged: int = 0
    updated: int = 0  # same official text, other fields changed (order, parent, flags, notes)
    conflicts: list[str] = field(default_factory=list)
    seconds: float = 0.0
    already_loaded: bool = False
    remark: str = ""  # said after the release label, such as where its changes were recorded
    details: list[str] = field(default_factory=list)  # more lines an importer reports

    def counts(self) -> dict[str, object]:
        return {
            "added": self.added,
            "revised": self.revised,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "updated": self.updated,
            "conflicts": self.conflicts,
            **({"remark": self.remark} if self.remark else {}),
        }

    def lines(self) -> list[str]:
        head = f"{self.system} {self.release}" + (" (already loaded)" if self.already_loaded else "")
        if self.remark:
            head += f" ({self.remark})"
        lines = [
            f"{head}: added {self.added}, revised {self.revised}, deleted {self.deleted}, "
            f"unchanged {self.unchanged}, other fields updated {self.updated}, "
            f"conflicts {len(self.conflicts)}, {self.seconds:.1f} s"
        ]
        for code in self.conflicts[:50]:
            lines.append(f"  conflict: {code} has a staff-edited official text; kept it, not the file's")
        if len(self.conflicts) > 50:
            lines.append(f"  ... and {len(self.conflicts) - 50} more conflicts")
        lines.extend(f"  {detail}" for detail in self.details)
        return lines


class Progress:
    """A one-line progress bar on a terminal; silent when the output is not one."""

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label = ""
        self.total = 0
        self.done = 0
        self._shown = -1

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done, self._shown = label, max(total, 1), 0, -1
        self._draw()

    def advance(self, amount: int = 1) -> None:
        self.done = min(self.done + amount, self.total)
        self._draw()

    def finish(self) -> None:
        if self.enabled and self.label:
            self.done = self.total
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
        self.label = ""

    def _draw(self) -> None:
        if not self.enabled:
            return
        percent = 100 * self.done // self.total
        if percent == self._shown:
            return
        self._shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r{self.label:<24} [{bar}] {percent:3d}%")
        self.stream.flush()


@dataclass
class ImportJob:
    """What an importer is asked to do: which file, for which system, labelled how."""

    system: CodeSystem | None
    location: str
    path: Path
    version: str = ""
    date: datetime.date | None = None
    progress: Progress = field(default_factory=lambda: Progress(enabled=False))
    # `--allow-deletions`: a release may delete more than IMPORT_MAX_DELETION_SHARE.
    allow_deletions: bool = False


Runner = Callable[[ImportJob], ImportSummary]


@dataclass
class Importer:
    name: str
    run: Runner
    system_slug: str | None  # the CodeSystem it fills, if any
    help: str = ""
    # The release label a file's name gives, without reading it (for --if-new).
    label_from_name: Callable[[str], str | None] | None = None
    # Whether a release is loaded, for importers that fill no CodeSystem (their own tables).
    is_loaded: Callable[[str], bool] | None = None


IMPORTERS: dict[str, Importer] = {}


def register(
    name: str,
    run: Runner,
    *,
    system_slug: str | None = None,
    help: str = "",
    label_from_name: Callable[[str], str | None] | None = None,
    is_loaded: Callable[[str], bool] | None = None,
) -> None:
    """Make `import_codes <name> <file>` run `run`; apps call it from AppConfig.ready()."""
    IMPORTERS[name] = Importer(
        name=name,
        run=run,
        system_slug=system_slug,
        help=help,
        label_from_name=label_from_name,
        is_loaded=is_loaded,
    )


def already_loaded(*, importer: Importer, location: str, version: str = "") -> str | None:
    """The release label of this file if that release is loaded already, else None."""
    label = version or (importer.label_from_name and importer.label_from_name(Path(location).name))
    if not label:
        return None
    if importer.is_loaded is not None:
        return label if importer.is_loaded(label) else None
    if importer.system_slug is None:
        return None
    if Release.objects.filter(system__slug=importer.system_slug, version=label).exists():
        return label
    return None


def find_importer(name: str) -> Importer:
    wanted = name.lower()
    if wanted in IMPORTERS:
        return IMPORTERS[wanted]
    system = CodeSystem.objects.for_slug(wanted)
    if system is not None and system.slug in IMPORTERS:
        return IMPORTERS[system.slug]
    known = ", ".join(sorted(IMPORTERS))
    raise ImportFailed(f"no importer for {name!r}; known: {known}")


# Failures a damaged or wrong file raises while it is read; each becomes one line.
READ_ERRORS = (
    OSError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    gzip.BadGzipFile,
    ParseError,
    UnicodeDecodeError,
    ValueError,
)


def run_import(
    *,
    importer: Importer,
    location: str,
    version: str = "",
    date: datetime.date | None = None,
    progress: Progress | None = None,
    allow_deletions: bool = False,
) -> ImportSummary:
    """Fetch the file if it is a URL, then run the importer in one transaction."""
    started = time.monotonic()
    system = CodeSystem.objects.get(slug=importer.system_slug) if importer.system_slug else None
    with local_copy(location) as path:
        job = ImportJob(
            system=system,
            location=location,
            path=path,
            version=version,
            date=date,
            progress=progress or Progress(enabled=False),
            allow_deletions=allow_deletions,
        )
        try:
            with transaction.atomic():
                # One import of a code set at a time: a second waits here for the first.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"import_codes:{importer.name}"]
                    )
                summary = importer.run(job)
                if not summary.already_loaded:
                    if system is not None and system.slug in GENERATED_SYSTEMS:
                        # The release's new and revised codes get their generated plain text in
                        # the same commit; texts our team wrote or reviewed are left alone.
                        write_plain_texts(system)
                    # Every process's kept counts and browse groups are stale once this commits.
                    transaction.on_commit(code_sets_changed)
        except ImportFailed:
            raise
        except READ_ERRORS as error:
            raise ImportFailed(f"cannot import {location}: {describe(error)}") from None
        finally:
            job.progress.finish()
    summary.seconds = time.monotonic() - started
    if not summary.already_loaded and system is not None:
        release = Release.objects.filter(system=system, version=summary.release).first()
        if release is not None:
            # Kept beside what the importer noted there (the text licences the file carried).
            release.summary = {**release.summary, **summary.counts(), "seconds": round(summary.seconds, 1)}
            release.save(update_fields=["summary"])
    return summary


def describe(error: BaseException) -> str:
    if isinstance(error, EOFError | zlib.error):
        return "the file is truncated or corrupt"
    if isinstance(error, ParseError):
        return f"not well-formed XML ({error})"
    if isinstance(error, UnicodeDecodeError):
        return f"not a text file in the expected encoding (byte {error.start})"
    if isinstance(error, zipfile.BadZipFile):
        return f"not a readable zip file ({error})"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    return str(error) or error.__class__.__name__


@contextmanager
def local_copy(location: str) -> Iterator[Path]:
    """A path to read: the file itself, or a temporary download of a URL."""
    scheme = urllib.parse.urlsplit(location).scheme
    if scheme not in {"http", "https"}:
        path = Path(location)
        if not path.is_file():
            raise ImportFailed(f"cannot import {location}: no such file")
        yield path
        return
    name = Path(urllib.parse.urlsplit(location).path).name or "download"
    with tempfile.TemporaryDirectory(prefix="codeahead-import-") as folder:
        target = Path(folder) / name
        try:
            with urllib.request.urlopen(location, timeout=60) as response, target.open("wb") as out:
                shutil.copyfileobj(response, out)
        except (OSError, ValueError) as error:
            raise ImportFailed(f"cannot download {location}: {error}") from None
        yield target


@contextmanager
def open_member(
    path: Path, *, suffixes: tuple[str, ...], what: str, prefer: str = "", name: str = ""
) -> Iterator[BinaryIO]:
    """The data inside a plain, gzipped or zipped file.

    In a zip, the member read is one whose name ends with one of `suffixes` (lower case),
    preferring a name that contains `prefer` (CDC's zip also holds the index XML files);
    with `name` (a regular expression), only a member whose file name matches it.
    """
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as stream:
            yield stream
    elif magic == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            names = _members(archive, suffixes=suffixes, name=name)
            if not names:
                raise ImportFailed(f"cannot import {path.name}: the zip holds no {what}")
            names.sort(key=lambda n: (prefer not in n.lower(), len(n)))
            with archive.open(names[0]) as stream:
                yield stream
    else:
        with path.open("rb") as stream:
            yield stream


def is_zip(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(4) == b"PK\x03\x04"


def read_member(path: Path, *, name: str) -> bytes | None:
    """The bytes of the zip member whose file name matches `name`, or None when there is none."""
    with zipfile.ZipFile(path) as archive:
        names = _members(archive, suffixes=(), name=name)
        return archive.read(names[0]) if names else None


def _members(archive: zipfile.ZipFile, *, suffixes: tuple[str, ...], name: str) -> list[str]:
    names = [n for n in archive.namelist() if not n.endswith("/")]
    if suffixes:
        names = [n for n in names if n.lower().endswith(suffixes)]
    if name:
        names = [n for n in names if re.fullmatch(name, Path(n).name, re.IGNORECASE)]
    return names


# A plain-text file carries no length of its own: each format proves it is whole by its
# end marker where it has one (PPRRVU's closing row), and otherwise by records of the
# right shape and a last line that ends where a record ends.


def require_line_end(data: bytes | str, *, name: str) -> None:
    """Refuse a text file whose last line stops before its line break: a cut file."""
    if data and data[-1:] not in (b"\n", "\n"):
        raise ImportFailed(
            f"cannot import {name}: its last line has no line break, so the file stops in the middle "
            "of a record (truncated or damaged file)"
        )


def check_deletions(*, job: ImportJob, what: str, deleted: int, loaded: int, unit: str = "codes") -> None:
    """Stop a release that would delete more than IMPORT_MAX_DELETION_SHARE of what is loaded.

    A file cut at a line boundary reads as valid records; only the deletions it implies
    give it away. `--allow-deletions` lets a release that really ends that many through.
    """
    limit = settings.IMPORT_MAX_DELETION_SHARE
    if job.allow_deletions or not loaded or deleted <= limit * loaded:
        return
    raise ImportFailed(
        f"{what} would delete {deleted:,} of the {loaded:,} {unit} loaded ({deleted / loaded:.1%}), "
        f"more than IMPORT_MAX_DELETION_SHARE ({limit:.0%}): is the file truncated? "
        "Nothing was changed; give --allow-deletions if the release really deletes them"
    )


def latest_release(system: CodeSystem) -> Release | None:
    return Release.objects.filter(system=system).order_by("-date", "-imported_at").first()


def check_release_order(*, system: CodeSystem, version: str, date: datetime.date) -> Release | None:
    """The release already loaded under this label, or None; refuses going back in time."""
    existing = Release.objects.filter(system=system, version=version).first()
    if existing is not None:
        return existing
    newest = latest_release(system)
    if newest is not None and date < newest.date:
        raise ImportFailed(
            f"{system.name} {version} ({date}) is older than the loaded release "
            f"{newest.version} ({newest.date}); import releases in order"
        )
    return None
