from __future__ import annotations

from django.urls import path

from lookup import views
from lookup.search import views as search_views

app_name = "lookup"

urlpatterns = [
    path("", views.home, name="home"),
    path("search", search_views.search, name="search"),
    path("code/<str:code>/", views.code_any_system, name="code_any"),
    path("<str:system>/", views.system_detail, name="system"),
    path("<str:system>/changes/", views.latest_changes, name="latest_changes"),
    path("<str:system>/changes/<str:release>/", views.release_changes, name="changes"),
    path("<str:system>/browse/<str:code>/", views.browse, name="browse"),
    path("<str:system>/range/<str:span>/", views.code_range, name="range"),
    path("<str:system>/<str:code>/", views.code_detail, name="code"),
]
