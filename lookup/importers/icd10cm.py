"""ICD-10-CM from CDC's tabular list XML (plain, gzipped, or inside CDC's zip).

The XML nests chapter > section > diag (category) > diag ... Every note element at every
level becomes a Note. Codes with a seventh character are not in the XML: they are made by
applying the nearest `sevenChrDef` to each leaf below it, padding with the placeholder X to
six characters (T36.0X1 + A = T36.0X1A), the way CDC's own order file lists them.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from lookup.code_shapes import ICD10CM_CODE, ICD10CM_RANGE
from lookup.importers.codeset import CodeRow, apply_code_release
from lookup.importing import ImportFailed, ImportJob, ImportSummary, open_member
from lookup.models import Code, Note, normalize_code

NOTE_KINDS = {
    "includes": Note.Kind.INCLUDES,
    "inclusionTerm": Note.Kind.INCLUSION_TERM,
    "excludes1": Note.Kind.EXCLUDES1,
    "excludes2": Note.Kind.EXCLUDES2,
    "codeFirst": Note.Kind.CODE_FIRST,
    "useAdditionalCode": Note.Kind.USE_ADDITIONAL_CODE,
    "codeAlso": Note.Kind.CODE_ALSO,
    "sevenChrNote": Note.Kind.SEVEN_CHR_NOTE,
    "notes": Note.Kind.NOTE,
}

# Seventh characters that a category's note withholds from some of its codes. S06's note
# reads: "7th characters D and S do not apply to codes in category S06 with 6th character
# 7 ... or 8": those codes take A only (CDC's order file agrees).
SEVENTH_CHARACTER_LIMITS: list[tuple[str, int, str, str]] = [
    # (category, position of the character (1-based), its values, seventh characters allowed)
    ("S06", 6, "78", "A"),
]

CHAPTER_RANGE = re.compile(r"\(([A-Z][0-9A-Z]{2}-[A-Z][0-9A-Z]{2})\)\s*$")
FILE_DATE = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-_ ]?(?:1[-_ ])?(20\d\d)", re.IGNORECASE
)
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _notes(element: ET.Element) -> list[tuple[str, str, str]]:
    notes: list[tuple[str, str, str]] = []
    for child in element:
        kind = NOTE_KINDS.get(child.tag)
        if kind is not None:
            notes.extend((kind, "", _text(note)) for note in child.findall("note"))
        elif child.tag == "sevenChrDef":
            notes.extend(
                (Note.Kind.SEVEN_CHR_DEF, extension.get("char", ""), _text(extension))
                for extension in child.findall("extension")
            )
    return notes


def _seventh_definition(element: ET.Element) -> list[tuple[str, str]] | None:
    definition = element.find("sevenChrDef")
    if definition is None:
        return None
    return [(ext.get("char", ""), _text(ext)) for ext in definition.findall("extension")]


def _published(key: str) -> str:
    return key if len(key) <= 3 else f"{key[:3]}.{key[3:]}"


def _allowed(key: str, definition: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for category, position, values, allowed in SEVENTH_CHARACTER_LIMITS:
        character = key.ljust(6, "X")[position - 1]
        if key.startswith(category) and character in values:
            return [(char, text) for char, text in definition if char in allowed]
    return definition


def parse(root: ET.Element) -> list[CodeRow]:
    """Every chapter, section, category, subcategory and code, in the tabular order."""
    if root.tag != "ICD10CM.tabular":
        raise ImportFailed(f"not an ICD-10-CM tabular file (its root element is <{root.tag}>)")
    rows: list[CodeRow] = []

    def add_diag(element: ET.Element, parent_key: str, inherited: list[tuple[str, str]] | None) -> None:
        name = _text(element.find("name"))
        desc = _text(element.find("desc"))
        children = element.findall("diag")
        definition = _seventh_definition(element) or inherited
        if ICD10CM_RANGE.match(name):
            # A grouping named like a range (C00-C75): a heading over codes, not a code.
            key = normalize_code(name)
            rows.append(CodeRow(name, key, Code.Kind.SECTION, desc, desc, parent_key, notes=_notes(element)))
            for child in children:
                add_diag(child, key, definition)
            return
        if not ICD10CM_CODE.match(name):
            raise ImportFailed(f"not an ICD-10-CM code: <diag> named {name[:40]!r} (under {parent_key})")
        key = normalize_code(name)
        seventh = _allowed(key, definition) if definition and not children else []
        if children or seventh:
            kind = Code.Kind.CATEGORY if len(key) == 3 else Code.Kind.SUBCATEGORY
        else:
            kind = Code.Kind.CODE
        rows.append(
            CodeRow(
                name,
                key,
                kind,
                desc,
                desc,
                parent_key,
                billable=kind == Code.Kind.CODE,
                notes=_notes(element),
            )
        )
        for child in children:
            add_diag(child, key, definition)
        if seventh:
            padded = key.ljust(6, "X")
            for char, extension in seventh:
                full = f"{desc}, {extension}"
                rows.append(
                    CodeRow(
                        _published(padded + char),
                        padded + char,
                        Code.Kind.CODE,
                        full,
                        full,
                        key,
                        billable=True,
                    )
                )

    for chapter in root.findall("chapter"):
        desc = _text(chapter.find("desc"))
        found = CHAPTER_RANGE.search(desc)
        if not found:
            raise ImportFailed(f"chapter {_text(chapter.find('name'))} has no code range in {desc!r}")
        chapter_key = found.group(1)
        rows.append(CodeRow(chapter_key, chapter_key, Code.Kind.CHAPTER, desc, desc, notes=_notes(chapter)))
        for section in chapter.findall("section"):
            section_id = section.get("id", "")
            # A one-category section (B10) is written as a range of one (B10-B10), so its
            # page does not collide with the category's.
            code = section_id if "-" in section_id else f"{section_id}-{section_id}"
            desc = _text(section.find("desc"))
            rows.append(
                CodeRow(code, code, Code.Kind.SECTION, desc, desc, chapter_key, notes=_notes(section))
            )
            for diag in section.findall("diag"):
                add_diag(diag, code, None)
    return rows


def label_from_name(name: str) -> str | None:
    found = FILE_DATE.search(name)
    if not found:
        return None
    return f"{int(found.group(2))}-{MONTHS.index(found.group(1).lower()[:3]) + 1:02d}"


def release_label(path: Path, root: ET.Element) -> tuple[str, datetime.date]:
    """`2026-04` from a file named like CDC's (...April-2026...), else the fiscal year."""
    label = label_from_name(path.name)
    if label:
        return label, datetime.date.fromisoformat(f"{label}-01")
    version = _text(root.find("version"))
    if not version.isdigit():
        raise ImportFailed("the file names no release: give --release and --date")
    # CDC's fiscal-year release takes effect on October 1 of the year before.
    return f"FY{version}", datetime.date(int(version) - 1, 10, 1)


def run(job: ImportJob) -> ImportSummary:
    job.progress.start("Reading ICD-10-CM", 1)
    with open_member(job.path, suffixes=(".xml",), what="ICD-10-CM tabular XML", prefer="tabular") as stream:
        root = ET.parse(stream).getroot()
    job.progress.finish()
    rows = parse(root)
    version, date = release_label(job.path, root)
    return apply_code_release(job=job, version=job.version or version, date=job.date or date, rows=rows)
