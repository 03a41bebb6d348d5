"""Loading one release of a code set into Code and Note rows, fast and without surprises.

Parsers turn a file into `CodeRow`s (in the publisher's order, parents before children);
`apply_code_release()` compares them with what is loaded and writes only the differences
with COPY and set-based UPDATEs: no per-row queries, and no simple_history records (an
import keeps its own history as Release and CodeChange rows).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import NOT_PROVIDED, GeneratedField

from lookup.importing import (
    ImportFailed,
    ImportJob,
    ImportSummary,
    check_deletions,
    check_release_order,
    latest_release,
)
from lookup.models import Code, CodeChange, CodeSystem, Note, Release, normalize_code


@dataclass(slots=True)
class CodeRow:
    code: str
    key: str
    kind: str
    title: str
    official_description: str
    parent_key: str | None = None
    billable: bool = False
    text_licence: str = ""  # set by apply_code_release from CodeSystem.text_licence_for
    effective_date: datetime.date | None = None
    termination_date: datetime.date | None = None
    # (kind, label, text) in the file's order
    notes: list[tuple[str, str, str]] = field(default_factory=list)
    extra: object = None  # what a format keeps besides (HCPCS indicators)


class Owned(NamedTuple):
    """The Code fields an import owns; everything else (plain text, featured...) is ours."""

    code: str
    kind: str
    title: str
    official_description: str
    billable: bool
    text_licence: str
    effective_date: datetime.date | None
    termination_date: datetime.date | None

    @classmethod
    def of(cls, row: CodeRow) -> Owned:
        return cls(*(getattr(row, name) for name in cls._fields))


@dataclass(slots=True)
class _Loaded:
    id: int
    values: Owned
    parent_key: str | None
    sort_order: int
    official_edited: bool


def _load_existing(system: CodeSystem) -> dict[str, _Loaded]:
    table = Code._meta.db_table
    columns = ", ".join(Owned._fields)
    width = len(Owned._fields)
    with connection.cursor() as cursor:
        # No self-join: right after a bulk load the planner has no statistics to join well.
        cursor.execute(
            f"SELECT key, id, {columns}, parent_id, sort_order, official_edited FROM {table} WHERE system_id = %s",
            [system.pk],
        )
        fetched = cursor.fetchall()
    keys = {row[1]: row[0] for row in fetched}
    return {
        row[0]: _Loaded(
            id=row[1],
            values=Owned(*row[2 : 2 + width]),
            parent_key=keys.get(row[2 + width]),
            sort_order=row[3 + width],
            official_edited=row[4 + width],
        )
        for row in fetched
    }


def _load_notes(code_ids: Iterable[int]) -> dict[int, list[tuple[str, str, str]]]:
    notes: dict[int, list[tuple[str, str, str]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT code_id, kind, label, text FROM {Note._meta.db_table}
                WHERE code_id = ANY(%s) ORDER BY code_id, position""",
            [list(code_ids)],
        )
        for code_id, kind, label, text in cursor.fetchall():
            notes.setdefault(code_id, []).append((kind, label, text))
    return notes


def _copy(table: str, columns: list[str], rows: Iterable[tuple]) -> None:
    """COPY rows into a table through the raw psycopg connection (same transaction)."""
    raw = connection.connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_columns() -> tuple[list[str], dict[str, object]]:
    """Every column a new Code row needs, with the model's default for those we do not set.

    Built from the model so a field another app adds (with a default) needs no change here.
    """
    columns: list[str] = []
    defaults: dict[str, object] = {}
    for model_field in Code._meta.concrete_fields:
        if model_field.primary_key or isinstance(model_field, GeneratedField):
            continue
        if model_field.db_default is not NOT_PROVIDED:
            continue  # the database fills it
        columns.append(model_field.column)
        if model_field.null and not model_field.has_default():
            defaults[model_field.column] = None
        else:
            defaults[model_field.column] = model_field.get_db_prep_save(model_field.get_default(), connection)
    return columns, defaults


