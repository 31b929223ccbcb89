"""The SSRF guard: a URL is fetched only if every address its host resolves to is public.

Loopback, private, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast,
reserved and unspecified addresses are refused, IPv4 and IPv6 alike (IPv4-mapped IPv6 included),
unless private addresses are explicitly allowed (intranet use, and the tests' own loopback
server). The fetcher checks the URL before the first request and again on every redirect. The
resolver is a parameter so that tests can point a host name anywhere without any DNS.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """A URL the fetcher will not request, with the reason."""


def system_resolver(host: str, port: int) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in ipaddress.ip_network("100.64.0.0/10"):  # carrier-grade NAT
        return False
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check(url: str, *, allow_private: bool = False, resolver: Resolver = system_resolver) -> list[str]:
    """The addresses `url` may be fetched from; raises Refused when it may not be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise Refused(f"{url}: only http and https are fetched")
    if not parts.hostname:
        raise Refused(f"{url}: no host")
    if parts.username or parts.password:
        raise Refused(f"{url}: credentials in URLs are not sent")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolver(parts.hostname, port)
    except (OSError, UnicodeError) as exc:
        raise Refused(f"{url}: {parts.hostname} does not resolve ({exc})") from exc
    if not addresses:
        raise Refused(f"{url}: {parts.hostname} does not resolve")
    if not allow_private:
        blocked = [a for a in addresses if not is_public(a)]
        if blocked:
            raise Refused(
                f"{url}: {parts.hostname} resolves to a non-public address ({', '.join(blocked)}); "
                "use --allow-private to fetch from a private network"
            )
    return addresses
