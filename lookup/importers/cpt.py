"""CPT from a file the site operator licenses from the AMA, in this documented format:

    # comment lines and blank lines are ignored
    code<TAB>descriptor
    code<TAB>descriptor<TAB>short descriptor

UTF-8 text, one code a line; an optional first line `code<TAB>descriptor...` is a header.
Codes are five characters: four digits then a digit (Category I), F (Category II), T
(Category III) or U (PLA). Every row is flagged "AMA" (CodeSystem.text_licence_for): its text shows only
where settings.TEXT_LICENCES includes AMA. The release label comes from a year in the
file name (cpt-2026.tsv) or --release and --date.
"""

from __future__ import annotations

import datetime
import re

from lookup.code_shapes import CPT_CODE
from lookup.importers.codeset import CodeRow, apply_code_release
from lookup.importing import ImportFailed, ImportJob, ImportSummary, open_member, require_line_end
from lookup.models import Code

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def parse(lines: list[str]) -> list[CodeRow]:
    rows: list[CodeRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not rows and cells[0].lower() == "code":
            continue  # header line
        if len(cells) < 2 or not cells[1]:
            raise ImportFailed(f"not a CPT tab-delimited file: line {number} is not code<TAB>descriptor")
        code = cells[0].upper()
        if not CPT_CODE.match(code):
            raise ImportFailed(f"line {number}: {cells[0][:20]!r} is not a CPT code")
        descriptor = " ".join(cells[1].split())
        short = " ".join(cells[2].split()) if len(cells) > 2 and cells[2] else descriptor
        rows.append(CodeRow(code, code, Code.Kind.CODE, short[:300], descriptor, billable=True))
    return rows


def label_from_name(name: str) -> str | None:
    found = YEAR.search(name)
    return found.group(1) if found else None


def run(job: ImportJob) -> ImportSummary:
    job.progress.start("Reading CPT", 1)
    with open_member(job.path, suffixes=(".txt", ".tsv"), what="CPT tab-delimited file") as stream:
        data = stream.read()
    job.progress.finish()
    require_line_end(data, name=job.path.name)
    text = data.decode("utf-8")
    rows = parse(text.splitlines())
    found = YEAR.search(job.path.name)
    version = job.version or (found.group(1) if found else "")
    date = job.date or (datetime.date(int(found.group(1)), 1, 1) if found else None)
    if not version or date is None:
        raise ImportFailed("the file name names no year (cpt-2026.tsv): give --release and --date")
    return apply_code_release(job=job, version=version, date=date, rows=rows)
