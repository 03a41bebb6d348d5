"""Descriptions are a safe Markdown subset: no payload below survives as markup that runs."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from jobs.markup import plain_text, render_markdown
from tests.jobs.conftest import make_employer, make_job

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "![x](javascript:alert(1))",
    '![x](https://x.example/a.png"onerror="alert(1))',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<iframe src=https://evil.example></iframe>",
    "<object data=https://evil.example/x.swf>",
    "<embed src=https://evil.example/x.swf>",
    '<form action="https://evil.example"><input name=pw></form>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">x</p>',
    "<body onload=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<base href=https://evil.example/>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<<script>alert(1)//<</script>",
    "<details open ontoggle=alert(1)>",
    '<a href="https://ok.example" target="_blank" onfocus="alert(1)" autofocus>x</a>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '"><script>alert(1)</script>',
    '[x](https://ok.example/"><script>alert(1)</script>)',
    "<textarea><script>alert(1)</script></textarea>",
    "<template><script>alert(1)</script></template>",
    "<isindex action=javascript:alert(1) type=image>",
]

# What may appear in the output: these tags only, and href/title/rel on links.
ALLOWED = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}


class Elements(HTMLParser):
    """The real elements of a piece of HTML, as a browser's parser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_harmless(payload):
    html = render_markdown(f"Intro text.\n\n{payload}\n\nMore text.")
    parser = Elements()
    parser.feed(html)
    assert parser.found, html  # the paragraphs around it at least
    for tag, attributes in parser.found:
        assert tag in ALLOWED, html
        assert set(attributes) <= {"href", "title", "rel"}, html
        if tag == "a":
            assert attributes["href"].startswith(("https://", "http://", "mailto:")), html
            assert "nofollow" in attributes["rel"], html


def test_markdown_subset_renders_and_links_are_nofollow():
    html = render_markdown(
        "## Duties\n\nCode **outpatient** *visits*.\n\n- ICD-10-CM\n- HCPCS\n\n[Our site](https://clinic.example/careers)"
    )
    assert "<h4>Duties</h4>" in html
    assert "<strong>outpatient</strong>" in html and "<em>visits</em>" in html
    assert "<li>ICD-10-CM</li>" in html
    assert '<a href="https://clinic.example/careers" rel="nofollow noopener ugc">Our site</a>' in html


def test_typed_html_shows_as_text():
    assert render_markdown("Use <b>bold</b>") == "<p>Use &lt;b&gt;bold&lt;/b&gt;</p>\n"
    assert plain_text("Use <b>bold</b> & **more**") == "Use <b>bold</b> & more"


@pytest.mark.django_db
def test_job_page_shows_a_script_payload_as_text(client):
    job = make_job(
        make_employer(),
        description='<script>alert("x")</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    html = client.get(job.get_absolute_url()).content.decode()
    body = html.split('<article class="job-page">')[1]
    assert "<script" not in body
    assert "&lt;script&gt;" in body
    assert "onerror=alert" not in body.replace("onerror=alert(1)&gt;", "")
    # The only inline scripts on the page are its JSON-LD.
    scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert scripts == [' type="application/ld+json"']
