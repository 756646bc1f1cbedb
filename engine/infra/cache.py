"""A cache of validated playbooks and compiled templates, keyed by content.

Validating a large playbook (YAML, JSON Schema, semantic checks, compiling
hundreds of conditions and clause templates) takes most of a second; a
negotiator re-running ``dealbook brief`` on the same playbook should not pay
that every time. The cache folder holds:

- ``playbooks/<sha256>.pickle``: a loaded, *valid* playbook, keyed by the
  bytes of every file it was read from and the dealbook version — any edit to
  any file, or an upgrade, is a different key, so a stale entry is never used;
- ``templates/``: Jinja's bytecode cache for clause and pack templates.

The folder is ``$DEALBOOK_CACHE`` if set (``off`` disables caching), else
``$XDG_CACHE_HOME/dealbook`` or ``~/.cache/dealbook``. It is created private
to the user; a corrupt or unreadable entry is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from .._version import __version__
from .files import write_atomic

__all__ = ["cache_folder", "playbook_key", "load_cached_playbook", "store_playbook", "template_bytecode_cache"]


@cache
def cache_folder() -> Path | None:
    """The cache folder, or ``None`` when caching is off or impossible."""
    configured = os.environ.get("DEALBOOK_CACHE")
    if configured is not None and configured.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if configured:
        folder = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "dealbook"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def playbook_key(files: list[tuple[str, bytes]]) -> str:
    """A key for a playbook from its files' names and bytes, and the dealbook version."""
    digest = hashlib.sha256(f"dealbook {__version__}\0".encode())
    for name, content in files:
        digest.update(name.encode("utf-8") + b"\0" + len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def _entry(key: str) -> Path | None:
    folder = cache_folder()
    return None if folder is None else folder / "playbooks" / f"{key}.pickle"


def load_cached_playbook(key: str) -> Any | None:
    """The playbook stored under ``key``, or ``None``."""
    entry = _entry(key)
    if entry is None or not entry.is_file():
        return None
    try:
        with entry.open("rb") as stream:
            return pickle.load(stream)  # noqa: S301 - our own private cache folder
    except Exception:  # a corrupt or incompatible entry is rebuilt, never fatal
        entry.unlink(missing_ok=True)
        return None


def store_playbook(key: str, playbook: Any) -> None:
    """Store a validated playbook under ``key`` (silently skipped if impossible)."""
    entry = _entry(key)
    if entry is None:
        return
    try:
        write_atomic(entry, pickle.dumps(playbook, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass


@cache
def template_bytecode_cache() -> Any | None:
    """Jinja's file bytecode cache in the cache folder, or ``None``."""
    folder = cache_folder()
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache  # noqa: PLC0415 - only when templates are compiled

    templates = folder / "templates"
    try:
        templates.mkdir(exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(templates))
