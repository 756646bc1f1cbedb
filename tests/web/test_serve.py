"""``dealbook serve --workers``: several processes on one socket, saves to one deal still serialised, no orphans."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from dealbook.web.workspace import Change, Workspace, field_version

from .conftest import EXAMPLES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need fork (POSIX)")

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_VERSION = re.compile(r'name="version\.answer\.business_units" value="([0-9a-f]+)"')


def _serve(folder: Path, workers: int) -> tuple[subprocess.Popen, int, str]:
    process = subprocess.Popen([sys.executable, "-m", "dealbook.cli", "serve", "--deals", str(folder), "--port", "0",
                                "--workers", str(workers)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    match = re.search(r"127\.0\.0\.1:(\d+)", line)
    if not match:
        process.kill()
        pytest.fail(f"dealbook serve did not start: {line}{process.stdout.read()}")
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process, int(match[1]), line


def _workers_of(pid: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                children.add(int(stat.parent.name))
        except (OSError, IndexError):
            continue
    return children


class _Browser:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.cookie = ""

    def request(self, method: str, path: str, body: str = "") -> str:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"})
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie and "dealbook_csrf=" in cookie:
            self.cookie = cookie.split(";", 1)[0]
        assert response.status == 200, text[:200]
        return text


@pytest.fixture
def one_deal(tmp_path) -> Path:
    folder = tmp_path / "deals"
    folder.mkdir()
    shutil.copy(EXAMPLES / "eu-saas-crm.yaml", folder / "deal.yaml")
    return folder


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counting worker processes reads /proc")
def test_workers_share_one_deal_without_losing_a_save(one_deal, itam):
    """Eight browsers on four processes save one answer from the versions they were shown: exactly one save per version."""
    process, port, line = _serve(one_deal, workers=4)
    try:
        assert "in 4 processes" in line
        assert len(_workers_of(process.pid)) == 3  # the first process serves too
        accepted: list[tuple[str, str]] = []
        errors: list[str] = []

        def browse(number: int) -> None:
            browser = _Browser(port)
            try:
                page = browser.request("GET", "/deals/deal")
                csrf, version = _CSRF.search(page)[1], _VERSION.search(page)[1]
                for save in range(15):
                    value = str(1000 + number * 100 + save)
                    body = urllib.parse.urlencode({"csrf": csrf, "version.answer.business_units": version,
                                                   "answer.business_units": value})
                    text = browser.request("POST", "/deals/deal/fields/answer.business_units", body)
                    base, version = version, _VERSION.search(text)[1]
                    if "changed elsewhere" not in text:
                        accepted.append((base, version))
            except (OSError, AssertionError, TypeError) as error:
                errors.append(repr(error))

        threads = [threading.Thread(target=browse, args=(number,)) for number in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not errors
        bases = [base for base, _ in accepted]
        assert len(bases) == len(set(bases)), "two saves were accepted on one version: one overwrote the other"
        stored = Workspace(one_deal, itam).read("deal").sheet.answers["business_units"]
        ends = {new for _, new in accepted} - set(bases)
        assert ends == {field_version(stored)}, "the file must hold the one accepted save nobody built on"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not _workers_of(process.pid)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counting worker processes reads /proc")
def test_workers_stop_with_the_server_even_when_it_is_killed(one_deal):
    process, _, _ = _serve(one_deal, workers=3)
    workers = _workers_of(process.pid)
    assert len(workers) == 2
    process.send_signal(signal.SIGKILL)  # no chance to stop its workers itself
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while deadline > time.monotonic() and any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() and _running(pid) for pid in workers)


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_lock_folder_serialises_saves_across_workspaces(one_deal, itam, tmp_path):
    """Two workspaces (as in two processes) sharing a lock folder: a save in one waits for the other's."""
    locks = tmp_path / "locks"
    locks.mkdir()
    first, second = Workspace(one_deal, itam, lock_folder=locks), Workspace(one_deal, itam, lock_folder=locks)
    path = first.path_for("deal")
    entered = threading.Event()
    order: list[str] = []

    def hold() -> None:
        with first.lock(path):
            entered.set()
            time.sleep(0.3)
            order.append("first done")

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    version = field_version(second.read("deal").sheet.answers.get("business_units"))
    second.save("deal", [Change("answer", "business_units", "77", version)])
    order.append("second saved")
    holder.join()
    assert order == ["first done", "second saved"]
    assert first.read("deal").sheet.answers["business_units"] == 77


def test_a_deal_another_worker_saved_is_read_from_its_note_and_only_while_the_file_is_unchanged(one_deal, itam, tmp_path,
                                                                                                 monkeypatch):
    """What one process saved, another reads without parsing the file again — unless the file changed since."""
    import dealbook.web.workspace as workspace_module
    from dealbook.intake.questionnaire import load_sheet

    locks = tmp_path / "locks"
    locks.mkdir()
    first, second = Workspace(one_deal, itam, lock_folder=locks), Workspace(one_deal, itam, lock_folder=locks)
    version = field_version(first.read("deal").sheet.answers.get("user_count"))
    first.save("deal", [Change("answer", "user_count", "4321", version)])
    parsed = load_sheet(first.path_for("deal"), itam)

    def refuse(*args, **kwargs):
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(workspace_module, "load_sheet", refuse)
    noted = second.read("deal").sheet
    assert noted == parsed and noted.answers["user_count"] == 4321

    monkeypatch.setattr(workspace_module, "load_sheet", load_sheet)
    path = first.path_for("deal")
    path.write_text(path.read_text(encoding="utf-8").replace("user_count: 4321", "user_count: 99"), encoding="utf-8")
    assert Workspace(one_deal, itam, lock_folder=locks).read("deal").sheet.answers["user_count"] == 99  # the note is stale


def _sockets(pid: int) -> int:
    count = 0
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(descriptor).startswith("socket:")
        except OSError:
            continue
    return count


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT") or not Path("/proc/self/fd").exists(),
                    reason="spreading connections needs SO_REUSEPORT; counting them reads /proc")
def test_connections_are_spread_over_the_workers(one_deal):
    """Browsers keep their connection open, so it matters who takes it: no worker may take most of them."""
    process, port, _ = _serve(one_deal, workers=4)
    connections = []
    try:
        processes = [process.pid, *_workers_of(process.pid)]
        before = {pid: _sockets(pid) for pid in processes}

        def arrive() -> None:  # forty browsers at once, as a team opening the workspace
            browser = _Browser(port)
            browser.request("GET", "/deals/deal")
            connections.append(browser)

        arrivals = [threading.Thread(target=arrive) for _ in range(40)]
        for thread in arrivals:
            thread.start()
        for thread in arrivals:
            thread.join(timeout=30)
        taken = {pid: _sockets(pid) - before[pid] for pid in processes}
        assert sum(taken.values()) == 40
        assert max(taken.values()) <= 22, taken  # on one shared socket, one of four processes took 13 of 20
        assert min(taken.values()) >= 1, taken
    finally:
        for browser in connections:
            browser.connection.close()
        process.terminate()
        process.wait(timeout=10)
