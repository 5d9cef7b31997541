"""Which URLs the fetcher may touch, and one spelling per URL.

Only http(s), only the hosts configured for an outlet (and their
subdomains), and only public addresses: a feed that links to an intranet
address, a cloud metadata endpoint or a file:// path is refused with a
reason, before any connection is made. The guard returns the addresses it
checked, and the fetcher connects to one of those, never to a second answer
of the resolver (DNS rebinding: a name that resolves to a public address for
the check and to 127.0.0.1 for the connection).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from courlan import normalize_url

Resolver = Callable[[str], list[str]]


class UrlRefused(Exception):
    """The fetcher may not request this URL; the message says why, as a sentence."""


def canonical_url(url: str) -> str:
    """The URL without fragments and tracking parameters, host lower-cased (courlan's normalization)."""
    return normalize_url(url.strip(), strict=True)


def system_resolver(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def _address_refusal(host: str, address: ipaddress.IPv4Address | ipaddress.IPv6Address,
                     allow_private_address: bool) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    # Link-local holds the cloud metadata endpoint (169.254.169.254): no outlet, staging or not, lives there.
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        return (f"{host} resolves to a non-public address ({address}: link-local, multicast or unspecified), "
                "which is never fetched, not even for an outlet that allows private addresses")
    if address.is_global:
        return None
    if allow_private_address and (address.is_loopback or address.is_private):
        return None
    return (f"{host} resolves to a non-public address ({address}); private networks are not fetched unless the "
            "outlet sets allow_private_address: true in the outlets file")


def checked_addresses(
    url: str,
    allowed_hosts: Iterable[str],
    resolve: Resolver = system_resolver,
    allow_private_address: bool = False,
) -> list[str]:
    """The addresses ``url``'s host resolves to, every one of them allowed; ``UrlRefused`` otherwise.

    The host is resolved once, here: connect to one of these addresses, not to the name.
    ``allow_private_address`` (an outlet's opt-in, for a local or staging server) admits
    loopback and private-network addresses; link-local, multicast and unspecified ones never.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port out of range raises here, not at connection time)
    except ValueError:
        raise UrlRefused(f"not a valid URL: {url!r}") from None
    if parts.scheme not in ("http", "https"):
        raise UrlRefused(f"only http and https are fetched, not {parts.scheme or 'a relative URL'}:")
    if parts.username or parts.password:
        raise UrlRefused("URLs with credentials are not fetched")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise UrlRefused("the URL has no host")
    allowed = [h.lower().lstrip(".") for h in allowed_hosts]
    if not any(host == h or host.endswith("." + h) for h in allowed):
        raise UrlRefused(f"{host} is not a configured outlet host ({', '.join(allowed) or 'none configured'})")
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            addresses = [ipaddress.ip_address(a) for a in resolve(host)]
        except (OSError, ValueError) as error:
            raise UrlRefused(f"{host} does not resolve ({error})") from None
    if not addresses:
        raise UrlRefused(f"{host} does not resolve")
    for address in addresses:
        reason = _address_refusal(host, address, allow_private_address)
        if reason:
            raise UrlRefused(reason)
    return [str(address) for address in addresses]


def refusal_reason(
    url: str,
    allowed_hosts: Iterable[str],
    resolve: Resolver = system_resolver,
    allow_private_address: bool = False,
) -> str | None:
    """None when the fetcher may request ``url``; otherwise a sentence saying why not."""
    try:
        checked_addresses(url, allowed_hosts, resolve, allow_private_address)
    except UrlRefused as refusal:
        return str(refusal)
    return None
