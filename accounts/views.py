"""The account's own pages: what it used this period, and the verification email sent again."""

from __future__ import annotations

from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from meter.middleware import AWAITING_VERIFICATION
from meter.services import account_usage

# Where the verification link returns to (the code page that asked for the email again);
# read by accounts.adapter.AccountAdapter.get_email_verification_redirect_url.
RETURN_AFTER_VERIFICATION = "codeahead_return_after_verification"


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_safe
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """The reader's own account: plan, this period's uses, the codes it may reopen free."""
    user = request.user
    address = EmailAddress.objects.filter(user=user).order_by("-primary", "-verified").first()
    return render(
        request,
        "accounts/account.html",
        {"address": address, "usages": account_usage(user=user, now=timezone.now())},
    )


@require_POST
def send_confirmation_again(request: HttpRequest) -> HttpResponse:
    """Send the verification link again: to the logged-in account's unverified address, or to
    the address this guest browser signed up (or tried to log in) with.

    allauth's own resend sends it, under allauth's rate limit (one email per address every
    few minutes): a refused resend says so without telling whether the address has an account.
    """
    if request.user.is_authenticated:
        address = EmailAddress.objects.filter(user=request.user, verified=False).order_by("-primary").first()
        email = address.email if address else request.user.email
    else:
        email = request.session.get(AWAITING_VERIFICATION, "")
        address = EmailAddress.objects.filter(email__iexact=email, verified=False).first() if email else None
    target = _safe_next(request)
    if not email:
        return redirect(target or "account_login")
    if request.user.is_authenticated and address is None:
        messages.info(request, f"{email} is verified already.")
        return redirect(target or "account")
    if target and not target.startswith("/accounts/"):
        # The code page (or other page) that asked: the verification link leads back to it.
        request.session[RETURN_AFTER_VERIFICATION] = target
    # allauth adds its own "Confirmation email sent" message when it sends.
    if address is None or not send_verification_email_to_address(request, address):
        messages.info(
            request,
            f"We emailed {email} a few minutes ago. Give it a moment to arrive (look in spam too);"
            " you can ask again in a few minutes.",
        )
    return redirect(target or "account")
