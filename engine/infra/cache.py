"""A private cache of validated playbooks and their compiled templates, keyed by content.

Validating a large playbook and compiling its clause templates takes a good
part of a second; a negotiator re-running ``dealbook brief`` on the same
playbook should not pay that every time. Each entry is **one file** per
playbook, ``playbooks/<key>.entry``: the validated playbook as plain data
(JSON values: strings, numbers, booleans, null, lists and string-keyed
maps, written with :mod:`marshal`, which reads them three times faster than
:mod:`json`) and the Python code Jinja compiled its clause templates into.

What the cache trusts, and why that is safe:

- The key is the SHA-256 of the dealbook version, the Python version and the
  bytes of every file the playbook was read from, in order — content only,
  so the same playbook opened from any folder is one entry, and any edit or
  upgrade is a new key (a stale entry is never used).
- Every entry carries an HMAC-SHA256 made with a per-user secret key
  (``key``, 32 random bytes, mode 0600). An entry whose HMAC does not verify
  — corrupt, truncated, or written by anyone without the key — is deleted
  and rebuilt, never read further. Only then is the compiled code loaded.
- The plain part is rebuilt through the model's constructors only (see
  :mod:`dealbook.playbook.stored`): plain data cannot run code. The code
  part holds what can: the templates' compiled code and the Python the
  allow-listed compiler generated for each condition, trusted only because
  the HMAC verified.
- The cache folder must be a real folder (not a symlink) owned by the
  current user and not writable by group or others; otherwise caching is off
  and :func:`cache_refusal` says why. Folders are made 0700 and files 0600,
  whatever the umask.
- Pack templates' compiled code is kept the same way, one authenticated
  entry per template source (:class:`TemplateCodeCache`).
- The folder is bounded: when entries exceed ``$DEALBOOK_CACHE_SIZE`` MB
  (default 256), the least recently used are removed.

The folder is ``$DEALBOOK_CACHE`` if set (``off`` disables caching), else
``$XDG_CACHE_HOME/dealbook`` or ``~/.cache/dealbook``.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
import sys
import time
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2.bccache import Bucket, BytecodeCache

from .._version import __version__

__all__ = ["cache_folder", "cache_refusal", "content_key", "load_entry", "store_entry", "MAGIC", "TemplateCodeCache", "template_code_cache"]

MAGIC = b"dealbook cache 3\n"
_TAG = hashlib.sha256().digest_size
_ENTRY_SUFFIX = ".entry"
_DEFAULT_SIZE_MB = 256
_refusal: list[str] = []


def cache_refusal() -> str | None:
    """Why the configured cache folder is not used (unsafe owner, mode or symlink), or ``None``."""
    cache_folder()
    return _refusal[0] if _refusal else None


def _unsafe(folder: Path) -> str | None:
    """Why ``folder`` must not be trusted, or ``None`` if it is a private folder of this user."""
    try:
        info = os.lstat(folder)
    except OSError as error:
        return f"cannot use the cache folder {folder}: {error.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return f"the cache folder {folder} is a symbolic link; caching is off"
    if not stat.S_ISDIR(info.st_mode):
        return f"the cache folder {folder} is not a folder; caching is off"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return f"the cache folder {folder} belongs to another user; caching is off"
    if info.st_mode & 0o022:
        return f"the cache folder {folder} is writable by other users; caching is off"
    return None


def _private_folder(folder: Path) -> str | None:
    try:
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700, follow_symlinks=False)
    except FileExistsError:
        pass
    except OSError as error:
        return f"cannot create the cache folder {folder}: {error.strerror}"
    return _unsafe(folder)


@cache
def cache_folder() -> Path | None:
    """The cache folder, or ``None`` when caching is off, impossible or refused as unsafe."""
    _refusal.clear()
    configured = os.environ.get("DEALBOOK_CACHE")
    if configured is not None and configured.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    if configured:
        folder = Path(configured).absolute()
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base).absolute() / "dealbook"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    problem = _private_folder(folder) or _private_folder(folder / "playbooks")
    if problem is not None:
        _refusal.append(problem)
        return None
    return folder


def content_key(kind: str, contents: Iterable[bytes]) -> str:
    """A key from the bytes of a playbook's files (in order), the dealbook version and the Python version."""
    digest = hashlib.sha256(f"dealbook {__version__}\0{sys.implementation.cache_tag}\0{kind}\0".encode())
    for content in contents:
        digest.update(len(content).to_bytes(8, "big") + content)
    return digest.hexdigest()


def _secret(folder: Path) -> bytes | None:
    """This user's HMAC key, created on first use; ``None`` if it is missing and cannot be made, or unsafe."""
    path = folder / "key"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(2):
        try:
            descriptor = os.open(path, flags)
        except FileNotFoundError:
            try:
                _write_private(path, secrets.token_bytes(32), exclusive=True)
            except FileExistsError:
                pass
            except OSError:
                return None
            continue
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as stream:
            info = os.fstat(stream.fileno())
            if info.st_mode & 0o077 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            key = stream.read(64)
        return key if len(key) == 32 else None
    return None


