"""The admin under the site's own name, with one Accounts group (users, groups, emails)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

# Apps whose models belong with our users on the admin's index, not in groups of their own.
ACCOUNT_APPS = ("auth", "account")


class CodeAheadAdminSite(admin.AdminSite):
    site_header = "CodeAhead administration"
    site_title = "CodeAhead admin"
    index_title = "Site administration"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        ours = next((app for app in apps if app["app_label"] == "accounts"), None)
        if ours is None:
            return apps
        for app in [app for app in apps if app["app_label"] in ACCOUNT_APPS]:
            ours["models"] += app["models"]
            apps.remove(app)
        ours["models"].sort(key=lambda model: model["name"])
        return apps


class CodeAheadAdminConfig(AdminConfig):
    default_site = "codeahead.admin_site.CodeAheadAdminSite"
