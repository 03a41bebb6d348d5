"""`{% list_title item as title %}`: a code's title in a list, for the reader of the request
being rendered, if any (lookup/list_titles.py); a fragment rendered for nobody in particular
gets the public title only."""

from __future__ import annotations

from django import template

from lookup import list_titles

register = template.Library()


@register.simple_tag(takes_context=True, name="list_title")
def list_title(context, code) -> str:
    request = context.get("request")
    return list_titles.list_title(code, plain_words=list_titles.plain_words_in_lists(request))
