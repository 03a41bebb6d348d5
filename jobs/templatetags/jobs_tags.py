from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from jobs.markup import plain_text, render_markdown
from jobs.models import Job
from jobs.structured_data import as_script, job_posting

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """A description's safe Markdown subset, sanitized (jobs.markup)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - nh3 cleaned it


@register.filter
def plain(text: str) -> str:
    return plain_text(text)


@register.simple_tag
def job_posting_jsonld(job: Job) -> SafeString:
    return as_script(job_posting(job))


@register.filter
def pay(job: Job) -> str:
    """$22–$28 per hour, $52,000–$65,000 per year."""

    def money(value) -> str:
        return f"${value:,.2f}" if value != int(value) else f"${int(value):,}"

    span = (
        money(job.salary_min)
        if job.salary_min == job.salary_max
        else f"{money(job.salary_min)}–{money(job.salary_max)}"
    )
    return f"{span} {job.get_salary_period_display()}"
