"""Running the workspace: waitress by default, Flask's development server only when debugging."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DealbookError
from ..playbook.model import Playbook
from .app import create_app
from .security import is_loopback
from .workspace import check_folder

__all__ = ["ServeError", "serve", "address"]

#: Threads answering requests: saves are a few milliseconds each, packs up to a second or two.
THREADS = 8


class ServeError(DealbookError):
    """A server that must not start as asked (another address without a token)."""

    exit_code = 2


def address(host: str, port: int) -> str:
    """The address to open: ``http://127.0.0.1:8765/``."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(folder: Path, playbook: Playbook, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          debug: bool = False, say: Callable[[str], Any] = print) -> None:
    """Serve the workspace in ``folder`` until interrupted.

    Bound to an address other than loopback, the server needs ``token``: the
    workspace would otherwise be open to anyone who can reach the machine.
    """
    if not is_loopback(host) and not token:
        raise ServeError(f"--host {host} makes the workspace reachable from other machines: give an access token "
                         "with --token or the DEALBOOK_TOKEN environment variable (and put a TLS reverse proxy in front)")
    app = create_app(check_folder(folder), playbook, token=token)
    where = Path(folder).resolve()
    if debug:
        say(f"dealbook serving {where} at {address(host, port)} with Flask's development server (--debug: not for a team)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    from waitress import create_server  # noqa: PLC0415 - the production server, loaded only to serve

    server = create_server(app, host=host, port=port, threads=THREADS, clear_untrusted_proxy_headers=True, ident="dealbook")
    bound_port = server.effective_port if hasattr(server, "effective_port") else port  # type: ignore[union-attr]
    access = " (access token required: open the address and enter it, or add ?token=...)" if token else ""
    say(f"dealbook serving {where} at {address(host, bound_port)}{access}")
    say("Press Ctrl-C to stop; every answer is already saved.")
    sys.stdout.flush()
    try:
        server.run()
    finally:
        server.close()
