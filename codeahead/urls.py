from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # Feature prefixes (modifiers/, check/, pos/) before lookup's /<system>/ routes.
    path("", include("rules.urls")),
    path("", include("lookup.urls")),
]
