from __future__ import annotations

from django.contrib import admin
from django.db import models

from jobs import actions as job_actions
from jobs.models import Employer, Job, SavedSearch

# Addresses typed without a scheme are https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["organisation", "website", "contact_email", "verified_at", "created_at"]
    list_filter = [("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["organisation", "contact_email", "user__email"]
    raw_id_fields = ["user", "verified_by"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["verify"]

    @admin.action(description="Verify the selected employers")
    def verify(self, request, queryset):
        for employer in queryset.filter(verified_at__isnull=True):
            job_actions.verify_employer(employer=employer, moderator=request.user)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "employer", "status", "setting", "state", "approved_at", "expires_at"]
    list_filter = ["status", "setting", "employment_type", "specialty"]
    search_fields = ["title", "employer__organisation"]
    raw_id_fields = ["employer", "reviewed_by"]
    readonly_fields = [
        "created_at",
        "updated_at",
        "submitted_at",
        "created_from",
        "annual_salary_min",
        "annual_salary_max",
    ]
    exclude = ["search_vector"]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "alerts_on", "last_sent_at"]
    list_filter = ["frequency", "alerts_on"]
    raw_id_fields = ["user"]
