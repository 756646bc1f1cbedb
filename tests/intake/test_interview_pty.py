"""The real `dealbook interview` command, driven in a pseudo-terminal as a person would."""

import os
import sys

import pexpect
import pytest
from dealbook.intake.questionnaire import load_sheet

from ..conftest import FIXTURES

DOWN, CTRL_C, CTRL_U, SPACE = "\x1b[B", "\x03", "\x15", " "


@pytest.fixture
def start(tmp_path):
    children = []

    def spawn():
        # Without CPR prompt_toolkit does not wait for the terminal to report the cursor position.
        env = {**os.environ, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm", "NO_COLOR": "1"}
        command = ["-m", "dealbook.cli", "interview", "-p", str(FIXTURES / "mini"), "deal.yaml"]
        child = pexpect.spawn(sys.executable, command, cwd=str(tmp_path), env=env, encoding="utf-8",
                              timeout=30, dimensions=(40, 120))
        children.append(child)
        return child

    yield spawn
    for child in children:
        if child.isalive():
            child.terminate(force=True)


def answer(child, prompt, keys):
    child.expect_exact(prompt)
    child.send(keys)


def test_typed_interview_survives_a_wrong_value_and_ctrl_c_then_resumes(start, tmp_path, mini):
    child = start()
    answer(child, "What do we call this deal?", "Pty deal\r")
    answer(child, "What is the vendor's name", "Acme Ltd\r")
    answer(child, "What is our contracting entity?", "\r")
    answer(child, "What are we buying?", "\r")
    answer(child, "In which currency is the deal?", "eur\r")
    answer(child, "Where does it run?", DOWN + "\r")  # from On-premises down to SaaS
    answer(child, "Annual value?", "lots")
    answer(child, "expected an amount such as 450000", CTRL_U + "EUR 2m\r")
    answer(child, "Personal data?", "y\r")
    answer(child, "Which regimes?", CTRL_C)
    child.expect_exact("Stopped. Every answer so far is saved in deal.yaml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    path = tmp_path / "deal.yaml"
    sheet = load_sheet(path, mini)
    assert sheet.deal == {"name": "Pty deal", "vendor": "Acme Ltd", "currency": "EUR"}
    assert sheet.answers == {"deployment": "saas", "annual_value": 2000000, "personal_data": True}
    after_first_session = path.read_text(encoding="utf-8")

    child = start()
    answer(child, "Which regimes?", SPACE + "\r")  # resumes here: ticks the first option, GDPR
    assert "What do we call this deal?" not in child.before
    answer(child, "Go-live date?", "\r")  # skipped for now
    answer(child, "Anything else?", "Signed in a terminal: yes\r")
    child.expect_exact("Summary: Pty deal with Acme Ltd")
    child.expect_exact("Approvers required: Privacy officer, Executive sponsor")
    answer(child, "Write the briefing pack now?", "n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    sheet = load_sheet(path, mini)
    assert sheet.answers == {"deployment": "saas", "annual_value": 2000000, "personal_data": True, "regimes": ["gdpr"],
                             "notes": "Signed in a terminal: yes"}
    assert (tmp_path / "deal.yaml.bak").read_text(encoding="utf-8") == after_first_session
    assert not list(tmp_path.glob("*-brief"))
