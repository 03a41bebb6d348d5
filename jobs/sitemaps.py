"""Open jobs for the sitemap index (the SEO app mounts it): expired and removed jobs leave it."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from jobs.models import Job


class JobSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return Job.objects.open().order_by("-approved_at", "-id").only("id", "title", "updated_at")

    def lastmod(self, job: Job):
        return job.updated_at
