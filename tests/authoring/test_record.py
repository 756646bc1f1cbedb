from pathlib import Path

import yaml
from click.testing import CliRunner
from dealbook.authoring.scaffold import scaffold_playbook
from dealbook.cli import main

NEW = """\
  - name: Mid-size on-premises deal
    answers: {delivery: on_prem, annual_value: 260000}
"""


def test_record_writes_expectations_for_a_new_scenario_and_the_tests_then_pass(tmp_path: Path):
    folder = tmp_path / "pb"
    scaffold_playbook(folder)
    tests = folder / "tests" / "basics.yaml"
    before = tests.read_text(encoding="utf-8") + NEW
    tests.write_text(before, encoding="utf-8")
    failing = CliRunner().invoke(main, ["test", str(folder)])
    assert failing.exit_code == 1 and "no expectations yet" in failing.stdout
    recorded = CliRunner().invoke(main, ["test", str(folder), "--record"])
    assert recorded.exit_code == 0, recorded.output
    assert recorded.stderr == f"recorded expectations for 1 scenario(s) in {tests}; review them (the file as it was: {tests}.bak)\n"
    assert (folder / "tests" / "basics.yaml.bak").read_text(encoding="utf-8") == before
    text = tests.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/scenarios.schema.json\n")
    scenarios = yaml.safe_load(text)["scenarios"]
    assert scenarios[-1]["expect"] == {
        "items": ["price_protection"], "not_items": ["hosting_terms"], "priorities": {"price_protection": "high"},
        "terms": {"price_increase_cap": {"target": 2, "fallback": 3, "walk_away": 7}}, "approvers": ["legal"],
    }
    assert scenarios[0]["expect"] == {"items": ["price_protection", "hosting_terms"], "priorities": {"price_protection": "high"},
                                      "terms": {"price_increase_cap": {"target": 2, "fallback": 3}}, "approvers": ["legal"]}
    assert CliRunner().invoke(main, ["test", str(folder)]).exit_code == 0
