"""The client's address for the login lockout, also behind a reverse proxy.

Behind a proxy every request's ``REMOTE_ADDR`` is the proxy's, so without this the whole
organisation would share one count of failed logins and one lockout. ``X-Forwarded-For`` is only
believed when the request comes from a proxy we were told to trust: a client that sets the header
itself, straight to the app, cannot choose the address it is counted under.

Two ways to say which proxies are trusted (docs/accounts.md, docs/operations.md):

- ``KLACHTENREGISTER_TRUSTED_PROXIES``: the proxies' addresses or networks. The client is the
  right-most address in ``REMOTE_ADDR`` and ``X-Forwarded-For`` that is not one of them.
- ``KLACHTENREGISTER_PROXY_COUNT``: how many proxies stand in front of the app, each appending
  the address it received from. The client is that many places from the right.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 1.2.3.4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: str, networks: Sequence[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The address django-axes counts failed logins under (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = str(request.META.get("REMOTE_ADDR") or "").strip()
    networks: Sequence[Network] = getattr(settings, "TRUSTED_PROXIES", ())
    count: int = getattr(settings, "PROXY_COUNT", 0)
    if not networks and not count:
        return remote or None
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        if part.strip()
    ]
    # The hops, nearest last: each proxy appended the address it received the request from.
    hops = [*forwarded, remote] if remote else forwarded
    if networks:
        if not remote or not _trusted(remote, networks):
            return remote or None  # not through a trusted proxy: the header is the client's own
        for hop in reversed(hops):
            if not _trusted(hop, networks):
                return _normalised(hop, remote)
        return _normalised(hops[0], remote)  # only proxies: the farthest one
    # A fixed number of proxies: the client is that many hops from the right. With fewer hops
    # the request did not come through all of them: the farthest address there is.
    index = max(len(hops) - 1 - count, 0)
    return _normalised(hops[index], remote)


def _normalised(hop: str, remote: str) -> str | None:
    parsed = _address(hop)
    # A proxy that forwards something that is not an address: count it under the proxy's own
    # (axes stores an address column, and the client must not choose what it counts under).
    return str(parsed) if parsed is not None else (remote or None)
