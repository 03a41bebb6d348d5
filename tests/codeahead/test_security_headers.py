"""Content-Security-Policy and Permissions-Policy on every response; templates the policy allows
(issue 17, item 9). tests/codeahead/test_content_security_policy_browser.py runs the pages in Chromium."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.usefixtures("demo_codes")

TEMPLATES = settings.BASE_DIR / "templates"
# What the policy refuses in a page: a script that is not a file (JSON data blocks are not run),
# a <style> block, a style="" attribute, an on*="" handler, a javascript: link.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")"
    r"|<style\b|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=diabetes",
        "/icd-10-cm/E11.9/",
        "/no-such-page/",
        "/accounts/login/",
        "/jobs/",
        "/casepilot/",
        "/api/v1/systems",
        "/healthz",
        "/static/css/site.css",
    ],
)
def test_every_response_has_both_policies(client, path):
    response = client.get(path)

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_only_the_admin_allows_style_attributes_and_nothing_else(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]

    assert "style-src-attr 'unsafe-inline'" in policy
    assert "script-src 'self';" in policy and "style-src 'self';" in policy


def test_no_template_has_inline_script_or_style():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]

    assert found == []


def test_the_pattern_finds_what_the_policy_refuses():
    refused = [
        "<script>go()</script>",
        "<style>p{}</style>",
        '<p style="x">',
        '<a onclick="x">',
        'href="javascript:x"',
    ]
    allowed = [
        '<script src="/static/js/search.js" defer></script>',
        '<script type="application/ld+json">{}</script>',
    ]

    assert all(INLINE.search(text) for text in refused)
    assert not any(INLINE.search(text) for text in allowed)


def test_htmx_is_told_not_to_inject_its_indicator_styles(client):
    head = client.get("/").content.decode().split("</head>")[0]

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>""" in head
    assert ".htmx-request .htmx-indicator" in (settings.BASE_DIR / "static/css/site.css").read_text()
