"""dealbook diff: element-level changes between two playbook versions, as Markdown."""

import dealbook
from dealbook.authoring.diff import diff_playbooks

from ..conftest import FIXTURES, edit


def test_identical_playbooks_have_no_changes(mini):
    assert "No changes to the playbook's metadata, modules, questions" in diff_playbooks(mini, mini)


def test_changes_are_grouped_and_specific(mini, mini_copy):
    edit(mini_copy / "modules/commercial.yaml", "target: 3", "target: 2")
    edit(mini_copy / "modules/commercial.yaml", "priority: medium", "priority: high")
    edit(mini_copy / "modules/data.yaml", "Notice within {{ terms.breach_hours.fallback }} hours.\"",
         "Notice within {{ terms.breach_hours.fallback }} hours. Reports within 5 days.\"")
    edit(mini_copy / "modules/data.yaml", "      - exclude: [hosting_review]", "      - exclude: [dpa]")
    edit(mini_copy / "questions.yaml", "text: Anything else?", "text: Anything else to note?")
    text = diff_playbooks(mini, dealbook.load_playbook(mini_copy))
    assert text.splitlines()[0] == "# Playbook changes: mini 0.1.0 → mini 0.1.0"
    assert "Changed: 1 questions, 1 terms, 2 items, 1 rules." in text
    assert "- **changed** `price_cap` — Annual price increase cap\n  - target: `3` → `2`" in text
    assert "- **changed** `price_protection` — Price protection\n  - priority: `medium` → `high`" in text
    assert "  - fallback 1 clause:\n    ```diff" in text and "    +Reports within 5 days." in text
    assert "  - effects: `exclude hosting_review` → `exclude dpa`" in text
    assert "  - text: `Anything else?` → `Anything else to note?`" in text


def test_added_and_removed_elements(mini):
    overlay = dealbook.load_playbook(FIXTURES / "mini_overlay")
    text = diff_playbooks(mini, overlay)
    assert "- **added** `pen_test` — Penetration test" in text
    assert "- **removed** `on_prem_no_hosting`" in text
    assert "- **added** `ciso` — CISO" in text
    reverse = diff_playbooks(overlay, mini)
    assert "- **removed** `pen_test` — Penetration test" in reverse and "- **added** `on_prem_no_hosting`" in reverse


def test_module_and_playbook_metadata_changes_are_reported(mini, mini_copy):
    edit(mini_copy / "modules/commercial.yaml", "summary: Money.", "summary: Money and price protection.")
    edit(mini_copy / "playbook.yaml", "title: Minimal test playbook", "title: Minimal playbook for tests")
    text = diff_playbooks(mini, dealbook.load_playbook(mini_copy, use_cache=False))
    assert "Changed: 1 playbook, 1 modules." in text
    assert "## Playbook\n\n- **changed** `playbook.yaml`\n  - title: `Minimal test playbook` → `Minimal playbook for tests`" in text
    assert "## Modules\n\n- **changed** `commercial` — Commercial\n  - summary: `Money.` → `Money and price protection.`" in text
