from __future__ import annotations

from django.apps import AppConfig


def code_system_paths() -> list[tuple[str, str]]:
    """The top-level paths code systems are served under: their slugs and aliases."""
    from lookup.models import CodeSystem

    return [
        (name, f"Code system {system.name}'s {'slug' if name == system.slug else 'alias'}")
        for system in CodeSystem.objects.all()
        for name in [system.slug, *system.alias_list()]
    ]


def code_page_labels(items: list[str]) -> dict[str, str]:
    """The meter's code page items (codes' ids) as people read them: "ICD-10-CM E11.9"."""
    from lookup.models import Code

    ids = [int(item) for item in items if item.isdigit()]
    codes = Code.objects.filter(pk__in=ids).select_related("system")
    return {str(code.pk): f"{code.system.name} {code.code}" for code in codes}


def code_page_links(items: list[str]) -> dict[str, tuple[str, str]]:
    """The codes a reader unlocked, as links for its account page, in code set order; each
    label carries the code's title where it is public (never a licensed descriptor)."""
    from lookup.models import Code
    from lookup.pages import public_title

    ids = [int(item) for item in items if item.isdigit()]
    codes = (
        Code.objects.filter(pk__in=ids).select_related("system").order_by("system__position", "sort_order")
    )
    links = {}
    for code in codes:
        title = public_title(code)
        label = f"{code.system.name} {code.code}" + (f": {title}" if title else "")
        links[str(code.pk)] = (label, code.get_absolute_url())
    return links


class LookupConfig(AppConfig):
    name = "lookup"
    verbose_name = "Code lookup"

    def ready(self) -> None:
        # `import_codes` formats; other apps register theirs the same way.
        from codeahead.routes import claim_top_level_names
        from lookup.importers import register_builtin
        from meter.services import describe_items

        register_builtin()
        # Code pages are metered ("code_page", the code's id as the item): name them in the admin.
        describe_items("code_page", code_page_labels, code_page_links)
        # /<system>/ must not collide with another top-level path (a system check).
        claim_top_level_names(self.label, code_system_paths)
        # Lookup's own code-page sections; other apps register theirs the same way.
        from lookup.pages import register_builtin_sections

        register_builtin_sections()
        # Every code page, browse page and code-system page in /sitemap.xml.
        from codeahead.sitemaps import register as register_sitemap
        from lookup.sitemaps import BrowseSitemap, CodeSitemap, LookupPagesSitemap

        register_sitemap("pages", LookupPagesSitemap)
        register_sitemap("codes", CodeSitemap)
        register_sitemap("browse", BrowseSitemap)
