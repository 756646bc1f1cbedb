"""What every page of the workspace shares: the playbook, the deals folder, the packs, the guard.

:func:`~dealbook.web.app.create_app` makes one :class:`Site` and keeps it on
the Flask app; a page reaches it with :func:`site`. The helpers here answer
the questions every page asks the same way: which deal (404 when the folder
lacks it), and how a file is sent for download.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app, render_template, send_file

from ..errors import DealbookError
from ..playbook.model import Playbook
from .outputs import PackCache
from .security import Guard
from .workspace import Workspace

__all__ = ["Site", "site", "found", "deal_or_error", "unreadable", "download"]

_DOWNLOAD_TYPES = {
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
}


@dataclass(frozen=True, slots=True)
class Site:
    """One workspace being served: its playbook, its deals, their packs, and who may come in."""

    playbook: Playbook
    workspace: Workspace
    packs: PackCache
    guard: Guard


def site() -> Site:
    """The workspace the current request is for."""
    return current_app.extensions["dealbook"]


def found(read: Callable[[str], Any], deal_id: str) -> Any:
    """What ``read(deal_id)`` gives: 404 for a deal the workspace lacks, the error for one it cannot read."""
    try:
        return read(deal_id)
    except KeyError:
        abort(404, f"There is no deal {deal_id!r} in this workspace.")
    except DealbookError as error:
        return error


def deal_or_error(deal_id: str) -> Any:
    """The deal as read, or the :class:`~dealbook.errors.DealbookError` saying why its file cannot be read."""
    return found(site().workspace.read, deal_id)


def unreadable(deal_id: str, error: DealbookError) -> Any:
    """The page for a deal whose file has problems: each one, as the command line prints it."""
    return render_template("unreadable.html", deal_id=deal_id, lines=error.lines()), 422


def download(data: bytes, name: str) -> Any:
    """``data`` sent as the file ``name``, sandboxed so that a browser opening it runs nothing."""
    kind = _DOWNLOAD_TYPES.get(Path(name).suffix, "application/octet-stream")
    response = send_file(io.BytesIO(data), mimetype=kind, as_attachment=True, download_name=name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
