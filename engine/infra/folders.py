"""Writing a folder of files (a briefing pack) all or nothing, one writer at a time.

A reader of a pack folder always sees one complete pack — the previous one
or the new one, never a mix:

1. a lock on the parent folder (``flock``) admits one writer at a time; a
   second one waits up to :data:`WAIT_SECONDS`, then fails with a message;
2. staging folders left by a writer that was killed are removed;
3. every file is written and flushed into a fresh staging folder beside the
   pack, with a marker file (:data:`MARKER`) naming the deal, the answers
   file and each file's SHA-256;
4. one atomic switch puts the staging folder in the pack's place: Linux's
   ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in a single step
   (elsewhere, two renames, with a moment in which the folder is absent
   but never mixed). Ctrl-C is held off while it happens.

So a pack folder holds exactly one run's files. Before replacing a folder,
its marker is read: a folder written for a different deal, or one that is
not a pack at all (the current folder, ``-o docs``), is refused; a pack
whose files were changed by hand (ticked boxes in ``checklist.md``) or that
gained other files is kept whole as ``NAME.bak``, and the result says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
from ..errors import InputFileError, Location, shorten

__all__ = ["MARKER", "WAIT_SECONDS", "WrittenFolder", "check_folder", "write_folder", "folder_name"]

#: The file in every pack folder that says which deal and answers file it was written for.
MARKER = ".dealbook-pack.json"
#: How long a second writer waits for the first before giving up.
WAIT_SECONDS = 30.0

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def folder_name(deal_name: str, suffix: str = "-brief", limit: int = 60) -> str:
    """A folder name for a deal: letters and digits of every script kept (NFKC), the rest made ``-``.

    ``Customer engagement platform 2027`` → ``customer-engagement-platform-2027-brief``;
    ``Договор на поддержку`` → ``договор-на-поддержку-brief``. Path separators,
    control characters and punctuation never reach the file system.
    """
    text = unicodedata.normalize("NFKC", deal_name).lower()
    kept = "".join(char if unicodedata.category(char)[0] in "LMN" else "-" for char in text)
    slug = re.sub(r"-+", "-", kept).strip("-")[:limit].strip("-")
    if not slug or slug in _RESERVED:
        slug = f"deal-{slug}" if slug else "deal"
    return slug + suffix


@dataclass(frozen=True, slots=True)
class WrittenFolder(Sequence[Path]):
    """The files written (a sequence of paths), and where the previous pack was kept, if it was."""

    folder: Path
    files: tuple[Path, ...]
    kept: Path | None = None
    #: why the previous pack was kept: the files edited by hand or added
    changed: tuple[str, ...] = field(default=())

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        return self.files[index]

    def __len__(self) -> int:
        return len(self.files)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail(path: Path, message: str) -> InputFileError:
    return InputFileError(Location(str(path)), message)


@contextlib.contextmanager
def _locked(parent: Path, folder: Path, wait: float) -> Iterator[None]:
    """Hold an exclusive lock on ``parent`` (the folder that holds the pack) while writing."""
    if fcntl is None:  # not POSIX: no lock, the switch is still one rename
        yield
        return
    descriptor = os.open(parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _fail(folder, f"another dealbook is still writing into {parent}; waited {wait:g} s, nothing written") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(descriptor)  # releases the lock


_EXCHANGE = 2  # RENAME_EXCHANGE
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); ``False`` where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _EXCHANGE) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(number, os.strerror(number), str(second))


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C while the folders switch; a Ctrl-C then is dropped, as the pack is complete by the time it could act."""
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _read_marker(folder: Path) -> dict | None:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) and isinstance(marker.get("files"), dict) else None


def _changes(folder: Path, marker: dict | None, contents: Mapping[str, bytes]) -> list[str]:
    """Files in ``folder`` that the last run did not write as they are now (edited, added or removed)."""
    written: dict[str, str] = marker["files"] if marker else {name: "" for name in contents}
    changed = []
    present = {entry.name for entry in folder.iterdir() if entry.name != MARKER}
    for name in sorted(present | set(written)):
        path = folder / name
        if name not in written or name not in present or path.is_symlink() or not path.is_file():
            changed.append(name)
        elif marker and _digest(path.read_bytes()) != written[name]:
            changed.append(name)
        elif not marker and path.read_bytes() != contents.get(name):
            changed.append(name)
    return changed


def _refuse_if_not_ours(folder: Path, marker: dict | None, names: Iterable[str], deal: str, answers: str) -> None:
    """Refuse a folder that is not this deal's pack (raises :class:`InputFileError`)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise _fail(folder, "exists and is not a folder; choose another output folder with -o")
    if not folder.exists():
        return
    entries = [entry.name for entry in folder.iterdir()]
    if not entries:
        return
    if marker is None:
        if set(entries) <= set(names):
            return  # a pack written before packs had markers
        raise _fail(folder, f"is not a briefing pack folder (no {MARKER}); it holds other files, so it is not "
                            "replaced: choose another output folder with -o")
    same_deal = marker.get("deal") == deal
    same_answers = bool(answers) and marker.get("answers") == answers
    if not (same_deal or same_answers):
        raise _fail(folder, f"holds the briefing pack for another deal, {shorten(marker.get('deal'))!r} "
                            f"(from {shorten(marker.get('answers') or 'unknown answers')}); it is not replaced: "
                            "choose another output folder with -o, or remove it")


def _check_owner(folder: Path, marker: dict | None, contents: Mapping[str, bytes], deal: str, answers: str) -> list[str]:
    """Refuse a folder that is not this deal's pack; return what was changed by hand in it."""
    _refuse_if_not_ours(folder, marker, contents, deal, answers)
    if not folder.exists() or not any(folder.iterdir()):
        return []
    return _changes(folder, marker, contents)


