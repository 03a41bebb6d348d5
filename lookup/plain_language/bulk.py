"""Generating the plain texts of a whole code set: two reads, one COPY, one upsert.

The facts of every code (hierarchy, notes, neighbours, PCS tables) are read in two
queries and put together in memory; the texts go back through COPY into a temporary
table and one INSERT ... ON CONFLICT into PlainText that rewrites only the texts that
changed. Codes with a text of their own (our coding team's, or a reviewed one) are left
out, and the statement checks that again, so a staff edit made meanwhile always wins.

Generated texts live in their own table, not in Code: rewriting 190,000 code rows would
recompute each one's search vector, its GIN entries and the search vocabulary (a minute
for ICD-10-PCS alone, measured), where PlainText rows cost a COPY.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from lookup.icd10cm_chapters import chapter_number
from lookup.models import Code, CodeSystem, Note, PlainText
from lookup.plain_language import GENERATED_SYSTEMS, generate
from lookup.plain_language.facts import Facts, Node, NoteFact
from lookup.plain_language.icd10pcs import PcsTable


@dataclass
class Summary:
    system: str
    codes: int = 0
    generated: int = 0
    written: int = 0
    kept: int = 0  # written or reviewed by our team: left alone
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.system}: {self.codes} codes, {self.generated} texts generated, {self.written} written "
            f"(new or changed), {self.kept} kept (our team's or reviewed), {self.seconds:.1f} s"
        )


@dataclass(slots=True)
class _Row:
    id: int
    code: str
    key: str
    kind: str
    text: str
    parent_id: int | None
    billable: bool
    text_licence: str
    plain_description: str
    generated: tuple[str, str] | None


def _rows(system: CodeSystem, keys: Iterable[str] | None) -> list[_Row]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT c.id, c.code, c.key, c.kind,
                       CASE WHEN c.official_description <> '' THEN c.official_description ELSE c.title END,
                       c.parent_id, c.billable, c.text_licence, c.plain_description,
                       CASE WHEN p.code_id IS NULL THEN NULL ELSE ARRAY[p.description, p.notes] END
                FROM {Code._meta.db_table} c LEFT JOIN {PlainText._meta.db_table} p ON p.code_id = c.id
                WHERE c.system_id = %s ORDER BY c.sort_order""",
            [system.pk],
        )
        rows = [_Row(*row[:9], tuple(row[9]) if row[9] else None) for row in cursor.fetchall()]
    return rows


