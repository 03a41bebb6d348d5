from __future__ import annotations

from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("", views.my_codes, name="codes"),
    path("codes.csv", views.export_csv, name="export"),
    path("codes/<int:code_id>/favourite/", views.favourite, name="favourite"),
    path("codes/<int:code_id>/note/", views.note, name="note"),
]
