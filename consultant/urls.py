from __future__ import annotations

from django.urls import path, register_converter

from consultant import views


class TrackingNumber:
    """CC-2026-000123: anything else is no question at all (a 404 before any query)."""

    regex = r"CC-[0-9]{4}-[0-9]{6,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TrackingNumber, "tracking")

app_name = "consultant"

urlpatterns = [
    path("", views.my_questions, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("queue/", views.queue, name="queue"),
    path("kb/", views.knowledge_base, name="kb"),
    path("kb/<slug:slug>/", views.article, name="article"),
    path("<tracking:tracking>/", views.question_detail, name="question"),
    path("<tracking:tracking>/reply/", views.reply, name="reply"),
    path("<tracking:tracking>/close/", views.close, name="close"),
    path("<tracking:tracking>/claim/", views.claim, name="claim"),
    path("<tracking:tracking>/work/", views.work, name="work"),
    path("<tracking:tracking>/publish/", views.publish, name="publish"),
]
