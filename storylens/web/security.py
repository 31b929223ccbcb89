"""What every request passes before the app sees it: the Host it names, the token of a write,
the size of its body. Each is a small ASGI wrapper, so a refused request is answered before its
body is read.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Iterable

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def host_name(header: str) -> str:
    """The name in a Host header, without port, brackets or trailing dot, lower-cased."""
    name = header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name[1:]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    return name.rstrip(".")


def is_served(name: str, names: set[str]) -> bool:
    """Whether a request for host `name` is for this server: one of `names`, or an IP address
    (an address cannot be rebound, so only a DNS name can carry a foreign page to us)."""
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class HostCheck:
    """Answers 400 to a request whose Host header names a host this server does not serve
    (a DNS-rebinding page reaching a local storylens names the attacker's host)."""

    def __init__(self, app, names: Iterable[str]):
        self.app = app
        self.names = {"localhost", *(host_name(n) for n in names if n)}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        header = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
        if not is_served(host_name(header), self.names):
            return await answer(send, 400, "unknown host: this server answers only the names it serves")
        return await self.app(scope, receive, send)


class WriteAuth:
    """Answers 401 to a write under /api/ that lacks the exact `Authorization: Bearer <token>`
    header, before any of its body is read (compared in constant time; no token, no writes)."""

    def __init__(self, app, token: str | None):
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] in WRITES and scope["path"].startswith("/api/"):
            given = dict(scope.get("headers") or []).get(b"authorization", b"")
            if not self.token or not hmac.compare_digest(given, f"Bearer {self.token}".encode()):
                return await answer(
                    send, 401, "a bearer token is needed to write", [(b"www-authenticate", b"Bearer")]
                )
        return await self.app(scope, receive, send)


class BodyLimit:
    """Answers 413 to a request whose body is larger than `limit` bytes, declared or streamed."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await answer(send, 413, "request body too large")
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                from fastapi import HTTPException

                raise HTTPException(413, "request body too large")
            return message

        return await self.app(scope, counted, send)


async def answer(send, status: int, detail: str, headers: list[tuple[bytes, bytes]] = ()) -> None:
    """A JSON `{"detail": ...}` answer, as FastAPI gives its own errors."""
    body = json.dumps({"detail": detail}).encode()
    start = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": start + list(headers)})
    await send({"type": "http.response.body", "body": body})


CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """Puts the Content-Security-Policy (no inline script, nothing from elsewhere) and its
    companions on every response, the refusals above included."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in HEADERS}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = message | {"headers": kept + HEADERS}
            return await send(message)

        return await self.app(scope, receive, with_headers)
