from __future__ import annotations

from django.urls import path

from casepilot import views

app_name = "casepilot"

urlpatterns = [
    path("casepilot/", views.home, name="home"),
    path("casepilot/conversations/", views.conversations, name="conversations"),
    path("casepilot/conversations/<int:pk>/", views.conversation, name="conversation"),
    path("casepilot/conversations/<int:pk>/delete/", views.conversation_delete, name="conversation_delete"),
    path("casepilot/answers/<int:pk>/rate/", views.rate, name="rate"),
    path("casepilot/guides/", views.guides, name="guides"),
    path("casepilot/guides/<slug:slug>/", views.guide, name="guide"),
]
