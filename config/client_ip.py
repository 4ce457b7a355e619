"""The client's address, for login throttling: ``X-Forwarded-For`` only from our proxies.

Behind the reverse proxy every request comes from the proxy's address; keyed on that,
five wrong passwords for an account would lock it for everyone. The proxy's
``X-Forwarded-For`` names the real client, but anyone can send that header, so it is
believed only when the request comes from an address in ``DJANGO_TRUSTED_PROXIES``.
The header is read from the right: each trusted proxy appends the address it saw, so the
first address that is not one of ours is the client. (django-ipware expects the proxies
themselves to appear in the header, which nginx's ``$proxy_add_x_forwarded_for`` does
not do for the last hop.)
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(settings.SAMVERKAN_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in chain if a]):
        if address in trusted:
            continue
        return address if _valid(address) else remote
    return remote
