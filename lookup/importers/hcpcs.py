"""HCPCS Level II from CMS's alpha-numeric fixed-width file (the zip or its .txt).

Each record is 320 characters (the layout ships in the zip as HCPC<year>_recordlayout.txt).
Record id 3 starts a code and 7 a modifier, with the detail fields; 4 and 8 continue the
long description over more records. Dental D-codes are the ADA's text: CMS's public file
leaves them out, and a licensed one gets them flagged "ADA" (CodeSystem.text_licence_for).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import astuple, dataclass

from lookup.code_shapes import HCPCS_CODE, HCPCS_MODIFIER
from lookup.importers.codeset import CodeRow, apply_code_release
from lookup.importing import ImportFailed, ImportJob, ImportSummary, open_member, require_line_end
from lookup.models import Code, HcpcsDetail

RECORD_LENGTH = 320
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
CMS_NAME = re.compile(r"HCPC(20\d\d)_?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)", re.IGNORECASE)
LONG_NAME = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_ ]?(20\d\d)", re.IGNORECASE
)


@dataclass(frozen=True)
class Detail:
    pricing_indicators: str
    multiple_pricing_indicator: str
    coverage_code: str
    betos_code: str
    type_of_service: str
    lab_certification: str
    asc_payment_group: str
    added_date: datetime.date | None
    action_code: str


def _date(text: str, line_number: int) -> datetime.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise ImportFailed(f"line {line_number}: {text!r} is not a date (YYYYMMDD)") from None


def parse(lines: list[str], *, release_date: datetime.date) -> list[CodeRow]:
    rows: list[CodeRow] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if len(line) < RECORD_LENGTH:
            raise ImportFailed(
                f"line {number} is {len(line)} characters, an HCPCS record has {RECORD_LENGTH}: "
                "not CMS's alpha-numeric fixed-width file, or a truncated one"
            )
        record_id = line[10]
        text = line[11:91].strip()
        if record_id in ("4", "8"):
            if not rows:
                raise ImportFailed(f"line {number}: a continuation record comes before any code")
            rows[-1].official_description = f"{rows[-1].official_description} {text}".strip()
            continue
        if record_id not in ("3", "7"):
            raise ImportFailed(f"line {number}: unknown record identification code {record_id!r}")
        modifier = record_id == "7"
        code = line[3:5].strip() if modifier else line[0:5].strip()
        if not (HCPCS_MODIFIER if modifier else HCPCS_CODE).match(code):
            raise ImportFailed(
                f"line {number}: {code!r} is not an HCPCS Level II {'modifier' if modifier else 'code'}"
            )
        termination = _date(line[284:292], number)
        rows.append(
            CodeRow(
                code=code,
                key=code,
                kind=Code.Kind.MODIFIER if modifier else Code.Kind.CODE,
                title=line[91:119].strip(),
                official_description=text,
                billable=not modifier and (termination is None or termination >= release_date),
                effective_date=_date(line[276:284], number),
                termination_date=termination,
                extra=Detail(
                    pricing_indicators=",".join(
                        p for p in (line[119 + 2 * i : 121 + 2 * i].strip() for i in range(4)) if p
                    ),
                    multiple_pricing_indicator=line[127].strip(),
                    coverage_code=line[229].strip(),
                    betos_code=line[256:259].strip(),
                    type_of_service=line[260:265].strip(),
                    lab_certification=",".join(
                        c for c in (line[180 + 3 * i : 183 + 3 * i].strip() for i in range(8)) if c
                    ),
                    asc_payment_group=line[230:232].strip(),
                    added_date=_date(line[268:276], number),
                    action_code=line[292].strip(),
                ),
            )
        )
    return rows


def release_label(name: str) -> tuple[str, datetime.date] | None:
    found = CMS_NAME.search(name)
    if found:
        year, month = int(found.group(1)), MONTHS.index(found.group(2).lower()) + 1
    else:
        found = LONG_NAME.search(name)
        if not found:
            return None
        year, month = int(found.group(2)), MONTHS.index(found.group(1).lower()[:3]) + 1
    return f"{year}-{month:02d}", datetime.date(year, month, 1)


def label_from_name(name: str) -> str | None:
    label = release_label(name)
    return label[0] if label else None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _save_details(keys_to_ids: dict[str, int], rows: list[CodeRow]) -> None:
    """Write the indicators that differ from what is stored (none on a re-import)."""
    stored = {
        code_id: Detail(*values)
        for code_id, *values in HcpcsDetail.objects.filter(code_id__in=keys_to_ids.values()).values_list(
            "code_id", *(f for f in Detail.__dataclass_fields__)
        )
    }
    changed = [
        HcpcsDetail(
            code_id=keys_to_ids[row.key],
            **dict(zip(Detail.__dataclass_fields__, astuple(row.extra), strict=True)),
        )
        for row in rows
        if stored.get(keys_to_ids[row.key]) != row.extra
    ]
    HcpcsDetail.objects.bulk_create(
        changed,
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=list(Detail.__dataclass_fields__),
    )


def run(job: ImportJob) -> ImportSummary:
    job.progress.start("Reading HCPCS", 1)
    with open_member(
        job.path, suffixes=(".txt",), what="HCPCS fixed-width .txt file", prefer="anweb"
    ) as stream:
        data = stream.read()
    job.progress.finish()
    # No trailer record: every record is whole (320 characters, checked by parse) up to a line break.
    require_line_end(data, name=job.path.name)
    lines = _decode(data).splitlines()
    label = release_label(job.path.name)
    rows = parse(lines, release_date=job.date or (label[1] if label else datetime.date.today()))
    if label is None and not (job.version and job.date):
        raise ImportFailed("the file name names no release (HCPC2026_JAN...): give --release and --date")
    version, date = label if label else (job.version, job.date)
    version, date = job.version or version, job.date or date
    return apply_code_release(job=job, version=version, date=date, rows=rows, after_write=_save_details)