def _notes(system: CodeSystem) -> dict[int, list[tuple[str, str, str]]]:
    notes: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT n.code_id, n.kind, n.label, n.text FROM {Note._meta.db_table} n
                JOIN {Code._meta.db_table} c ON c.id = n.code_id
                WHERE c.system_id = %s ORDER BY n.code_id, n.position""",
            [system.pk],
        )
        for code_id, kind, label, text in cursor.fetchall():
            notes[code_id].append((kind, label, text))
    return notes


def facts_of(
    system: CodeSystem, *, keys: Iterable[str] | None = None
) -> list[tuple[_Row, Facts, PcsTable | None]]:
    """Every code of a system (or those with `keys`) with the facts its text is made from."""
    rows = _rows(system, keys)
    by_id = {row.id: row for row in rows}
    notes = _notes(system) if system.slug == "icd-10-cm" else {}
    children: dict[int | None, list[_Row]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    lineages: dict[int, list[_Row]] = {}

    def lineage(row: _Row) -> list[_Row]:
        """The ancestors of a code, top first (a hierarchy is a few levels deep)."""
        known = lineages.get(row.id)
        if known is None:
            parent = by_id.get(row.parent_id) if row.parent_id else None
            known = [*lineage(parent), parent] if parent is not None else []
            lineages[row.id] = known
        return known

    own_notes = {
        code_id: [NoteFact(by_id[code_id].code, kind, label, text) for kind, label, text in owned]
        for code_id, owned in notes.items()
        if code_id in by_id
    }
    combined: dict[int, list[NoteFact]] = {}

    def notes_with_ancestors(row: _Row) -> list[NoteFact]:
        """The code's notes, then its parent's and so on up: shared NoteFacts, one list per code."""
        known = combined.get(row.id)
        if known is None:
            parent = by_id.get(row.parent_id) if row.parent_id else None
            known = own_notes.get(row.id, []) + (notes_with_ancestors(parent) if parent else [])
            combined[row.id] = known
        return known

    billable_below: dict[int, int] = defaultdict(int)
    for row in rows:
        if row.billable:
            for ancestor in lineage(row):
                billable_below[ancestor.id] += 1

    tables: dict[str, PcsTable] = {}
    if system.slug == "icd-10-pcs":
        titles: dict[str, dict[str, str]] = defaultdict(dict)
        for row in rows:
            if len(row.key) == 7:
                titles[row.key[:3]][row.key] = row.text
        tables = {prefix: PcsTable(table) for prefix, table in titles.items()}

    wanted = set(keys) if keys is not None else None
    gathered = []
    for row in rows:
        if wanted is not None and row.key not in wanted:
            continue
        chain = lineage(row)
        note_facts = notes_with_ancestors(row)
        chapter = next(
            (node for node in chain if node.kind == Code.Kind.CHAPTER), row if row.kind == "chapter" else None
        )
        facts = Facts(
            system=system.slug,
            code=row.code,
            key=row.key,
            kind=row.kind,
            text=row.text,
            billable=row.billable,
            lineage=[Node(node.code, node.kind, node.text) for node in chain],
            notes=note_facts,
            sibling_texts=[other.text for other in children[row.parent_id] if other.id != row.id]
            if row.parent_id
            else [],
            billable_below=billable_below.get(row.id, 0),
            chapter_number=chapter_number(chapter.code) if chapter and system.slug == "icd-10-cm" else None,
        )
        gathered.append((row, facts, tables.get(row.key[:3])))
    return gathered


def writable(row: _Row) -> bool:
    """A code the generator writes for: public text, and no text of its own (our team's or reviewed)."""
    return not row.text_licence and not row.plain_description


def write_plain_texts(system: CodeSystem) -> Summary:
    """Generate and store the plain text of every code of `system` that may have one."""
    started = time.monotonic()
    summary = Summary(system=system.slug)
    if system.slug not in GENERATED_SYSTEMS:
        return summary
    changed: list[tuple[int, str, str]] = []
    for row, facts, table in facts_of(system):
        summary.codes += 1
        if not writable(row):
            summary.kept += 1 if row.plain_description else 0
            continue
        text = generate(facts, text_licence=row.text_licence, pcs_table=table)
        if text is None:
            continue
        summary.generated += 1
        if (text.description, text.notes) != row.generated:
            changed.append((row.id, text.description, text.notes))
    with transaction.atomic():
        summary.written = _store(changed)
    summary.seconds = time.monotonic() - started
    return summary


def _store(changed: list[tuple[int, str, str]]) -> int:
    if not changed:
        return 0
    codes, plain = Code._meta.db_table, PlainText._meta.db_table
    with connection.cursor() as cursor:
        # Several imports may run in one transaction (make run's load_public_data): each
        # write starts from an empty table of its own.
        cursor.execute("DROP TABLE IF EXISTS plain_text_new")
        cursor.execute(
            "CREATE TEMPORARY TABLE plain_text_new (code_id bigint PRIMARY KEY, description text, notes text) "
            "ON COMMIT DROP"
        )
        raw = connection.connection
        with (
            raw.cursor() as raw_cursor,
            raw_cursor.copy("COPY plain_text_new (code_id, description, notes) FROM STDIN") as copy,
        ):
            for row in changed:
                copy.write_row(row)
        cursor.execute(
            f"""INSERT INTO {plain} (code_id, description, notes, generated_at)
                SELECT n.code_id, n.description, n.notes, %s
                FROM plain_text_new n JOIN {codes} c ON c.id = n.code_id
                WHERE c.text_licence = '' AND c.plain_description = ''
                ON CONFLICT (code_id) DO UPDATE
                SET description = excluded.description, notes = excluded.notes, generated_at = excluded.generated_at
                WHERE ({plain}.description, {plain}.notes) IS DISTINCT FROM (excluded.description, excluded.notes)""",
            [timezone.now()],
        )
        written = cursor.rowcount
        cursor.execute("DROP TABLE plain_text_new")
        return written
