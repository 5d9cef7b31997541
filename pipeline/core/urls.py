"""Which URLs the fetcher may touch, and one spelling per URL.

Only http(s), only the hosts configured for an outlet (and their
subdomains), and only public addresses: a feed that links to an intranet
address, a cloud metadata endpoint or a file:// path is refused with a
reason, before any connection is made.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from courlan import normalize_url

Resolver = Callable[[str], list[str]]


def canonical_url(url: str) -> str:
    """The URL without fragments and tracking parameters, host lower-cased (courlan's normalization)."""
    return normalize_url(url.strip(), strict=True)


def system_resolver(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def refusal_reason(
    url: str,
    allowed_hosts: Iterable[str],
    resolve: Resolver = system_resolver,
    allow_loopback: bool = False,
) -> str | None:
    """None when the fetcher may request ``url``; otherwise a sentence saying why not.

    ``allow_loopback`` exists for tests against a server on 127.0.0.1; a
    private, link-local, multicast or reserved address is never allowed.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"not a valid URL: {url!r}"
    if parts.scheme not in ("http", "https"):
        return f"only http and https are fetched, not {parts.scheme or 'a relative URL'}:"
    if parts.username or parts.password:
        return "URLs with credentials are not fetched"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "the URL has no host"
    allowed = [h.lower().lstrip(".") for h in allowed_hosts]
    if not any(host == h or host.endswith("." + h) for h in allowed):
        return f"{host} is not a configured outlet host ({', '.join(allowed) or 'none configured'})"
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a) for a in resolve(host)]
        except OSError as error:
            return f"{host} does not resolve ({error})"
    if not addresses:
        return f"{host} does not resolve"
    for address in addresses:
        if address.is_loopback and allow_loopback:
            continue
        if not address.is_global or address.is_multicast:
            return f"{host} resolves to a non-public address ({address}); private networks are never fetched"
    return None
