"""One article, one URL: the forms an article is seen under (tracking parameters, AMP pages,
mobile hosts, fragments, default ports, letter case of the host) normalised to one key."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say where a click came from, not which page it is.
TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_ga|_gl|ref|ref_src|cmpid|"
    r"ocid|sr_share|smid|partner|share|s_cid|at_medium|at_campaign|guccounter|outputType)$",
    re.IGNORECASE,
)
MOBILE_HOST = re.compile(r"^(m|mobile|amp)\.")
AMP_PATH = re.compile(r"(/amp/?$|\.amp(?=\.html?$|$)|/amp(?=/))")


def normalize(url: str) -> str:
    """The key an article's URL is known by. Only http(s) URLs are normalised; others are returned
    unchanged (and the fetcher refuses them)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        return url.strip()
    host = MOBILE_HOST.sub("", parts.hostname.lower().rstrip("."))
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = AMP_PATH.sub("", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = urlencode(
        sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k))
    )
    return urlunsplit(("https", netloc, path, query, ""))


def canonical_link(html: str, base: str) -> str | None:
    """The page's <link rel="canonical" href="..."> as an absolute http(s) URL, if it has one."""
    from urllib.parse import urljoin

    match = re.search(r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>", html[:200_000], re.IGNORECASE)
    if not match:
        return None
    href = re.search(r"\bhref=[\"']([^\"']+)[\"']", match.group(0), re.IGNORECASE)
    if not href:
        return None
    target = urljoin(base, href.group(1).strip())
    return target if urlsplit(target).scheme in {"http", "https"} else None