def _checked_path(folder: Path) -> tuple[Path, Path]:
    """``folder`` as given and as an absolute path, refusing names and places a pack cannot be written to."""
    given = Path(folder)
    folder = Path(os.path.abspath(folder))
    if folder.name in ("", ".", ".."):
        raise _fail(folder, "is not a usable pack folder name; choose another output folder with -o")
    try:
        here = Path.cwd()
    except OSError:
        here = None
    if here is not None and (here == folder or folder in here.parents):
        raise _fail(given, "is the current folder (or holds it); a pack is written into a folder of its own: choose one with -o")
    return given, folder


def check_folder(folder: Path, names: Iterable[str], *, deal: str, answers: str = "") -> None:
    """Refuse now what :func:`write_folder` would refuse for files ``names``, before the work of making them.

    Only a look: :func:`write_folder` checks again, under its lock, when it writes.
    """
    given, folder = _checked_path(folder)
    marker = _read_marker(folder) if folder.is_dir() and not folder.is_symlink() else None
    try:
        _refuse_if_not_ours(folder, marker, list(names), deal, answers)
    except InputFileError as refused:
        raise _fail(given, refused.problem.message) from None
    except OSError as error:
        raise _fail(Path(error.filename) if error.filename else folder, f"cannot read: {error.strerror or error}") from None


_WRITERS = 16  # threads flushing a folder's files at most


def _write_flushed(path: Path, data: bytes) -> str:
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return _digest(data)


def _stage(parent: Path, folder: Path, contents: Mapping[str, bytes], deal: str, answers: str) -> Path:
    staging = parent / f".{folder.name}.{secrets.token_hex(6)}.staging"
    staging.mkdir(mode=0o755)
    marker = {"deal": deal, "answers": answers, "written_by": f"dealbook {__version__}", "files": {}}
    # Each file is flushed to disk before the switch; flushed from several threads at once, the file system
    # commits them together instead of one after another (a third of the time for a pack's fifteen files).
    digests: dict[str, str] = {}
    failures: list[BaseException] = []

    def write(items: list[tuple[str, bytes]]) -> None:
        try:
            for name, data in items:
                digests[name] = _write_flushed(staging / name, data)
        except BaseException as error:  # noqa: BLE001 - raised again below, in the writing thread's caller
            failures.append(error)

    items = list(contents.items())
    threads = [threading.Thread(target=write, args=(items[start::_WRITERS],)) for start in range(min(_WRITERS, len(items)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    marker["files"] = {name: digests[name] for name in contents}
    (staging / MARKER).write_text(json.dumps(marker, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return staging


def _remove_stale(parent: Path, folder: Path) -> None:
    """Staging and old folders a killed writer left (we hold the lock, so none is in use)."""
    prefix = f".{folder.name}."
    for entry in parent.iterdir():
        if entry.name.startswith(prefix) and entry.name.endswith((".staging", ".old")) and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)


def _switch(staging: Path, folder: Path, backup: Path | None) -> None:
    """Put ``staging`` in ``folder``'s place in one step; the previous folder goes to ``backup`` or away."""
    if backup is not None and backup.exists():
        if backup.is_dir() and not backup.is_symlink():
            shutil.rmtree(backup)
        else:
            backup.unlink()
    if not folder.exists():
        os.rename(staging, folder)
        return
    if _exchange(staging, folder):
        previous = staging
    else:
        previous = staging.with_name(staging.name.removesuffix(".staging") + ".old")
        os.rename(folder, previous)
        os.rename(staging, folder)
    if backup is not None:
        os.rename(previous, backup)
    else:
        shutil.rmtree(previous, ignore_errors=True)


def write_folder(folder: Path, contents: Mapping[str, bytes], *, deal: str, answers: str = "",
                 wait: float = WAIT_SECONDS) -> WrittenFolder:
    """Replace ``folder`` with exactly ``contents`` (file name → bytes), all or nothing.

    ``deal`` and ``answers`` (the answers file) are recorded in the folder's
    marker; a folder recorded for another deal is refused. Raises
    :class:`~dealbook.errors.InputFileError` — never an ``OSError`` — when the
    folder cannot be written.
    """
    bad = [name for name in contents if Path(name).name != name or name in ("", ".", "..", MARKER)]
    if bad:
        raise ValueError(f"file names must not contain folders: {', '.join(bad)}")
    given, folder = _checked_path(folder)
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(parent, folder, wait):
            _remove_stale(parent, folder)
            marker = _read_marker(folder) if folder.is_dir() and not folder.is_symlink() else None
            try:
                changed = _check_owner(folder, marker, contents, deal, answers)
            except InputFileError as refused:
                raise _fail(given, refused.problem.message) from None
            backup = folder.with_name(folder.name + ".bak") if changed else None
            staging = _stage(parent, folder, contents, deal, answers)
            try:
                with _interrupts_held():
                    _switch(staging, folder, backup)
            finally:
                if staging.exists():
                    shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        where = Path(error.filename) if error.filename else folder
        raise _fail(where, f"cannot write: {error.strerror or error}") from None
    kept = given.with_name(backup.name) if backup is not None else None
    return WrittenFolder(given, tuple(given / name for name in contents), kept, tuple(changed))
