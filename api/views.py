"""The members' API keys page, and the JSON 404 for any other path under /api/."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from api.errors import error_response
from api.keys import KeyRefused, api_key_create, api_key_revoke
from api.models import ApiKey

MAX_NAME = 100


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def keys(request: HttpRequest) -> HttpResponse:
    """The account's keys; a new key's token is shown once, in the response that made it."""
    token, error, name = None, None, ""
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            key, token = api_key_create(user=request.user, name=name.replace("\x00", ""))
        except KeyRefused as refusal:
            error, status = str(refusal), 400
        else:
            name = ""
    context = {
        "keys": ApiKey.objects.filter(user=request.user),
        "token": token,
        "error": error,
        "name": name[:MAX_NAME],
        "max_name": MAX_NAME,
    }
    response = render(request, "api/keys.html", context, status=status)
    # A page holding a token must not be kept by the browser or any cache.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    if not api_key_revoke(user=request.user, key_id=key_id):
        raise Http404("No such key")
    messages.success(request, "The key is revoked: requests that use it are refused from now on.")
    return redirect("api_keys")


def not_found(request: HttpRequest) -> HttpResponse:
    return error_response(404, f"No API resource at {request.path[:200]}: see /api/v1/docs.")
