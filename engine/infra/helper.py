"""A second process that gets ready while this one works, then does one job for it.

``dealbook brief`` spends half its time on Word files, and a third of that
importing python-docx and lxml. :func:`start_helper` forks a child before
the playbook is even loaded; the child imports the modules it will need
while its parent loads, evaluates and renders, then waits for one job (a
module-level function and its arguments) on a pipe, runs it and sends the
result back. Before the job, the parent may send hints: work the child can
start on while the parent still prepares the job (parsing the first
document rendered, say). The parent meanwhile writes the other formats.
On two cores the Word files then cost little more than their own writing.

The pipe carries pickles between a process and the child it forked from
itself, never anything read from outside, so there is nothing untrusted to
unpickle. The child ignores Ctrl-C (its parent decides what a Ctrl-C
means), exits when its parent goes away without a job, and never writes a
file: the parent writes everything, so the all-or-nothing folder switch
stays in one process.

Where the helper cannot run (no ``fork``, one CPU, not Linux — macOS's
system libraries are not safe across a fork —, another thread running, or
``DEALBOOK_PROCESSES=1``),
:func:`start_helper` returns ``None`` and the caller does the job itself.
If the child dies, fails for a reason other than the job's own error, or
does not answer within :data:`WAIT_SECONDS`, :meth:`Helper.result` stops
it and runs the job in this process, so a lost helper costs time, never
output.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..errors import DealbookError

try:
    import fcntl
except ImportError:  # Windows, where no helper is started
    fcntl = None  # type: ignore[assignment]

__all__ = ["Helper", "start_helper", "PROCESSES_VARIABLE", "WAIT_SECONDS"]

#: Set to ``1`` to keep every command in one process.
PROCESSES_VARIABLE = "DEALBOOK_PROCESSES"
#: How long :meth:`Helper.result` waits for a helper that does not answer before doing its job itself.
WAIT_SECONDS = 120.0
_LENGTH = 8  # bytes of the length prefix of a message
_SET_PIPE_SIZE = getattr(fcntl, "F_SETPIPE_SZ", 1031)  # Python 3.11 names it on Linux only
_PIPE_SIZE = 1 << 20  # Linux's default limit for an unprivileged process


def _usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start_helper(modules: Iterable[str]) -> Helper | None:
    """Fork a helper that imports ``modules`` and waits for a job, or ``None`` where one cannot help."""
    if (os.environ.get(PROCESSES_VARIABLE, "").strip() == "1" or not hasattr(os, "fork") or fcntl is None
            or not sys.platform.startswith("linux") or _usable_cpus() < 2):
        return None
    if threading.active_count() > 1:  # a fork copies only this thread: a lock another one holds would never be released
        return None
    jobs_read, jobs_write = os.pipe()
    results_read, results_write = os.pipe()
    for fd in (jobs_write, results_write):  # room for a whole job, so the parent never waits on the child's imports
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, _SET_PIPE_SIZE, _PIPE_SIZE)
    sys.stdout.flush()
    sys.stderr.flush()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, which leaves with os._exit
        os.close(jobs_write)
        os.close(results_read)
        _serve(tuple(modules), jobs_read, results_write)
    os.close(jobs_read)
    os.close(results_write)
    return Helper(child, jobs_write, results_read)


def _serve(modules: tuple[str, ...], jobs: int, results: int) -> None:  # pragma: no cover - the child's whole life
    code = 0
    gc.disable()  # one job, then exit: the cyclic collector would only scan the job's data again and again
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for name in modules:
            importlib.import_module(name)
        while (message := _read_message(jobs)) is not None:
            kind, function, args = pickle.loads(message)  # noqa: S301 - written by the process that forked this one
            if kind == "hint":  # work ahead of the job; whatever fails here, the job does again
                with contextlib.suppress(Exception):
                    function(*args)
                continue
            try:
                reply = ("ok", function(*args))
            except DealbookError as error:
                reply = ("error", error)
            _write_message(results, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
            break
    except BaseException:  # noqa: BLE001 - whatever happens, the parent does the job itself
        code = 1
    finally:
        os._exit(code)


class Helper:
    """The parent's end of a helper process: one :meth:`submit`, one :meth:`result`."""

    def __init__(self, pid: int, jobs: int, results: int) -> None:
        self.pid, self._jobs, self._results = pid, jobs, results
        self._job: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
        self._sent = False
        self._writer: threading.Thread | None = None
        #: whether the job ended up running in this process (the helper was gone or could not take it)
        self.ran_here = False

    def hint(self, function: Callable[..., Any], *args: Any) -> None:
        """Before the job: work the helper may start on already (its result is dropped; a failure is ignored)."""
        if self._jobs < 0 or self._job is not None:
            return
        try:
            _write_message(self._jobs, pickle.dumps(("hint", function, args), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # the job will tell whether the helper is still there

    def submit(self, function: Callable[..., Any], *args: Any) -> None:
        """Hand the helper its job: a module-level function and picklable arguments.

        The job is written from a thread of its own: a pipe holds 1 MB, and
        while the helper still works on the hints, the job would wait in the
        pipe with this process waiting on it.
        """
        self._job = (function, args)
        try:
            message = pickle.dumps(("job", function, args), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            self._close_jobs()
            return
        self._sent = True
        self._writer = threading.Thread(target=self._send, args=(message,), name="dealbook helper job", daemon=True)
        self._writer.start()

    def _send(self, message: bytes) -> None:
        try:
            _write_message(self._jobs, message)
        except OSError:  # the helper is gone: result() does the job here
            self._sent = False
        finally:
            self._close_jobs()

    def _wait_for_writer(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def result(self, timeout: float = WAIT_SECONDS) -> Any:
        """The job's result; the job's own :class:`DealbookError` is raised here as if it ran in this process.

        A helper that has not answered within ``timeout`` seconds is stopped and the job is done here.
        """
        if self._job is None:
            raise RuntimeError("no job was submitted")
        reply = None
        deadline = time.monotonic() + timeout
        if self._writer is not None:
            self._writer.join(timeout)
        if self._sent and (self._writer is None or not self._writer.is_alive()):
            # Anything that goes wrong on the way back (an error whose class cannot be rebuilt from a pickle,
            # say) is no reason to fail: the job is then run here and fails, or not, as it would have.
            with contextlib.suppress(Exception):
                message = _read_message(self._results, deadline)
                reply = pickle.loads(message) if message is not None else None  # noqa: S301 - from our own child
        self.close()
        if reply is None:  # the helper is gone or could not take the job: do it here
            self.ran_here = True
            function, args = self._job
            return function(*args)
        kind, value = reply
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        """Stop the helper (if it still runs) and reap it; safe to call more than once."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # nothing to tidy there; a job still being written then fails at once
        self._wait_for_writer()
        self._close_jobs()
        if self._results >= 0:
            os.close(self._results)
            self._results = -1
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0

    def _close_jobs(self) -> None:
        if self._jobs >= 0:
            os.close(self._jobs)
            self._jobs = -1

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _write_message(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(_LENGTH, "big") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_message(fd: int, deadline: float | None = None) -> bytes | None:
    """One length-prefixed message, or ``None`` at end of file (or past ``deadline``) before a whole one arrived."""
    head = _read_exactly(fd, _LENGTH, deadline)
    if head is None:
        return None
    return _read_exactly(fd, int.from_bytes(head, "big"), deadline)


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        if deadline is not None and not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            return None
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
