from __future__ import annotations

from django.apps import AppConfig


class ConsultantConfig(AppConfig):
    """CaseConsultant: members ask a coding expert; consultants answer from a queue; the best
    answers, rewritten without anything personal, become the public knowledge base."""

    name = "consultant"
    verbose_name = "CaseConsultant"

    def ready(self) -> None:
        # Published answers and "Ask an expert" on every code page (lookup/sections.py).
        from consultant.sections import CONSULTANT
        from lookup.sections import register

        register(CONSULTANT)

        # Members' replies by email, from django-anymail's inbound webhooks.
        from anymail.signals import inbound

        from consultant.inbound import on_inbound

        inbound.connect(on_inbound, dispatch_uid="consultant.inbound")

        # The knowledge base's articles in /sitemap.xml.
        from codeahead.sitemaps import register as register_sitemap
        from consultant.sitemaps import KnowledgeBaseSitemap

        register_sitemap("kb", KnowledgeBaseSitemap)

        # CasePilot cites published answers that match a question (casepilot never imports us).
        from casepilot import sources
        from consultant.kb import casepilot_facts

        sources.register(casepilot_facts)
