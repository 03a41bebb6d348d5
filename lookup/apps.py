from __future__ import annotations

from django.apps import AppConfig


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = "Code lookup"

    def ready(self) -> None:
        # `import_codes` formats; other apps register theirs the same way.
        from lookup.importers import register_builtin

        register_builtin()
        # Lookup's own code-page sections; other apps register theirs the same way.
        from lookup.pages import register_builtin_sections

        register_builtin_sections()
