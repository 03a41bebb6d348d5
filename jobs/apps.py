from __future__ import annotations

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "CareerCenter jobs"

    def ready(self) -> None:
        # Open jobs in /sitemap.xml.
        from codeahead.sitemaps import register
        from jobs.sitemaps import JobSitemap

        register("jobs", JobSitemap)