def _write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` as a 0600 file atomically (or create it only if absent, with ``exclusive``)."""
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    if exclusive:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(data)
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            os.fchmod(stream.fileno(), 0o600)
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _entry(key: str) -> Path | None:
    folder = cache_folder()
    if folder is None or len(key) != 64 or not all(char in "0123456789abcdef" for char in key):
        return None
    return folder / "playbooks" / f"{key}{_ENTRY_SUFFIX}"


def load_entry(key: str) -> tuple[Any, dict[str, CodeType | str]] | None:
    """The plain data and compiled code stored under ``key``, or ``None``.

    The entry's HMAC is checked before anything in it is decoded; an entry
    that fails is removed.
    """
    entry = _entry(key)
    if entry is None:
        return None
    secret = _secret(entry.parent.parent)
    try:
        descriptor = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        raw = stream.read()
    header = len(MAGIC) + _TAG
    tag, payload = raw[len(MAGIC):header], raw[header:]
    if secret is None or not raw.startswith(MAGIC) or not hmac.compare_digest(tag, hmac.digest(secret, key.encode() + payload, "sha256")):
        entry.unlink(missing_ok=True)
        return None
    try:
        size = int.from_bytes(payload[:8], "big")
        data = marshal.loads(payload[8:8 + size])  # noqa: S302 - authenticated above; plain values only
        if type(data) is not dict:
            raise TypeError("not a stored entry")
        # The HMAC above proves this user wrote the entry; only then is the code read.
        names, codes = data.pop("_code_names"), marshal.loads(payload[8 + size:])  # noqa: S302
        code = dict(zip(names, codes, strict=True))
    except (ValueError, TypeError, KeyError, EOFError, AttributeError):
        entry.unlink(missing_ok=True)
        return None
    try:
        os.utime(entry)  # least recently used goes first
    except OSError:
        pass
    return data, code


def store_entry(key: str, data: dict[str, Any], code: Mapping[str, CodeType | str]) -> None:
    """Store plain ``data`` and ``code`` (compiled code, or generated Python as text) under ``key`` (silently skipped if impossible)."""
    entry = _entry(key)
    if entry is None:
        return
    secret = _secret(entry.parent.parent)
    if secret is None:
        return
    try:
        # marshal, not JSON, for the plain values too: three times faster to read, and the HMAC covers both
        text = marshal.dumps({**data, "_code_names": list(code)})
        payload = len(text).to_bytes(8, "big") + text + marshal.dumps(list(code.values()))
        _write_private(entry, MAGIC + hmac.digest(secret, key.encode() + payload, "sha256") + payload)
        _evict(entry.parent, keep=entry)
    except (OSError, ValueError, TypeError):
        pass


def _evict(folder: Path, keep: Path) -> None:
    """Remove the least recently used entries while the folder holds more than the size limit."""
    try:
        limit = int(float(os.environ.get("DEALBOOK_CACHE_SIZE", _DEFAULT_SIZE_MB)) * 1024 * 1024)
    except ValueError:
        limit = _DEFAULT_SIZE_MB * 1024 * 1024
    entries = []
    for path in folder.iterdir():
        try:
            info = path.lstat()
        except OSError:
            continue
        if path.name.endswith(_ENTRY_SUFFIX) and stat.S_ISREG(info.st_mode):
            entries.append((info.st_mtime, info.st_size, path))
        elif path.name.endswith(".tmp") and stat.S_ISREG(info.st_mode) and info.st_mtime < time.time() - 3600:
            path.unlink(missing_ok=True)  # left by a writer that was killed
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        if path != keep:
            path.unlink(missing_ok=True)
            total -= size


class TemplateCodeCache(BytecodeCache):
    """Jinja's bytecode cache kept in this cache's authenticated entries.

    Jinja's own file cache unmarshals whatever file it finds; here each
    compiled template is an entry like a playbook's, keyed by the template's
    name and the checksum of its source, and its code is read only after the
    entry's HMAC proves this user wrote it.
    """

    def _key(self, bucket: Bucket) -> str:
        return content_key("template", [bucket.key.encode(), bucket.checksum.encode()])

    def load_bytecode(self, bucket: Bucket) -> None:
        entry = load_entry(self._key(bucket))
        if entry is not None and isinstance(entry[1].get("template"), CodeType):
            bucket.code = entry[1]["template"]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            store_entry(self._key(bucket), {}, {"template": bucket.code})


def template_code_cache() -> TemplateCodeCache | None:
    """The bytecode cache for pack templates, or ``None`` when caching is off or refused."""
    return TemplateCodeCache() if cache_folder() is not None else None
