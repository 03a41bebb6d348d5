"""ICD-10-PCS from CMS's files, in either of its two text formats.

- The order file (icd10pcs_order_<year>.txt), fixed width: order number (5), space, code
  (7, left aligned), space, 1 if valid for billing or 0 for a header (a 3-character table),
  space, short description (60), space, long description.
- The code list (icd10pcs_codes_<year>.txt): `CODE long description`, one code a line.
Either may be plain, gzipped or zipped.
"""

from __future__ import annotations

import datetime
import re

from lookup.code_shapes import PCS_CHARS
from lookup.importers.codeset import CodeRow, apply_code_release
from lookup.importing import ImportFailed, ImportJob, ImportSummary, open_member, require_line_end
from lookup.models import Code

ORDER_LINE = re.compile(rf"^(\d{{5}}) ([{PCS_CHARS}]{{3,7}}) *([01]) (.{{60}}) (.*)$")
LIST_LINE = re.compile(rf"^([{PCS_CHARS}]{{7}})\s+(\S.*)$")
YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def parse_order(lines: list[str]) -> list[CodeRow]:
    rows: list[CodeRow] = []
    headers: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        found = ORDER_LINE.match(line.rstrip("\r\n"))
        if not found:
            raise ImportFailed(f"line {number} is not an ICD-10-PCS order-file record")
        _, code, valid, short, long = found.groups()
        if valid == "1" and len(code) != 7:
            # ICD-10-CM's order file has the same layout: its codes are not 7 characters.
            raise ImportFailed(f"line {number}: {code} is not a 7-character ICD-10-PCS code")
        parent = next((headers[code[:n]] for n in range(len(code) - 1, 2, -1) if code[:n] in headers), None)
        billable = valid == "1"
        kind = Code.Kind.CODE if billable else Code.Kind.CATEGORY
        rows.append(CodeRow(code, code, kind, short.strip(), long.strip(), parent, billable=billable))
        if not billable:
            headers[code] = code
    return rows


def parse_list(lines: list[str]) -> list[CodeRow]:
    rows: list[CodeRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        found = LIST_LINE.match(line.strip())
        if not found:
            raise ImportFailed(f"line {number} is not `CODE description` with a 7-character ICD-10-PCS code")
        code, text = found.group(1), " ".join(found.group(2).split())
        rows.append(CodeRow(code, code, Code.Kind.CODE, text[:300], text, billable=True))
    return rows


def parse(lines: list[str]) -> list[CodeRow]:
    first = next((line for line in lines if line.strip()), "")
    if ORDER_LINE.match(first.rstrip("\r\n")):
        return parse_order(lines)
    if LIST_LINE.match(first.strip()):
        return parse_list(lines)
    raise ImportFailed("not an ICD-10-PCS order file or code list (first line does not match either)")


def release_label(name: str) -> tuple[str, datetime.date] | None:
    found = YEAR.search(name)
    if not found:
        return None
    # The fiscal-year code set takes effect on October 1 of the year before.
    year = int(found.group(1))
    return f"FY{year}", datetime.date(year - 1, 10, 1)


def label_from_name(name: str) -> str | None:
    label = release_label(name)
    return label[0] if label else None


def run(job: ImportJob) -> ImportSummary:
    job.progress.start("Reading ICD-10-PCS", 1)
    with open_member(job.path, suffixes=(".txt",), what="ICD-10-PCS .txt file", prefer="order") as stream:
        data = stream.read()
    job.progress.finish()
    # Neither format has an end marker or a count: each line must be a whole record.
    require_line_end(data, name=job.path.name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    rows = parse(text.splitlines())
    label = release_label(job.path.name)
    if label is None and not (job.version and job.date):
        raise ImportFailed("the file name names no year (icd10pcs_order_2026.txt): give --release and --date")
    version, date = label if label else (job.version, job.date)
    return apply_code_release(job=job, version=job.version or version, date=job.date or date, rows=rows)
