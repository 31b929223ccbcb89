"""The SSRF guard: a URL is fetched only if every address its host resolves to is public.

Every range of IANA's IPv4 and IPv6 special-purpose registries is refused (loopback, private,
link-local with the cloud metadata at 169.254.169.254, carrier-grade NAT, documentation,
benchmarking, multicast, reserved...), and an IPv6 address that carries an IPv4 one (IPv4-mapped,
NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address it carries; Teredo is refused
outright. Private addresses pass only when explicitly allowed (intranets, the tests' loopback
server). The fetcher checks the URL before the first request and on every redirect, and then
connects to an address this check approved, never to a second resolution of the name. The
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


# IANA's special-purpose address registries (RFC 6890 and later), and multicast and reserved space.
NOT_PUBLIC = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24",
        "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "::ffff:0:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
        "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    )
]  # fmt: skip
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address: str) -> bool:
    """Whether `address` is a globally reachable unicast address (an IPv4 address carried in
    IPv6 is judged by itself)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped or ip.sixtofour:
            ip = ip.ipv4_mapped or ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not any(ip in network for network in NOT_PUBLIC if network.version == ip.version)


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
