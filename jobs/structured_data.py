"""schema.org JobPosting for an open job's page, as search engines read it."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from jobs.choices import SCHEMA_EMPLOYMENT_TYPE, SCHEMA_PAY_UNIT, WorkSetting
from jobs.markup import render_markdown
from jobs.models import Job

# As django.utils.html.json_script: no "</script>", "<!--" or "&" can end the script early.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def job_posting(job: Job) -> dict:
    site = settings.SITE_URL.rstrip("/")
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": render_markdown(job.description)
        + (render_markdown(job.requirements) if job.requirements else ""),
        "datePosted": job.approved_at.date().isoformat(),
        "validThrough": job.expires_at.isoformat(),
        "employmentType": SCHEMA_EMPLOYMENT_TYPE[job.employment_type],
        "hiringOrganization": {
            "@type": "Organization",
            "name": job.employer.organisation,
            "sameAs": job.employer.website,
        },
        "url": site + job.get_absolute_url(),
        "identifier": {"@type": "PropertyValue", "name": job.employer.organisation, "value": str(job.pk)},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": float(job.salary_min),
                "maxValue": float(job.salary_max),
                "unitText": SCHEMA_PAY_UNIT[job.salary_period],
            },
        },
    }
    if job.setting == WorkSetting.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = (
            {"@type": "State", "name": job.get_state_display_name()}
            if job.state
            else {"@type": "Country", "name": "USA"}
        )
    if job.setting != WorkSetting.REMOTE or job.city:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": job.city,
                "addressRegion": job.state,
                "addressCountry": "US",
            },
        }
    return data


def as_script(data: dict) -> SafeString:
    """The one inline script the page has: JSON-LD, never executable."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above
