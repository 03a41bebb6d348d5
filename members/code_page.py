"""The member's own part of a code page: the star beside the heading, the note below the texts."""

from __future__ import annotations

from django.template.loader import render_to_string

from members.forms import NoteForm
from members.services import code_page_view


def render_own_part(*, request, code, decision) -> dict[str, str] | None:
    """For a signed-in reader: record the view and show their star and note (one query)."""
    if not request.user.is_authenticated:
        return None
    state = code_page_view(user_id=request.user.pk, code_id=code.pk)
    context = {"code": code, "favourite": state.favourite, "next": request.get_full_path()}
    return {
        "tools": render_to_string("members/_star.html", context, request=request),
        "after_descriptions": render_to_string(
            "members/_note.html",
            {**context, "form": NoteForm(initial={"text": state.note})},
            request=request,
        ),
    }
