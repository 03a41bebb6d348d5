"""What a member does with codes: star, note, read; and what their lists hold.

Every function takes the user: a member's rows are read and written only through them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from lookup.models import Code
from members.models import CodeNote, Favourite, RecentCode

RECENT_CODES = 20  # how many recently read codes a member's list keeps
LISTS = ("favourites", "recent", "notes")


@dataclass(frozen=True)
class OwnState:
    """What the code page shows a member of their own about one code."""

    favourite: bool
    note: str


def code_page_view(*, user_id: int, code_id: int) -> OwnState:
    """Record that the member read the code and say whether it is starred and noted.

    One statement, the only query the members' part adds to the hot code page: the upsert
    in the WITH runs whether or not the SELECT reads it (PostgreSQL's rule for
    data-modifying WITH). Old rows beyond RECENT_CODES are pruned by the list page, not here.
    """
    recent, favourite, note = RecentCode._meta.db_table, Favourite._meta.db_table, CodeNote._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH seen AS (
                INSERT INTO {recent} (user_id, code_id, viewed_at) VALUES (%(user)s, %(code)s, %(now)s)
                ON CONFLICT (user_id, code_id) DO UPDATE SET viewed_at = EXCLUDED.viewed_at
            )
            SELECT
                EXISTS (SELECT 1 FROM {favourite} WHERE user_id = %(user)s AND code_id = %(code)s),
                (SELECT text FROM {note} WHERE user_id = %(user)s AND code_id = %(code)s)
            """,
            {"user": user_id, "code": code_id, "now": timezone.now()},
        )
        starred, text = cursor.fetchone()
    return OwnState(favourite=starred, note=text or "")


def favourite_set(*, user, code: Code, on: bool) -> bool:
    """Star or unstar a code (saying it twice changes nothing); whether it is starred now."""
    if on:
        Favourite.objects.get_or_create(user=user, code=code)
    else:
        Favourite.objects.filter(user=user, code=code).delete()
    return on


def is_favourite(*, user, code: Code) -> bool:
    return Favourite.objects.filter(user=user, code=code).exists()


def note_for(*, user, code: Code) -> str:
    return CodeNote.objects.filter(user=user, code=code).values_list("text", flat=True).first() or ""


@transaction.atomic
def note_save(*, user, code: Code, text: str) -> CodeNote | None:
    """Keep the member's note on a code; an empty text deletes it. The form checks the size."""
    if not text.strip():
        CodeNote.objects.filter(user=user, code=code).delete()
        return None
    note, created = CodeNote.objects.get_or_create(user=user, code=code, defaults={"text": text})
    if not created:
        note.text = text
        note.updated_at = timezone.now()
        note.save(update_fields=["text", "updated_at"])
    return note


def favourites(user) -> list[Favourite]:
    return list(
        Favourite.objects.filter(user=user).select_related("code__system").order_by("-created_at", "-id")
    )


def recent(user) -> list[RecentCode]:
    """The member's latest RECENT_CODES codes, newest first; older rows are forgotten here."""
    rows = list(
        RecentCode.objects.filter(user=user)
        .select_related("code__system")
        .order_by("-viewed_at", "-id")[: RECENT_CODES + 1]
    )
    if len(rows) > RECENT_CODES:
        oldest_kept = rows[RECENT_CODES - 1]
        RecentCode.objects.filter(user=user, viewed_at__lt=oldest_kept.viewed_at).delete()
    return rows[:RECENT_CODES]


def notes(user) -> list[CodeNote]:
    return list(
        CodeNote.objects.filter(user=user).select_related("code__system").order_by("-updated_at", "-id")
    )


def public_description(code: Code) -> str:
    """The official text where anyone may read it, else nothing: never a licensed descriptor
    (a CPT code without the AMA licence exports its code alone)."""
    return code.official_description if code.official_text_visible else ""


CSV_HEADER = ["list", "system", "code", "official description", "note", "date", "url"]
# A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(user, *, which: Iterable[str], site_url: str) -> Iterator[list[str]]:
    yield CSV_HEADER
    lists = {
        "favourites": (favourites, "created_at"),
        "recent": (recent, "viewed_at"),
        "notes": (notes, "updated_at"),
    }
    for name in which:
        rows_of, date_field = lists[name]
        for row in rows_of(user):
            code = row.code
            yield [
                name,
                code.system.name,
                code.code,
                _cell(public_description(code)),
                _cell(row.text) if name == "notes" else "",
                timezone.localtime(getattr(row, date_field)).isoformat(timespec="seconds"),
                site_url + code.get_absolute_url(),
            ]


def write_csv(out, rows: Iterable[list[str]]) -> None:
    csv.writer(out).writerows(rows)
