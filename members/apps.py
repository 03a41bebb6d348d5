from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members' codes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lookup.sections import ReaderPart, register_reader_part
        from members.code_page import render_own_part

        # The star and the private note on every code page a member reads.
        register_reader_part(ReaderPart(slug="members", render=render_own_part, order=10))
