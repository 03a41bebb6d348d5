"""Readable history in the admin: a word-level diff of each text field, and who, when and why."""

from __future__ import annotations

import difflib
import re

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

# What publish_reviewed and the admin write on the snapshot they take of an imported code.
BASELINE_REASONS = ("As imported", "As imported, before the first edit")
WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> SafeString:
    """The new text with deleted words in <del> and added ones in <ins>, every word escaped."""
    before, after = WORDS.findall(old or ""), WORDS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(''.join(before[a1:a2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(''.join(after[b1:b2]))}</ins>")
    return mark_safe("".join(parts))


class WordDiffHelper(HistoricalRecordContextHelper):
    def context_for_delta_changes(self, delta) -> list[dict]:
        return [
            {
                "field": self.model._meta.get_field(change.field).verbose_name.capitalize(),
                "diff": word_diff(str(change.old if change.old is not None else ""), str(change.new or "")),
            }
            for change in delta.changes
        ]


class ChangeReasonForm(forms.ModelForm):
    """A change form whose editor says why, kept as the history record's change reason."""

    change_reason = forms.CharField(
        max_length=100,
        label="Reason for this change",
        help_text="Shown in the history, e.g. “Clearer wording of the laterality note”.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["change_reason"].required = False


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    """History with word diffs; each save carries the reason typed on the change form."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return WordDiffHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        super().set_history_delta_changes(request, records, foreign_keys_are_objs)
        for record in records:
            record.is_baseline = (
                record.history_type == "+" and record.history_change_reason in BASELINE_REASONS
            )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("change_reason" in options.get("fields", ()) for _, options in fieldsets):
            return fieldsets
        return [*fieldsets, ("Why", {"fields": ["change_reason"]})]

    def save_model(self, request, obj, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data.get("change_reason") or ("Added" if not change else "")
        super().save_model(request, obj, form, change)
