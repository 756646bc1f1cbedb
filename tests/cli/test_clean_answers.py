"""Every input gets a clean answer from the command line: a usage error, located problems, or success — never a traceback."""

import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner
from dealbook.cli import main

from ..conftest import REPO

DEAL = REPO / "examples/deals/small-desktop-subscription.yaml"


def invoke(*args, **options):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False, **options)


def test_an_empty_output_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "checklist.md").write_text("my own checklist")
    result = invoke("brief", DEAL, "-o", "", "--format", "md")
    assert result.exit_code == 2 and "must not be empty" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["checklist.md"]


def test_the_answers_can_come_from_standard_input(tmp_path):
    result = invoke("brief", "-", "-o", tmp_path / "out", "--format", "md", input=DEAL.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "checklist.md").is_file()


def test_json_from_standard_input_reports_duplicate_keys_with_line_and_column():
    result = invoke("evaluate", "-", input='{"deal": {"name": "A", "vendor": "B"},\n "deal": {}}')
    assert result.exit_code == 1 and "<stdin>:2:2: duplicate key 'deal' (first defined on line 1)" in result.output


def test_an_invalid_calendar_date_is_a_located_problem(tmp_path):
    answers = tmp_path / "deal.yaml"
    answers.write_text(DEAL.read_text(encoding="utf-8").replace('date: "2026-11-15"', "date: 2026-02-30"), encoding="utf-8")
    result = invoke("evaluate", answers)
    assert result.exit_code == 1 and f"{answers}:10:9: '2026-02-30' is not a real calendar date" in result.output


def test_a_late_ctrl_c_does_not_undo_a_finished_pack(tmp_path, monkeypatch):
    from dealbook.cli import deal

    echo = deal.click.echo

    def interrupted_echo(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while "wrote ..." is being printed
        echo(*args, **kwargs)

    monkeypatch.setattr(deal.click, "echo", interrupted_echo)
    result = invoke("brief", DEAL, "-o", tmp_path / "out", "--format", "md")
    assert result.exit_code == 0 and result.output.startswith("wrote 5 files")


def test_ctrl_c_while_dealbook_is_still_importing_exits_130_quietly():
    script = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'dealbook.cli':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "from dealbook.__main__ import run\n"
        "run()\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (130, "interrupted\n")


MANIFESTS = {
    "-p /etc/passwd": ["-p", "/etc/passwd"],
    "a playbook.yaml that is a list": ["-p", "LIST"],
}


@pytest.mark.parametrize("arguments", MANIFESTS.values(), ids=MANIFESTS.keys())
def test_a_playbook_that_is_not_one_is_a_located_problem(tmp_path, arguments):
    (tmp_path / "playbook.yaml").write_text("- a\n- list\n", encoding="utf-8")
    arguments = [str(tmp_path) if argument == "LIST" else argument for argument in arguments]
    result = invoke("evaluate", DEAL, *arguments)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.splitlines()[0].startswith(("/etc/passwd", str(tmp_path)))
