from __future__ import annotations

from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = "Code lookup"

    def ready(self) -> None:
        # `import_codes` formats; other apps register theirs the same way.
        from lookup.importers import register_builtin

        register_builtin()
