"""django-anymail's webhook URLs (/anymail/<provider>/inbound/ and the like), each answering a
malformed post with a 400 instead of a 500.

anymail parses a provider's post itself: a body that is not the provider's JSON or form
(someone else posting, a broken proxy) raises ValueError, KeyError... inside its view. Those
are the caller's fault; a database error stays a 500, so the provider sends the email again.
"""

from __future__ import annotations

import logging
from functools import wraps

from anymail import urls as anymail_urls
from django.http import HttpResponseBadRequest
from django.urls import URLPattern

log = logging.getLogger(__name__)

MALFORMED = (ValueError, KeyError, TypeError, AttributeError, IndexError)


def _malformed_is_bad_request(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except MALFORMED as error:
            log.warning("Malformed post to %s: %s: %s", request.path, type(error).__name__, error)
            return HttpResponseBadRequest("Malformed webhook post")

    return wrapper


app_name = anymail_urls.app_name
urlpatterns = [
    URLPattern(
        pattern.pattern, _malformed_is_bad_request(pattern.callback), pattern.default_args, pattern.name
    )
    for pattern in anymail_urls.urlpatterns
]
