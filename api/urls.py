from __future__ import annotations

from django.urls import path, re_path

from api import views
from api.v1 import api

# No app namespace: the API itself is namespaced "api_v1" (api/v1.py), at the top level.
urlpatterns = [
    path("keys/", views.keys, name="api_keys"),
    path("keys/<int:key_id>/revoke", views.revoke, name="api_key_revoke"),
    path("v1/", api.urls),
    # Anything else under /api/ is a JSON 404, in the API's error shape.
    re_path(r"^.*$", views.not_found, name="api_not_found"),
]