def apply_code_release(
    *,
    job: ImportJob,
    version: str,
    date: datetime.date,
    rows: list[CodeRow],
    after_write: Callable[[dict[str, int], list[CodeRow]], None] | None = None,
) -> ImportSummary:
    """Make the system's codes match `rows`, recording the release and what it changed.

    The first release of a system is the baseline: it records no CodeChange rows. Codes
    missing from a later release are kept (links and our own texts survive) but marked
    terminated on the release date and no longer billable.
    """
    system = job.system
    assert system is not None
    progress = job.progress
    if not rows:
        raise ImportFailed(f"cannot import {job.location}: it holds no {system.name} codes")
    seen: set[str] = set()
    for row in rows:
        if row.key in seen:
            raise ImportFailed(f"cannot import {job.location}: code {row.code} appears twice")
        seen.add(row.key)
        row.text_licence = system.text_licence_for(row.key)
    # A file says nothing of codes whose text it may not carry: CMS's public HCPCS file leaves
    # out the ADA's dental codes, which stay as they are rather than "terminated".
    carried = sorted({row.text_licence for row in rows})

    newest = latest_release(system)
    loaded_before = Release.objects.filter(system=system, version=version).exists()
    if newest is not None and date < newest.date and not loaded_before:
        return _record_older_release(job=job, version=version, date=date, rows=rows)
    existing_release = check_release_order(system=system, version=version, date=date)
    baseline = newest is None
    summary = ImportSummary(system=system.name, release=version, already_loaded=existing_release is not None)
    if existing_release is not None and existing_release != latest_release(system):
        # Loaded before, and a newer release since: the codes now match that one.
        return summary

    progress.start("Comparing", len(rows))
    loaded = _load_existing(system)
    loaded_notes = _load_notes(before.id for before in loaded.values())

    new_rows: list[tuple[int, CodeRow]] = []
    changed_rows: list[tuple[int, CodeRow, _Loaded]] = []
    changes: list[tuple[str, str, str, str]] = []  # key, kind, old, new
    notes_changed: list[str] = []
    for position, row in enumerate(rows, start=1):
        progress.advance()
        before = loaded.get(row.key)
        if before is None:
            new_rows.append((position, row))
            summary.added += 1
            changes.append((row.key, CodeChange.Kind.ADDED, "", row.official_description))
            if row.notes:
                notes_changed.append(row.key)
            continue
        values = Owned.of(row)
        old_text = before.values.official_description
        text_differs = old_text != row.official_description
        # A code created before its code set's file (by ensure_codes, for a fee schedule's
        # rows) had no official text: the file's is its first, an addition, not a revision.
        placeholder = not old_text and not before.official_edited
        if text_differs and before.official_edited:
            summary.conflicts.append(row.code)
            # Staff's official text (and its title) stay; the rest still follows the file.
            values = values._replace(title=before.values.title, official_description=old_text)
            text_differs = False
        if values != before.values or before.parent_key != row.parent_key or before.sort_order != position:
            changed_rows.append((position, row, before))
        was_billable = before.values.billable
        if placeholder and row.official_description:
            summary.added += 1
            changes.append((row.key, CodeChange.Kind.ADDED, "", row.official_description))
        elif was_billable and not row.billable:
            # Expanded into more specific codes, or ended: no longer valid for billing,
            # which is what the publisher's addenda call a deleted code.
            summary.deleted += 1
            changes.append((row.key, CodeChange.Kind.DELETED, old_text, row.official_description))
        elif row.billable and not was_billable:
            summary.added += 1
            changes.append((row.key, CodeChange.Kind.ADDED, old_text, row.official_description))
        elif text_differs:
            summary.revised += 1
            changes.append((row.key, CodeChange.Kind.REVISED, old_text, row.official_description))
        elif values != before.values or before.parent_key != row.parent_key:
            summary.updated += 1
        else:
            summary.unchanged += 1
        if loaded_notes.get(before.id, []) != row.notes:
            notes_changed.append(row.key)

    gone = [
        (key, before)
        for key, before in loaded.items()
        if key not in seen
        and (before.values.billable or before.values.termination_date is None)
        and before.values.text_licence in carried
    ]
    summary.deleted += len(gone)
    for key, before in gone:
        changes.append((key, CodeChange.Kind.DELETED, before.values.official_description, ""))

    if existing_release is not None and (new_rows or changed_rows or gone or notes_changed):
        # The same label with different content: a mislabelled or altered file.
        raise ImportFailed(
            f"{system.name} release {version} is already loaded and this file differs from it "
            f"({summary.added} added, {summary.revised} revised, {summary.deleted} deleted); "
            "give it another --release label"
        )
    if existing_release is not None:
        return summary
    if newest is not None:
        # Only over a loaded release: demo codes, or codes a fee schedule made, are no release.
        current = sum(
            1
            for before in loaded.values()
            if before.values.billable or before.values.termination_date is None
        )
        check_deletions(job=job, what=f"{system.name} {version}", deleted=summary.deleted, loaded=current)

    release = Release.objects.create(
        system=system, version=version, date=date, summary={"text_licences": carried}
    )
    progress.finish()
    progress.start("Writing", 5)
    _write(system=system, release=release, new_rows=new_rows, changed_rows=changed_rows, gone=gone)
    progress.advance()
    keys_to_ids = _ids_by_key(system=system, loaded=loaded, inserted=new_rows)
    progress.advance()
    _write_parents(system=system, rows=[row for _, row in new_rows] + [row for _, row, _ in changed_rows])
    progress.advance()
    _write_notes(keys_to_ids=keys_to_ids, rows={row.key: row for row in rows}, keys=notes_changed)
    progress.advance()
    if not baseline:
        _copy(
            CodeChange._meta.db_table,
            ["release_id", "code_id", "kind", "old_text", "new_text"],
            ((release.pk, keys_to_ids[key], kind, old, new) for key, kind, old, new in changes),
        )
    if after_write is not None:
        after_write(keys_to_ids, rows)
    progress.advance()
    return summary


