from __future__ import annotations

from django.contrib import admin
from django.urls import include, path, re_path

from codeahead import views
from codeahead.routes import COMING, SITE

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),  # the account page, before allauth's
    path("accounts/", include("allauth.urls")),
    path("healthz", views.health, name="health"),
    path("healthz/db", views.health_database, name="health_database"),
    # Feature apps mount here, before lookup's /<system>/... routes.
    path("consultant/", include("consultant.urls")),
    path("", include("casepilot.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("rules.urls")),  # modifiers/, check/, pos/
    path("api/", include("api.urls")),
    # Whatever those prefixes do not serve is a 404, never a code system's page.
    re_path(rf"^(?:{'|'.join(SITE + COMING)})(?:/.*)?$", views.not_found, name="reserved"),
    path("", include("lookup.urls")),
]
