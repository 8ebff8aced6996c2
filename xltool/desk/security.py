"""What keeps the desk safe: unit tokens (256 bits, derived from the data folder's key so that ``xltool desk links``
can print them again; only their SHA-256 is stored), the office password (scrypt), session and CSRF tokens, rate
limits, the upload size limit and the security headers of every response."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KEY_FILE = "desk.key"


def load_key(data: Path, create: bool = False) -> bytes:
    """The data folder's secret key (32 random bytes in ``desk.key``, readable by its owner only)."""
    path = data / KEY_FILE
    if not path.exists():
        if not create:
            raise FileNotFoundError(path)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(base64.b64encode(key))
        return key
    return base64.b64decode(path.read_bytes().strip())


def unit_token(key: bytes, code: str, generation: int) -> str:
    """A unit's link token: HMAC-SHA256 of its code and link generation under the folder's key (256 bits)."""
    digest = hmac.new(key, f"unit:{code}:{generation}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def digest(token: str) -> str:
    """What is stored of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    derived = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return "scrypt$16384$8$1$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(derived).decode()


def check_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, derived = stored.split("$")
        expected = base64.b64decode(derived)
        got = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def new_secret() -> str:
    """A one-time password, an API key or a session id: 128 bits and more, URL-safe."""
    return secrets.token_urlsafe(24)


def unit_csrf(key: bytes, token_hash: str) -> str:
    """The CSRF token of a unit's pages: bound to its link, so a page of one unit cannot post for another."""
    return hmac.new(key, f"csrf:{token_hash}".encode(), hashlib.sha256).hexdigest()[:40]


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds for each key (a unit's uploads, an address's logins), in
    this process."""

    def __init__(self, limit: int, window: float):
        self.limit, self.window = limit, window
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            return True


#: Every page and file of the desk is served with these: no script but the desk's own, no framing, no sniffing,
#: no referrer (a unit's link is its key: it must not leak to another site).
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        b"base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class Guard:
    """ASGI middleware around the whole desk: the security headers on every response, and an upload whose declared
    length is over the limit answered 413 with ``refuse(path)`` before a byte of it is read. (A body without a
    declared length is counted while it is read: Starlette's ``max_body_size``.)"""

    def __init__(self, app: ASGIApp, max_body: int, refuse: Callable[[str], tuple[bytes, bytes]]):
        self.app, self.max_body, self.refuse = app, max_body, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in HEADERS if h[0] not in names]
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            body, media = self.refuse(scope.get("path", ""))
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())],
                }
            )
            await send_with_headers({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)
