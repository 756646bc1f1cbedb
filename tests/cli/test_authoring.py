"""The authors' commands: lint, test, check, show, schema, diff; pre-commit hooks and modelines."""

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from dealbook.cli import main

from ..conftest import FIXTURES, REPO


@pytest.fixture
def run():
    def invoke(*args):
        return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", ["lint", "test", "check", "show", "schema", "diff"], ids=str)
def test_help(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_lint_exit_codes_and_json(run):
    flawed = run("lint", FIXTURES / "flawed")
    assert flawed.exit_code == 1 and ": C101 condition" in flawed.output
    assert run("lint", FIXTURES / "mini").exit_code == 0
    assert run("lint", FIXTURES / "mini", "--strict").exit_code == 1
    assert run("lint", FIXTURES / "mini", "--strict", "--ignore", "U101", "--ignore", "P101").exit_code == 0
    data = json.loads(run("lint", FIXTURES / "flawed", "--format", "json").output)
    assert {entry["code"] for entry in data} >= {"C101", "M101", "T101"}


def test_test_command_runs_the_playbooks_scenarios(run, tmp_path):
    result = run("test", FIXTURES / "mini_overlay")
    assert result.exit_code == 0 and "2 scenarios: 2 passed, 0 failed" in result.output
    assert run("test", FIXTURES / "mini_overlay", "--min-coverage", "100").exit_code == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"scenarios": [{"name": "x", "answers": {"deployment": "saas", "annual_value": 1},
                                                  "expect": {"items": ["price_protection", "exec_signoff"]}}]}), encoding="utf-8")
    failed = run("test", FIXTURES / "mini", "--file", bad)
    assert failed.exit_code == 1 and "FAIL  x" in failed.output and "item exec_signoff must apply" in failed.output


def test_check_exhaustive(run):
    result = run("check", "--exhaustive", FIXTURES / "flawed")
    assert result.exit_code == 1 and "conflict: rules 'big_deal' and 'saas_deal'" in result.output
    assert "combinations/s" in result.output
    assert run("check", "--exhaustive", FIXTURES / "mini").exit_code == 0
    data = json.loads(run("check", "--exhaustive", FIXTURES / "flawed", "--format", "json", "--seed", "3").output)
    assert data["seed"] == 3 and len(data["findings"]) == 4
    assert untimed(run("check", "-p", FIXTURES / "flawed").output) == untimed(result.output)  # exhaustive is what check does


def untimed(output: str) -> str:
    """Command output without the measured times, which differ from run to run."""
    return re.sub(r"in [0-9.]+ s \([0-9,]+ combinations/s\)", "", output)


@pytest.mark.parametrize("command", ["validate", "lint", "test", "check", "show"], ids=str)
def test_every_authors_command_takes_the_playbook_as_p_or_as_its_argument(run, command):
    as_option, as_argument = run(command, "-p", FIXTURES / "mini_overlay"), run(command, FIXTURES / "mini_overlay")
    assert as_option.exit_code == as_argument.exit_code and untimed(as_option.output) == untimed(as_argument.output)
    both = run(command, "-p", FIXTURES / "mini", FIXTURES / "mini_overlay")
    assert both.exit_code == 2 and "two playbooks given" in both.output


@pytest.mark.parametrize("command", ["evaluate", "lint", "check", "questionnaire"], ids=str)
def test_a_wrong_format_is_a_usage_error(run, command):
    args = [REPO / "examples/deals/eu-saas-crm.yaml"] if command == "evaluate" else []
    result = run(command, *args, "--format", "pdf")
    assert result.exit_code == 2 and "'pdf' is not one of" in result.output


def test_show_effective(run):
    result = run("show", "--effective", FIXTURES / "mini_overlay")
    assert result.exit_code == 0 and "layers, base first: mini <- mini-strict" in result.output
    assert run("show", FIXTURES / "mini_overlay").output == result.output  # the merged view is what show does


@pytest.mark.parametrize("kind", ["playbook", "module", "questions", "answers", "evaluation", "overlay", "scenarios"], ids=str)
def test_schema_prints_each_kind_with_its_id(run, kind):
    schema = json.loads(run("schema", kind).output)
    assert schema["$id"] == f"urn:dealbook:schema:{kind}"


def test_schema_unknown_kind(run):
    result = run("schema", "modul")
    assert result.exit_code == 1 and "no schema for 'modul' (did you mean 'module'?)" in result.output


def test_diff_command(run):
    result = run("diff", FIXTURES / "mini", FIXTURES / "mini_overlay")
    assert result.exit_code == 0 and result.output.startswith("# Playbook changes: mini 0.1.0 → mini-strict 0.2.0")


def test_pre_commit_hooks_call_real_commands():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    commands = {hook["id"]: hook["entry"] for hook in hooks}
    assert commands == {"dealbook-validate": "dealbook validate", "dealbook-lint": "dealbook lint", "dealbook-test": "dealbook test"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["files"]
        assert CliRunner().invoke(main, [hook["entry"].split()[1], "--help"]).exit_code == 0


def test_every_bundled_and_example_yaml_file_has_a_schema_modeline():
    files = [*(REPO / "playbooks").rglob("*.yaml"), *(REPO / "examples").rglob("*.yaml")]
    assert len(files) > 10
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.is_file(), (path, schema)
        assert json.loads(schema.read_text(encoding="utf-8"))["$id"].startswith("urn:dealbook:schema:")


def test_scenario_files_are_package_data():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dealbook.playbooks" = ["**/*.yaml"]' in pyproject
    assert list((REPO / "playbooks" / "itam" / "tests").glob("*.yaml")) and Path(REPO / "playbooks" / "itam" / "tests").is_dir()
