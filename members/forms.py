from __future__ import annotations

from django import forms

from members.models import NOTE_MAX_CHARS


class NoteForm(forms.Form):
    # No maxlength attribute on the page: a longer paste is refused with a message, not cut short.
    text = forms.CharField(
        label="Your private note", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text) > NOTE_MAX_CHARS:
            raise forms.ValidationError(
                f"A note holds at most {NOTE_MAX_CHARS:,} characters; this one has {len(text):,}.",
                code="max_length",
            )
        return text
