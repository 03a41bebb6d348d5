"""Who is asking, by network address: the one place every per-client limit reads it from.

The code page meter's per-address cap and the search rate limit both key on
address_hash(client_address(request)), so a proxy setting applies to every limit at once.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, unless settings name a trusted proxy header.

    With TRUSTED_PROXY_HEADER and TRUSTED_PROXY_COUNT = n, the n-th address from the right is
    the one our outermost proxy saw; anything left of it may be forged by the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    header, count = settings.TRUSTED_PROXY_HEADER, settings.TRUSTED_PROXY_COUNT
    if header and count > 0:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [hop.strip() for hop in value.split(",") if hop.strip()]
        if len(hops) >= count:
            try:
                return str(ipaddress.ip_address(hops[-count]))
            except ValueError:
                pass
    return remote


def address_hash(address: str) -> str:
    """A keyed hash of the address (never stored raw); IPv6 counts per /64, what one home gets."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        normal = address
    else:
        if ip.version == 6 and ip.ipv4_mapped:  # a dual-stack socket's view of an IPv4 client
            ip = ip.ipv4_mapped
        normal = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    return hmac.new(
        settings.SECRET_KEY.encode(), f"guest-address:{normal}".encode(), hashlib.sha256
    ).hexdigest()


def client_key(request: HttpRequest) -> str:
    """The request's client address as every limit counts it: a keyed hash, never raw."""
    return address_hash(client_address(request))
