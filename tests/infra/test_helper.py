"""The helper process: it imports ahead, runs one job, and a lost helper costs time, never the result."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest
from dealbook.errors import DealbookError, InputFileError, Location
from dealbook.infra.helper import PROCESSES_VARIABLE, start_helper

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
                                reason="the helper runs on Linux with two CPUs or more")

#: A standard-library module no test imports, to see that the helper imported it ahead.
AHEAD = "tabnanny"


def where_and_what(value: int) -> tuple[int, int, bool]:
    return os.getpid(), value * 2, AHEAD in sys.modules


class Refused(DealbookError):
    exit_code = 3


def refuse(message: str) -> None:
    raise Refused(message)


def refuse_with_location(message: str) -> None:
    raise InputFileError(Location("house.docx"), message)  # its pickle cannot rebuild it: the job is redone here


def slow_in_helper(parent: int, value: int) -> tuple[int, int, bool]:
    if os.getpid() != parent:
        time.sleep(30)
    return where_and_what(value)


SEEN: list[str] = []


def note(word: str) -> None:
    if word == "fail":
        raise ValueError("a hint that fails")
    SEEN.append(word)


def seen_then(word: str) -> tuple[int, list[str]]:
    return os.getpid(), [*SEEN, word]


def wait_gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return True
        time.sleep(0.01)
    return False


@pytest.fixture(autouse=True)
def _several_processes(monkeypatch):
    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)


def test_the_job_runs_in_the_helper_with_its_modules_imported_ahead():
    assert AHEAD not in sys.modules
    with start_helper([AHEAD]) as helper:
        helper.submit(where_and_what, 21)
        pid, doubled, imported = helper.result()
    assert (doubled, imported) == (42, True)
    assert pid != os.getpid()
    assert not helper.ran_here
    assert AHEAD not in sys.modules  # imported there, not here


def test_hints_are_worked_on_before_the_job_and_a_failing_one_is_dropped():
    with start_helper([]) as helper:
        for word in ("parse", "fail", "ahead"):
            helper.hint(note, word)
        helper.submit(seen_then, "job")
        pid, words = helper.result()
    assert pid != os.getpid() and not helper.ran_here
    assert words == ["parse", "ahead", "job"]
    assert SEEN == []  # the hints ran there, not here


def test_the_jobs_own_error_is_raised_here_as_it_was_raised_there():
    with start_helper([]) as helper:
        helper.submit(refuse, "reference document not found: house.docx")
        with pytest.raises(DealbookError, match="reference document not found: house.docx") as raised:
            helper.result()
    assert raised.value.exit_code == 3
    assert not helper.ran_here


def test_an_error_that_cannot_travel_is_raised_by_doing_the_job_here():
    with start_helper([]) as helper:
        helper.submit(refuse_with_location, "not a Word document (.docx)")
        with pytest.raises(InputFileError) as raised:
            helper.result()
    assert str(raised.value.problem) == "house.docx: not a Word document (.docx)"
    assert helper.ran_here


def test_a_helper_that_died_before_its_job_costs_time_not_the_result():
    helper = start_helper([])
    os.kill(helper.pid, signal.SIGKILL)
    assert wait_gone(helper.pid)
    helper.pid = 0  # reaped above
    helper.submit(where_and_what, 5)
    pid, doubled, _ = helper.result()
    assert (pid, doubled) == (os.getpid(), 10)
    assert helper.ran_here


def test_a_helper_killed_while_working_costs_time_not_the_result():
    helper = start_helper([])
    helper.submit(slow_in_helper, os.getpid(), 4)  # busy in the helper ...
    time.sleep(0.05)
    os.kill(helper.pid, signal.SIGKILL)  # ... when it dies: the job is done here instead, where it is quick
    pid, doubled, _ = helper.result()
    assert (pid, doubled) == (os.getpid(), 8)
    assert helper.ran_here


def sleep_in_helper(parent: int, seconds: float) -> None:
    if os.getpid() != parent:
        time.sleep(seconds)


def test_a_job_larger_than_the_pipe_never_holds_this_process_up():
    import threading

    helper = start_helper([])
    helper.hint(sleep_in_helper, os.getpid(), 30)  # the helper is busy, not reading the pipe
    started = time.monotonic()
    helper.submit(len, "x" * (4 << 20))  # four times what a pipe holds
    assert time.monotonic() - started < 1
    helper.close()  # stops the helper, and with it the write still waiting
    assert time.monotonic() - started < 5
    assert threading.active_count() == 1


def test_a_helper_that_does_not_answer_in_time_is_stopped_and_the_job_done_here():
    helper = start_helper([])
    pid = helper.pid
    helper.hint(sleep_in_helper, os.getpid(), 30)  # stuck, as far as this process can tell
    helper.submit(where_and_what, 3)
    started = time.monotonic()
    assert helper.result(timeout=0.5)[:2] == (os.getpid(), 6)
    assert helper.ran_here and time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # stopped and reaped


def test_a_job_larger_than_the_pipe_arrives_whole():
    with start_helper([]) as helper:
        helper.submit(len, "x" * (4 << 20))
        assert helper.result() == 4 << 20
    assert not helper.ran_here


def test_ctrl_c_is_the_parents_to_handle():
    with start_helper([]) as helper:
        os.kill(helper.pid, signal.SIGINT)
        time.sleep(0.05)
        helper.submit(where_and_what, 1)
        pid, _, _ = helper.result()
    assert pid != os.getpid()
    assert not helper.ran_here


def test_a_helper_whose_parent_leaves_without_a_job_exits():
    helper = start_helper([])
    pid = helper.pid
    helper._close_jobs()  # noqa: SLF001 - what the parent's exit does to the pipe
    assert wait_gone(pid)
    helper.pid = 0
    helper.close()


def test_close_stops_and_reaps_the_helper_and_may_be_called_twice():
    helper = start_helper([])
    pid = helper.pid
    helper.close()
    helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_no_helper_is_forked_while_another_thread_runs():
    import threading

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert start_helper([]) is None
    finally:
        release.set()
        thread.join()
    with start_helper([]) as helper:
        assert helper is not None


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setenv(PROCESSES_VARIABLE, "1")
    assert start_helper([AHEAD]) is None
