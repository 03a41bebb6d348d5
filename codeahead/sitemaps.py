"""The sitemap index (/sitemap.xml) and its files, from every app's sitemaps.

An app registers its django.contrib.sitemaps classes from its `AppConfig.ready()`:

    from codeahead.sitemaps import register
    register("jobs", JobSitemap)

Each section is a file, /sitemap-<section>.xml, paged (?p=2) at its `limit` URLs, at most
50,000 as the protocol allows; the index lists every page of every section. Only public
pages belong here: what a guest may read without an account.
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

MAX_URLS_PER_FILE = 50_000
CACHE_SECONDS = 3600  # crawlers and a CDN may keep them an hour: they change with imports

_sections: dict[str, type[Sitemap]] = {}


def register(section: str, sitemap: type[Sitemap]) -> None:
    if sitemap.limit > MAX_URLS_PER_FILE:
        raise ValueError(
            f"Sitemap {section!r} pages {sitemap.limit} URLs: the protocol allows {MAX_URLS_PER_FILE}"
        )
    known = _sections.get(section)
    if known is not None and known is not sitemap:
        raise ValueError(f"A sitemap section {section!r} is already registered")
    _sections[section] = sitemap


def sections() -> dict[str, type[Sitemap]]:
    return dict(_sections)


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    response = sitemap_views.index(
        request, sections(), template_name="codeahead/sitemap_index.xml", sitemap_url_name="sitemap_section"
    )
    return _public(response.render())


@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    # An unknown section, a page past the last or not a number: Django's view answers 404.
    response = sitemap_views.sitemap(
        request, sections(), section=section, template_name="codeahead/sitemap.xml"
    )
    return _public(response.render())
