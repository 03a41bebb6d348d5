from __future__ import annotations

from django.urls import path

from rules import views

app_name = "rules"

urlpatterns = [
    path("modifiers/", views.modifier_list, name="modifiers"),
    path("modifiers/<str:modifier>/", views.modifier_detail, name="modifier"),
    path("check/", views.check, name="check"),
    path("pos/", views.pos_list, name="pos_list"),
    path("pos/<str:code>/", views.pos_detail, name="pos"),
]
