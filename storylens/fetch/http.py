"""Polite, guarded HTTP: the only way storylens fetches from the web.

Every request: the SSRF guard first (again on each redirect, followed by hand, at most
MAX_REDIRECTS), then a connection to an address the guard approved and to no other (the URL is
rewritten to that address; the Host header and the TLS server name, hence the certificate
check, stay the host's), so a name that resolves differently a second time (DNS rebinding)
cannot steer it; no proxy from the environment, no kept-alive connection; robots.txt honoured
per host (cached), at most one request per host every `delay` seconds, timeouts, a
response-size cap read as a stream, a clear User-Agent, gzip and brotli, conditional GET (ETag,
Last-Modified) so an unchanged feed costs a 304, and on 429 or 5xx a bounded exponential backoff
with jitter that honours Retry-After.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from storylens.fetch.guard import Refused, Resolver, check, system_resolver

USER_AGENT = "storylens/0.1 (+https://github.com/storylens/storylens; news comparison research)"
MAX_BYTES = 10_000_000
MAX_REDIRECTS = 5
RETRIES = 3
MAX_WAIT = 60.0  # never sleep longer than this on one Retry-After


@dataclass
class Response:
    url: str  # after redirects
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: the charset the headers name, else what the content says."""
        from storylens.ingest.files import decode

        charset = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""), re.IGNORECASE)
        if charset:
            try:
                return self.body.decode(charset.group(1))
            except (LookupError, UnicodeDecodeError):
                pass
        return decode(self.body, self.url)


class FetchError(Exception):
    """A URL that could not be fetched, with the reason (refused, robots, too large, HTTP status...)."""


@dataclass
class Fetcher:
    allow_private: bool = False
    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    resolver: Resolver = system_resolver
    sleep: Callable[[float], None] = time.sleep
    transport: httpx.BaseTransport | None = None  # tests only: a transport that sends nothing
    _last: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, RobotFileParser | None] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"},
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),  # a pooled connection is one host's
            transport=self.transport,
        )

    def close(self) -> None:
        self.client.close()

    def get(
        self, url: str, *, etag: str | None = None, modified: str | None = None, robots: bool = True
    ) -> Response:
        """GET `url` politely; raises FetchError with the reason when it cannot or may not."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        for _ in range(MAX_REDIRECTS + 1):
            try:
                addresses = check(url, allow_private=self.allow_private, resolver=self.resolver)
            except Refused as exc:
                raise FetchError(str(exc)) from exc
            if robots and not self.allowed(url):
                raise FetchError(f"{url}: disallowed by robots.txt")
            response = self._with_retries(url, addresses, headers)
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            return response
        raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            parser: RobotFileParser | None = RobotFileParser()
            try:
                found = self.get(origin + "/robots.txt", robots=False)
                if found.status >= 400:
                    parser = None  # no robots.txt: everything is allowed
                else:
                    parser.parse(found.text().splitlines())
            except FetchError:
                parser = None
            self._robots[origin] = parser
        parser = self._robots[origin]
        return parser is None or parser.can_fetch(USER_AGENT, url)

    def _with_retries(self, url: str, addresses: list[str], headers: dict[str, str]) -> Response:
        for attempt in range(RETRIES + 1):
            self._wait_turn(url)
            response = self._once(url, addresses, headers)
            if response.status != 429 and response.status < 500:
                return response
            if attempt == RETRIES:
                raise FetchError(f"{url}: HTTP {response.status} after {RETRIES} retries")
            self.sleep(min(MAX_WAIT, retry_after(response.headers.get("retry-after")) or backoff(attempt)))
        raise AssertionError("unreachable")

    def _once(self, url: str, addresses: list[str], headers: dict[str, str]) -> Response:
        """One GET of `url` from the first of `addresses` that accepts a connection."""
        for address in addresses[:-1]:
            try:
                return self._from(url, address, headers)
            except FetchError as exc:
                if not isinstance(exc.__cause__, httpx.ConnectError):
                    raise
        return self._from(url, addresses[-1], headers)

    def _from(self, url: str, address: str, headers: dict[str, str]) -> Response:
        target, host, server_name = pinned(url, address)
        try:
            with self.client.stream(
                "GET", target, headers={**headers, "Host": host}, extensions={"sni_hostname": server_name}
            ) as stream:
                declared = stream.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(
                        f"{url}: {int(declared):,} bytes is over the {self.max_bytes:,}-byte limit"
                    )
                body = bytearray()
                for chunk in stream.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url}: over the {self.max_bytes:,}-byte limit")
                return Response(
                    url,
                    stream.status_code,
                    bytes(body),
                    {k.lower(): v for k, v in stream.headers.items()},
                )
        except httpx.HTTPError as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}"[:300]) from exc

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        with self._lock:
            wait = self._last.get(host, 0.0) + self.delay - time.monotonic()
            if wait > 0:
                self.sleep(wait)
            self._last[host] = time.monotonic()


def pinned(url: str, address: str) -> tuple[httpx.URL, str, str]:
    """`url` rewritten to connect to `address`, with the Host header and the TLS server name
    (which the certificate is checked against) of its own host."""
    parts = httpx.URL(url)
    name = parts.raw_host.decode("ascii")
    host = f"[{name}]" if ":" in name else name
    return parts.copy_with(host=address), host + (f":{parts.port}" if parts.port else ""), name


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter: up to 1, 2, 4... seconds."""
    return random.uniform(0, 2**attempt)


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
