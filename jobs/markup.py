"""Job descriptions: a safe subset of Markdown, rendered and then cleaned by an allow-list.

markdown-it-py parses with raw HTML off (typed HTML shows as text) and without images; nh3
(the Ammonia sanitizer) then keeps only the tags and attributes below, drops every event
handler and script, allows http(s) and mailto links only, and marks each link nofollow.
Rendering the cleaned subset is the only way description text reaches a page.
"""

from __future__ import annotations

import html

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    ["image", "html_block", "html_inline"]
)


def render_markdown(text: str) -> str:
    """Safe HTML for a description typed in Markdown."""
    html = _markdown.render(text or "")
    # Headings shift down two levels: a job's own title is the page's only h1/h2.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The description without any markup, for feeds, emails and snippets."""
    return html.unescape(nh3.clean(render_markdown(text), tags=set())).strip()
