from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from codeahead import outbox
from codeahead.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = [
        "subject",
        "recipients",
        "outcome",
        "attempts",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "name"]
    search_fields = ["subject", "to"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="to")
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.display(description="outcome", ordering="status")
    def outcome(self, email: OutboundEmail) -> str:
        if email.status == OutboundEmail.Status.FAILED:
            return f"Gave up after {email.attempts} attempts: {email.last_error}"
        if email.status == OutboundEmail.Status.PENDING and email.attempts:
            return (
                f"Retrying at {timezone.localtime(email.next_attempt_at):%Y-%m-%d %H:%M}: {email.last_error}"
            )
        return email.get_status_display()

    @admin.action(description="Send again (reset attempts)", permissions=["view"])
    def send_again(self, request, queryset) -> None:
        count = outbox.send_again(queryset)
        self.message_user(request, f"{count} email(s) will be sent again.", messages.SUCCESS)
