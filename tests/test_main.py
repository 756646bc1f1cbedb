"""The ``dealbook`` entry point: exit codes, and every byte of output, survive leaving without a teardown."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO

DEAL = REPO / "examples/deals/enterprise-agreement.yaml"


def dealbook(*args: object, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dealbook", *map(str, args)], capture_output=True, text=True, timeout=120, **options)


@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        (["--version"], 0, "stdout", "dealbook, version"),
        (["evaluate", "nope.yaml"], 1, "stderr", "nope.yaml: file not found"),
        (["brief", "x.yaml", "--format", "pdf"], 2, "stderr", "pdf is not a format"),
    ],
    ids=["success", "error", "usage"],
)
def test_exit_codes_and_messages(args, code, stream, text):
    result = dealbook(*args)
    assert result.returncode == code
    assert text in getattr(result, stream)


def test_a_long_output_is_written_out_whole():
    result = dealbook("evaluate", DEAL, "--format", "json", "--explain")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout) > 100_000  # more than any pipe buffer holds
    assert json.loads(result.stdout)["items"]


def test_exit_handlers_still_run():
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('handler ran', flush=True))\n"
        "sys.argv = ['dealbook', '--version']\n"
        "from dealbook.__main__ import run\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "handler ran"


def test_a_closed_pipe_is_not_a_traceback():
    with subprocess.Popen([sys.executable, "-m", "dealbook", "evaluate", str(DEAL), "--format", "json", "--explain"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        process.stdout.read(10)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        process.wait(timeout=120)
    assert stderr == ""  # no traceback, nor Python's "Exception ignored" about the stream at exit
