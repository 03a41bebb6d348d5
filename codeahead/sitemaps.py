"""The sitemap index (/sitemap.xml) and its files, from every app's sitemaps.

An app registers its django.contrib.sitemaps classes from its `AppConfig.ready()`:

    from codeahead.sitemaps import register
    register("jobs", JobSitemap)

Each section is a file, /sitemap-<section>.xml, paged (?p=2) at its `limit` URLs, at most
50,000 as the protocol allows; the index lists every page of every section. Only public
pages belong here: what a guest may read without an account.
"""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
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
    """One file of a section: Django's sitemap view, but written without the template engine,
    which took over a second for 50,000 URLs (bench/sitemap.py)."""
    sitemap_class = _sections.get(section)
    if sitemap_class is None:
        raise Http404("No such sitemap")
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the sitemap") from None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for url in urls:
        day = _day(url["lastmod"])
        lastmod = f"<lastmod>{day}</lastmod>" if day else ""
        lines.append(f"<url><loc>{escape(url['location'])}</loc>{lastmod}</url>")
    lines.append("</urlset>\n")
    response = HttpResponse("\n".join(lines), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"  # the file itself, as Django's view says
    latest = getattr(sitemap, "latest_lastmod", None)  # set by get_urls when every URL has one
    if latest is not None:
        response["Last-Modified"] = http_date(_moment(latest).timestamp())
    return _public(response)


def _day(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def _moment(value: datetime.date | datetime.datetime) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value, datetime.UTC)
