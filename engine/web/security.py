"""What keeps the workspace to its users: access token, CSRF tokens, allowed hosts, response headers.

- **Access token.** Bound to another address than loopback, the server
  requires a token (``--token`` or ``DEALBOOK_TOKEN``). A browser presents it
  once, on the sign-in page or as ``?token=``; it then holds a cookie with an
  HMAC of the token, never the token itself. Scripts may send
  ``Authorization: Bearer TOKEN``.
- **CSRF.** Every POST carries a token (form field ``csrf`` or header
  ``X-CSRF-Token``) that must match the browser's CSRF cookie and be signed
  by the server (a signed double-submit cookie); the cookies are
  ``SameSite=Strict`` and ``HttpOnly``.
- **Hosts.** Without a token only ``127.0.0.1``, ``localhost`` and ``[::1]``
  are accepted in the ``Host`` header, so a web page elsewhere cannot reach
  the workspace through DNS rebinding.
- **Headers.** A Content-Security-Policy that allows scripts and styles from
  the server only (no inline script, no external request), no framing, no
  referrer, no content sniffing.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

__all__ = ["CSP", "LOOPBACK_HOSTS", "is_loopback", "Guard"]

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
CSRF_COOKIE = "dealbook_csrf"
ACCESS_COOKIE = "dealbook_access"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is reachable from this machine only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(header: str) -> str:
    """``127.0.0.1:8765`` → ``127.0.0.1``; ``[::1]:8765`` → ``::1``."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Guard:
    """The checks of one server: its secret, its access token (if any)."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token or None
        # With a token the secret derives from it, so pages stay valid across a restart.
        self.secret = hashlib.sha256(b"dealbook-web\0" + self.token.encode("utf-8")).digest() if self.token else secrets.token_bytes(32)

    def _sign(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()

    # --- hosts -------------------------------------------------------------------

    def host_allowed(self, host_header: str) -> bool:
        """Without a token only loopback names are accepted in ``Host``; with one, any (a reverse proxy names itself)."""
        return self.token is not None or _host_name(host_header.lower()) in LOOPBACK_HOSTS

    # --- access token --------------------------------------------------------------

    def access_cookie(self) -> str:
        """The cookie value that proves the token was given (an HMAC of it, not the token)."""
        return self._sign("access", self.token or "")

    def token_matches(self, given: str | None) -> bool:
        return self.token is not None and given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def signed_in(self, cookie: str | None, authorization: str | None) -> bool:
        """Whether a request may see the workspace: no token needed, or the cookie or bearer token shows it."""
        if self.token is None:
            return True
        if cookie and hmac.compare_digest(cookie, self.access_cookie()):
            return True
        scheme, _, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(given.strip())

    # --- CSRF ------------------------------------------------------------------------

    def new_csrf_nonce(self) -> str:
        return secrets.token_hex(16)

    def csrf_token(self, nonce: str) -> str:
        """The token forms carry for the browser holding CSRF cookie ``nonce``."""
        return f"{nonce}.{self._sign('csrf', nonce)}"

    def csrf_ok(self, nonce: str | None, token: str | None) -> bool:
        """Whether a POST's token belongs to this browser's cookie and was signed here."""
        if not nonce or not token or "." not in token:
            return False
        given_nonce, signature = token.split(".", 1)
        return hmac.compare_digest(given_nonce, nonce) and hmac.compare_digest(signature, self._sign("csrf", nonce))
