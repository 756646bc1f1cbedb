"""Running the workspace: waitress by default, Flask's development server only when debugging.

With ``workers`` above one (POSIX only), the listening socket is bound once
and that many processes, forked before any thread starts, each run waitress
on it: the kernel hands each connection to one of them. Saves to one deal
stay serialised through file locks in a private folder (see
:mod:`.workspace`); secrets are made before the fork, so a cookie or a CSRF
token from one process is good in every other.
"""

from __future__ import annotations

import logging
import os
import select
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import DealbookError
from ..playbook.model import Playbook
from .app import create_app
from .security import is_loopback
from .workspace import check_folder

__all__ = ["ServeError", "serve", "address", "default_workers"]

#: Threads answering requests in each process: saves are a few milliseconds each, packs up to a second or two.
THREADS = 4


def default_workers() -> int:
    """Two processes per core, at most four, on Linux; one elsewhere.

    Two per core, because a save spends part of its time waiting for the disk
    (the flush that makes it durable) or for another save to the same deal:
    measured with ``bench/bench_web.py`` on two cores, four processes halve
    the median save under 20 clients against one, and beat two. Elsewhere one,
    unless asked: Windows cannot fork, macOS does not spread connections over
    sockets sharing a port and its system libraries are not safe across a fork.
    """
    if not hasattr(os, "fork") or not sys.platform.startswith("linux"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, 2 * cores))


class ServeError(DealbookError):
    """A server that must not start as asked (another address without a token)."""

    exit_code = 2


def address(host: str, port: int) -> str:
    """The address to open: ``http://127.0.0.1:8765/``."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(folder: Path, playbook: Playbook, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          debug: bool = False, workers: int = 1, say: Callable[[str], Any] = print) -> None:
    """Serve the workspace in ``folder`` until interrupted, in ``workers`` processes.

    Bound to an address other than loopback, the server needs ``token``: the
    workspace would otherwise be open to anyone who can reach the machine.
    """
    if not is_loopback(host) and not token:
        raise ServeError(f"--host {host} makes the workspace reachable from other machines: give an access token "
                         "with --token or the DEALBOOK_TOKEN environment variable (and put a TLS reverse proxy in front)")
    if workers < 1:
        raise ServeError(f"--workers {workers}: at least one process must serve")
    checked = check_folder(folder)
    where = Path(folder).resolve()
    if debug:
        app = create_app(checked, playbook, token=token)
        say(f"dealbook serving {where} at {address(host, port)} with Flask's development server (--debug: not for a team)")
        app.run(host=host, port=port, debug=True, use_reloader=False)
        return
    if workers > 1 and not hasattr(os, "fork"):
        say(f"--workers {workers}: this system cannot fork processes; serving from one")
        workers = 1
    spread = workers > 1 and hasattr(socket, "SO_REUSEPORT")
    listener = _listen(host, port, spread)
    lock_folder = Path(tempfile.mkdtemp(prefix="dealbook-serve-")) if workers > 1 else None
    app = create_app(checked, playbook, token=token, lock_folder=lock_folder)
    access = " (access token required: open the address and enter it, or add ?token=...)" if token else ""
    processes = f" in {workers} processes" if workers > 1 else ""
    children: list[int] = []
    try:
        children = _start_workers(app, listener, workers - 1, spread)
        # said once every process listens: whoever waits for this line can count them, and is served by all
        say(f"dealbook serving {where} at {address(host, listener.getsockname()[1])}{access}{processes}")
        say("Press Ctrl-C to stop; every answer is already saved.")
        sys.stdout.flush()
        # SIGTERM (a service manager, a test) stops this process the way Ctrl-C does, children included
        signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
        _run(app, listener)
    finally:
        _stop_workers(children)
        if lock_folder is not None:
            shutil.rmtree(lock_folder, ignore_errors=True)


def _listen(host: str, port: int, spread: bool) -> socket.socket:
    # With several workers, each listens on a socket of its own on the same port (SO_REUSEPORT), so that the kernel
    # spreads the connections among them: on one shared socket, whichever process wakes first takes most of them
    # (measured: 13 of 20 connections in one of four processes), and its browsers wait while the others idle.
    try:
        family, _, _, _, where_to = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        return socket.create_server(where_to[:2], family=family, backlog=1024, reuse_port=spread)
    except OSError as error:
        raise ServeError(f"cannot listen on {address(host, port)}: {error.strerror or error}") from None


def _start_workers(app: Any, listener: socket.socket, count: int, spread: bool) -> list[int]:
    """Fork ``count`` workers and wait until each listens; their process ids."""
    if count < 1:
        return []
    sys.stdout.flush()  # nothing buffered may be written twice
    ready, started = os.pipe()
    children = []
    for _ in range(count):
        child = os.fork()
        if child == 0:
            os.close(ready)
            _run_worker(app, listener, os.getppid(), started, spread)  # never returns
        children.append(child)
    os.close(started)
    _wait_for_workers(ready, count)
    return children


def _stop_workers(children: list[int]) -> None:
    for child in children:
        try:
            os.kill(child, signal.SIGTERM)
            os.waitpid(child, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _run(app: Any, listener: socket.socket) -> None:
    from waitress import create_server  # noqa: PLC0415 - the production server, loaded only to serve

    # waitress warns "Task queue depth is N" whenever a request waits for a thread: under a burst of saves that is
    # a line per request on the negotiator's terminal, and logging it costs more than the wait it reports
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)

    server = create_server(app, sockets=[listener], threads=THREADS, clear_untrusted_proxy_headers=True, ident="dealbook")
    try:
        server.run()
    finally:
        server.close()


def _wait_for_workers(ready: int, count: int, timeout: float = 10.0) -> None:
    """Wait until ``count`` workers said they listen (a byte each on the pipe), or ``timeout`` passed."""
    deadline, heard = time.monotonic() + timeout, 0
    try:
        while heard < count and time.monotonic() < deadline:
            readable, _, _ = select.select([ready], [], [], max(deadline - time.monotonic(), 0))
            if not readable:
                break
            chunk = os.read(ready, count)
            if not chunk:
                break  # every worker closed its end: none will say more
            heard += len(chunk)
    finally:
        os.close(ready)


def _run_worker(app: Any, listener: socket.socket, parent: int, started: int, spread: bool) -> None:
    """A forked worker: serve until told to stop, or until the process that started it is gone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole group: stop at once, quietly
    try:
        if spread:
            own = socket.create_server(listener.getsockname()[:2], family=listener.family, backlog=1024, reuse_port=True)
            listener.close()
            listener = own
        os.write(started, b"1")
    except OSError:
        os._exit(1)  # the others serve; this one could not listen
    finally:
        os.close(started)

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)  # orphaned (the parent was killed): nobody would stop this worker otherwise

    threading.Thread(target=watch_parent, daemon=True).start()
    try:
        _run(app, listener)
    finally:
        os._exit(0)
