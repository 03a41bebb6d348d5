from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from codeahead import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("healthz", views.health, name="health"),
    path("healthz/db", views.health_database, name="health_database"),
    # Feature apps before lookup's /<system>/ routes.
    path("consultant/", include("consultant.urls")),
    path("", include("lookup.urls")),
]
