"""An Atom feed of any job search: /jobs/feed/ with the list's own query string."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from jobs.markup import plain_text
from jobs.search import canonical_query, form_from_query, search_jobs
from jobs.templatetags.jobs_tags import pay

FEED_ITEMS = 50


class JobSearchFeed(Feed):
    feed_type = Atom1Feed
    subtitle = "Medical coding jobs on CodeAhead's CareerCenter"

    def get_object(self, request):
        # Only the filters that validate; a bad value is left out, never an error.
        return form_from_query(request.GET).filters()

    def title(self, filters: dict) -> str:
        return "CodeAhead jobs" + (f": {filters['q']}" if filters.get("q") else "")

    def link(self, filters: dict) -> str:
        query = canonical_query(filters)
        return reverse("jobs:list") + (f"?{query}" if query else "")

    def items(self, filters: dict):
        return search_jobs({**filters, "sort": "newest"})[:FEED_ITEMS]

    def item_title(self, job) -> str:
        return f"{job.title} — {job.employer.organisation}"

    def item_description(self, job) -> str:
        summary = Truncator(plain_text(job.description)).words(60)
        return f"{job.location_label()} · {pay(job)} · {job.get_employment_type_display()}\n\n{summary}"

    def item_pubdate(self, job):
        return job.approved_at

    def item_updateddate(self, job):
        return job.updated_at