def _write(
    *,
    system: CodeSystem,
    release: Release,
    new_rows: list[tuple[int, CodeRow]],
    changed_rows: list[tuple[int, CodeRow, _Loaded]],
    gone: list[tuple[str, _Loaded]],
) -> None:
    table = Code._meta.db_table
    if new_rows:
        columns, defaults = _insert_columns()

        def values(position: int, row: CodeRow) -> tuple:
            own = {
                "system_id": system.pk,
                "key": row.key,
                "code": row.code,
                "kind": row.kind,
                "title": row.title,
                "official_description": row.official_description,
                "billable": row.billable,
                "text_licence": row.text_licence,
                "sort_order": position,
                "effective_date": row.effective_date,
                "termination_date": row.termination_date,
                "parent_id": None,
            }
            return tuple(own[c] if c in own else defaults[c] for c in columns)

        _copy(table, columns, (values(position, row) for position, row in new_rows))
        if len(new_rows) > 1000:
            # Fresh statistics, so the set-based updates below are planned for the real size.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")

    if changed_rows:
        with connection.cursor() as cursor:
            cursor.execute(
                """CREATE TEMP TABLE import_code_update (
                    id bigint, code text, kind text, title text, official_description text,
                    billable boolean, text_licence text, sort_order integer,
                    effective_date date, termination_date date
                ) ON COMMIT DROP"""
            )
        _copy(
            "import_code_update",
            [
                "id",
                "code",
                "kind",
                "title",
                "official_description",
                "billable",
                "text_licence",
                "sort_order",
                "effective_date",
                "termination_date",
            ],
            (
                (
                    before.id,
                    row.code,
                    row.kind,
                    before.values.title if before.official_edited else row.title,
                    before.values.official_description
                    if before.official_edited
                    else row.official_description,
                    row.billable,
                    row.text_licence,
                    position,
                    row.effective_date,
                    row.termination_date,
                )
                for position, row, before in changed_rows
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE import_code_update")
            cursor.execute(
                f"""UPDATE {table} c SET code = u.code, kind = u.kind, title = u.title,
                    official_description = u.official_description, billable = u.billable,
                    text_licence = u.text_licence, sort_order = u.sort_order,
                    effective_date = u.effective_date, termination_date = u.termination_date
                    FROM import_code_update u WHERE c.id = u.id"""
            )
            cursor.execute("DROP TABLE import_code_update")
    if gone:
        Code.objects.filter(pk__in=[before.id for _, before in gone]).update(
            billable=False, termination_date=release.date
        )


def _ids_by_key(
    *, system: CodeSystem, loaded: dict[str, _Loaded], inserted: list[tuple[int, CodeRow]]
) -> dict[str, int]:
    """Every code's id by key: the loaded ones as read, the rows just inserted from the table."""
    ids = {key: code.id for key, code in loaded.items()}
    if inserted:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key, id FROM {Code._meta.db_table} WHERE system_id = %s AND key = ANY(%s)",
                [system.pk, [row.key for _, row in inserted]],
            )
            ids.update(cursor.fetchall())
    return ids


def _write_parents(*, system: CodeSystem, rows: list[CodeRow]) -> None:
    if not rows:
        return
    table = Code._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE import_parent (key text, parent_key text) ON COMMIT DROP")
        _copy("import_parent", ["key", "parent_key"], ((row.key, row.parent_key) for row in rows))
        cursor.execute("ANALYZE import_parent")
        cursor.execute(
            f"""UPDATE {table} c SET parent_id = p.id
                FROM import_parent t LEFT JOIN {table} p ON p.system_id = %s AND p.key = t.parent_key
                WHERE c.system_id = %s AND c.key = t.key AND c.parent_id IS DISTINCT FROM p.id""",
            [system.pk, system.pk],
        )
        cursor.execute("DROP TABLE import_parent")


def _write_notes(*, keys_to_ids: dict[str, int], rows: dict[str, CodeRow], keys: list[str]) -> None:
    if not keys:
        return
    ids = [keys_to_ids[key] for key in keys]
    Note.objects.filter(code_id__in=ids).delete()
    _copy(
        Note._meta.db_table,
        ["code_id", "kind", "label", "text", "position"],
        (
            (keys_to_ids[key], kind, label, text, position)
            for key in keys
            for position, (kind, label, text) in enumerate(rows[key].notes, start=1)
        ),
    )


def _record_older_release(
    *, job: ImportJob, version: str, date: datetime.date, rows: list[CodeRow]
) -> ImportSummary:
    """An older release imported after the one loaded (make run loads April 2026 first).

    It becomes the baseline, and the loaded release's changes are recorded against it, as
    if the two had been imported in order. The codes themselves keep the loaded release's
    state; codes only the older release had are added as terminated rows, with its text.
    """
    system = job.system
    assert system is not None
    loaded_releases = list(Release.objects.filter(system=system).order_by("date"))
    target = loaded_releases[0]
    if len(loaded_releases) > 1 or target.changes.exists():
        raise ImportFailed(
            f"{system.name} {version} ({date}) is older than the loaded releases "
            f"({', '.join(r.version for r in loaded_releases)}); import releases in order"
        )
    summary = ImportSummary(
        system=system.name, release=version, remark=f"older: its changes recorded on {target.version}"
    )
    job.progress.start("Comparing", len(rows))
    loaded = _load_existing(system)
    changes: list[tuple[str, str, str, str]] = []
    missing: list[tuple[int, CodeRow]] = []
    for position, row in enumerate(rows, start=1):
        job.progress.advance()
        now = loaded.get(row.key)
        if now is None:
            ended = dataclasses.replace(row, billable=False, termination_date=target.date)
            missing.append((position, ended))
            changes.append((row.key, CodeChange.Kind.DELETED, row.official_description, ""))
            continue
        new_text = now.values.official_description
        if row.billable and not now.values.billable:
            changes.append((row.key, CodeChange.Kind.DELETED, row.official_description, new_text))
        elif now.values.billable and not row.billable:
            changes.append((row.key, CodeChange.Kind.ADDED, row.official_description, new_text))
        elif row.official_description != new_text:
            if now.official_edited:
                summary.conflicts.append(row.code)
                continue
            changes.append((row.key, CodeChange.Kind.REVISED, row.official_description, new_text))
        else:
            summary.unchanged += 1
    in_older = {row.key for row in rows}
    carried = sorted({row.text_licence for row in rows})
    for key, now in loaded.items():
        if key not in in_older and now.values.termination_date is None and now.values.text_licence in carried:
            changes.append((key, CodeChange.Kind.ADDED, "", now.values.official_description))
    for _, kind, _, _ in changes:
        if kind == CodeChange.Kind.ADDED:
            summary.added += 1
        elif kind == CodeChange.Kind.REVISED:
            summary.revised += 1
        else:
            summary.deleted += 1

    release = Release.objects.create(
        system=system, version=version, date=date, summary={"text_licences": carried}
    )
    job.progress.finish()
    job.progress.start("Writing", 3)
    _write(system=system, release=release, new_rows=missing, changed_rows=[], gone=[])
    keys_to_ids = _ids_by_key(system=system, loaded=loaded, inserted=missing)
    job.progress.advance()
    _write_parents(system=system, rows=[row for _, row in missing])
    _write_notes(
        keys_to_ids=keys_to_ids,
        rows={row.key: row for _, row in missing},
        keys=[row.key for _, row in missing if row.notes],
    )
    job.progress.advance()
    _copy(
        CodeChange._meta.db_table,
        ["release_id", "code_id", "kind", "old_text", "new_text"],
        ((target.pk, keys_to_ids[key], kind, old, new) for key, kind, old, new in changes),
    )
    target.summary = {
        **target.summary,
        "changes_since": version,
        **{k: v for k, v in summary.counts().items() if k in ("added", "revised", "deleted")},
    }
    target.save(update_fields=["summary"])
    job.progress.advance()
    return summary


# Codes another app's rows name (a fee schedule's CPT and HCPCS codes) before or without
# their code set's own file.


def procedure_system_slug(code: str) -> str:
    """CPT for a Level I code (five characters starting with a digit: 99213, 0042T), else HCPCS."""
    return "cpt" if code[:1].isdigit() else "hcpcs"


def cpt_sort_key(key: str) -> tuple[int, str]:
    # CPT order: Category I numbers, then codes ending in a letter (F, T, U, M) grouped by it.
    return (0, key) if key.isdigit() else (ord(key[-1]), key)


@dataclass
class EnsuredCodes:
    ids: dict[str, int]  # code as named -> Code id
    created: int


def ensure_codes(*, titles: dict[str, str]) -> EnsuredCodes:
    """The Code of each CPT or HCPCS Level II code named, creating those missing from our tables.

    `titles` maps each code to a public short text for a new code's title ("" for none); a
    text is kept only where the code's text is public (CodeSystem.text_licence_for), so no
    CPT or dental text is ever stored from it. A code missing from a loaded release of its
    code set that carried codes of its licence was ended by that release: it is created
    ended, as that release's import leaves its ended codes, so re-importing it changes
    nothing. Otherwise (no release yet, or a file that leaves out its licence's codes, as
    CMS's public HCPCS file does the ADA's) it is created current. Runs in the caller's
    transaction; writes no simple_history rows (an import keeps its own history).
    """
    systems = {s.slug: s for s in CodeSystem.objects.filter(slug__in=["cpt", "hcpcs"])}
    wanted = {code: normalize_code(code) for code in titles}
    existing = {
        (system_id, key): pk
        for system_id, key, pk in Code.objects.filter(
            system__in=systems.values(), key__in=set(wanted.values())
        ).values_list("system_id", "key", "id")
    }
    missing: list[Code] = []
    for slug, system in systems.items():
        names = [code for code, key in wanted.items() if procedure_system_slug(key) == slug]
        new = [code for code in names if (system.pk, wanted[code]) not in existing]
        if not new:
            continue
        orders = sorted(Code.objects.filter(system=system).values_list("key", "sort_order"))
        release = latest_release(system)
        carried = release.summary.get("text_licences", [system.text_licence]) if release is not None else []
        for code in new:
            key = wanted[code]
            licence = system.text_licence_for(key)
            ended_by = release if release is not None and licence in carried else None
            missing.append(
                Code(
                    system=system,
                    code=code,
                    key=key,
                    kind=Code.Kind.CODE,
                    title="" if licence else titles[code][:300],
                    text_licence=licence,
                    billable=ended_by is None,
                    termination_date=ended_by.date if ended_by else None,
                    # By its alphabetical neighbour; the code set's own file reorders it.
                    sort_order=_preceding_order(orders, key),
                )
            )
    if missing:
        Code.objects.bulk_create(missing, batch_size=2000)
        cpt = systems["cpt"]
        if any(code.system_id == cpt.pk for code in missing) and latest_release(cpt) is None:
            _renumber_cpt(cpt)  # no licensed CPT file gives the order: CPT's own does
    ids = {
        (system_id, key): pk
        for system_id, key, pk in Code.objects.filter(
            system__in=systems.values(), key__in=set(wanted.values())
        ).values_list("system_id", "key", "id")
    }
    return EnsuredCodes(
        ids={code: ids[systems[procedure_system_slug(key)].pk, key] for code, key in wanted.items()},
        created=len(missing),
    )


def _preceding_order(orders: list[tuple[str, int]], key: str) -> int:
    """The sort order of the code just before `key` alphabetically (orders sorted by key)."""
    index = bisect.bisect_left(orders, (key,))
    return orders[index - 1][1] if index else 0


def _renumber_cpt(cpt: CodeSystem) -> None:
    codes = sorted(
        Code.objects.filter(system=cpt).only("id", "key", "sort_order"), key=lambda c: cpt_sort_key(c.key)
    )
    changed = []
    for position, code in enumerate(codes, start=1):
        if code.sort_order != position * 10:
            code.sort_order = position * 10
            changed.append(code)
    Code.objects.bulk_update(changed, ["sort_order"], batch_size=2000)
