from __future__ import annotations

from django.urls import path

from jobs import feeds, views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("feed/", feeds.JobSearchFeed(), name="feed"),
    path("<int:pk>/edit/", views.job_edit, name="edit"),
    path("<int:pk>/submit/", views.job_submit, name="submit"),
    path("<int:pk>/renew/", views.job_renew, name="renew"),
    path("<int:pk>/remove/", views.job_remove, name="remove"),
    # After the actions above: a job's slug never takes one of their names (Job.slug).
    path("<int:pk>/<str:slug>/", views.job_detail, name="detail"),
    path("post/", views.job_new, name="new"),
    path("employer/", views.employer_profile, name="employer"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("moderate/", views.moderate_queue, name="moderate"),
    path("moderate/<int:pk>/", views.moderate_job, name="moderate_job"),
    path("moderate/employers/<int:pk>/verify/", views.verify_employer, name="verify_employer"),
    path("saved/", views.saved_searches, name="saved"),
    path("saved/<int:pk>/delete/", views.saved_search_delete, name="saved_delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
