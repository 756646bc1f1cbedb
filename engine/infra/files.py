"""Writing output files so that nothing is ever half-written or lost.

Every file dealbook writes goes through :func:`write_atomic`: the content is
written to a temporary file in the same folder, flushed to disk, then renamed
over the target in one step, so a crash or Ctrl-C leaves either the old file
or the new one, never a mixture. :func:`write_keeping_previous` also keeps
the previous content of a file people edit by hand (an answers file) as
``NAME.bak`` before replacing it.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputFileError, Location

__all__ = ["write_atomic", "write_keeping_previous", "backup_path", "write_files"]


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` atomically (temporary file + rename).

    A symbolic link is written through: the file it points to is replaced and
    the link stays. Anything at ``path`` that is not a regular file — a
    device such as ``/dev/null``, a pipe, a folder — is refused, never
    replaced: a rename would swap it for a file (as root, even a device).
    """
    path = _target(Path(path))
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise InputFileError(Location(str(path)), f"cannot write: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputFileError(Location(str(path)), f"cannot write: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _target(path: Path) -> Path:
    """The file a write replaces: ``path``, or what it links to; refused if it is not a regular file."""
    if path.is_symlink():
        path = path.resolve()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError as error:
        raise InputFileError(Location(str(path)), f"cannot write: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device, pipe or socket)"
        raise InputFileError(Location(str(path)), f"cannot write: it is {kind}; choose another file name")
    return path


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept: ``deal.yaml`` → ``deal.yaml.bak``."""
    return path.with_name(path.name + ".bak")


def write_keeping_previous(path: Path, content: str | bytes) -> Path:
    """Atomically replace ``path``, first keeping its previous content as ``.bak``.

    Nothing is backed up when the file does not exist yet or already holds
    exactly ``content``.
    """
    path = _target(Path(path))
    data = content.encode("utf-8") if isinstance(content, str) else content
    if path.exists():
        previous = path.read_bytes()
        if previous == data:
            return path
        _keep(path, previous)
    return write_atomic(path, data)


def _keep(path: Path, previous: bytes) -> None:
    """Keep ``path``'s current content as its ``.bak``.

    The old file itself becomes the backup (a hard link, renamed into place):
    the write that follows replaces ``path`` with a new file, so the linked
    one is never changed again, and nothing is copied or flushed twice.
    Where links are not possible, the content is written out instead.
    """
    backup = backup_path(path)
    link = backup.with_name(f".{backup.name}.{os.getpid()}.link")
    try:
        link.unlink(missing_ok=True)
        os.link(path, link)
        os.replace(link, backup)
    except OSError:
        link.unlink(missing_ok=True)
        write_atomic(backup, previous)


def _read_umask() -> int:
    # Setting the umask to learn it is process-wide: read once, before a server starts threads, not per write
    # (a thread creating a folder between the two calls would get it with no bits masked).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C until the block ends, so a set of renames is not cut in half."""
    received: list[object] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def write_files(folder: Path, contents: Mapping[str, bytes]) -> list[Path]:
    """Write a set of files into a folder the user owns (beside their own files), one atomic rename each.

    A briefing pack, which owns its whole folder, is written with
    :func:`dealbook.infra.folders.write_folder` instead.

    Every file is first written and flushed in a staging folder beside
    ``folder``; only then are they renamed into place, one atomic rename each,
    with Ctrl-C held off for those few microseconds. A crash or interrupt
    while writing leaves the previous files untouched; other files in
    ``folder`` are never touched.
    """
    folder = Path(folder)
    nested = [name for name in contents if Path(name).name != name or name in ("", ".", "..")]
    if nested:
        raise ValueError(f"file names must not contain folders: {', '.join(nested)}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    except OSError as error:
        raise InputFileError(Location(str(folder)), f"cannot write: {error.strerror}") from None
    try:
        for name, data in contents.items():
            write_atomic(staging / name, data)
        with _interrupts_deferred():
            for name in contents:
                try:
                    os.replace(staging / name, folder / name)
                except OSError as error:
                    raise InputFileError(Location(str(folder / name)), f"cannot write: {error.strerror or error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in contents]
