from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from codeahead import sitemaps, views
from codeahead.routes import COMING, SITE

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),  # the account page, before allauth's
    path("accounts/", include("allauth.urls")),
    # django-anymail's webhooks: /anymail/<provider>/inbound/ (replies by email, consultant/inbound.py).
    path("anymail/", include("codeahead.webhooks")),
    path("healthz", views.health, name="health"),
    path("healthz/db", views.health_database, name="health_database"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    # Feature apps mount here, before lookup's /<system>/... routes.
    path("consultant/", include("consultant.urls")),
    path("", include("casepilot.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("rules.urls")),  # modifiers/, check/, pos/
    path("api/", include("api.urls")),
    path("members/", include("members.urls")),
    # Whatever those prefixes do not serve is a 404, never a code system's page.
    re_path(rf"^(?:{'|'.join(SITE + COMING)})(?:/.*)?$", views.not_found, name="reserved"),
    path("", include("lookup.urls")),
]
