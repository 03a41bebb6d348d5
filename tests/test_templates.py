"""Site-wide template rules: every stylesheet is linked in base.html's head, so every page
gets the same styles and none arrives mid-page (a Content-Security-Policy will allow only
linked styles); and no template syntax ever reaches a reader."""

from __future__ import annotations

import pytest
from django.conf import settings

CSS = sorted((settings.BASE_DIR / "static" / "css").glob("*.css"))
TEMPLATES = settings.BASE_DIR / "templates"


@pytest.mark.django_db
def test_every_stylesheet_is_linked_in_the_head_of_the_pages(client):
    html = client.get("/").content.decode()
    head = html[: html.index("</head>")]

    assert CSS
    for stylesheet in CSS:
        assert f'href="/static/css/{stylesheet.name}"' in head


def test_no_template_but_the_layouts_links_a_stylesheet():
    # 500.html stands alone: it must render when nothing else can.
    layouts = {TEMPLATES / "base.html", TEMPLATES / "500.html"}
    linking = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path not in layouts and ("stylesheet" in path.read_text() or "<style" in path.read_text())
    ]

    assert linking == []


@pytest.mark.usefixtures("demo_codes", "member")
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=diabetes",
        "/icd-10-cm/S52.521A/",
        "/hcpcs/J1100/",
        "/cpt/range/77261-77799/",
        "/icd-10-cm/",
    ],
)
def test_no_template_syntax_reaches_the_page(client, path):
    html = client.get(path).content.decode()

    for syntax in ["{#", "#}", "{%", "%}", "{{", "}}"]:
        assert syntax not in html
