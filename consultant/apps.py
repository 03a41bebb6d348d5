from __future__ import annotations

from django.apps import AppConfig


class ConsultantConfig(AppConfig):
    """CaseConsultant: members ask a coding expert; consultants answer from a queue; the best
    answers, rewritten without anything personal, become the public knowledge base."""

    name = "consultant"
    verbose_name = "CaseConsultant"
