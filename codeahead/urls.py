from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Feature apps before lookup: its /<system>/ routes would take their prefixes.
    path("", include("casepilot.urls")),
    path("", include("lookup.urls")),
]
