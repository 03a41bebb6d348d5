from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Before lookup's /<system>/ routes, which would read "jobs" as a code system.
    path("jobs/", include("jobs.urls")),
    path("", include("lookup.urls")),
]
