from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.account, name="account"),
    path("email/send-again/", views.send_confirmation_again, name="account_send_confirmation_again"),
]
