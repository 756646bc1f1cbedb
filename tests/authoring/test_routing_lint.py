"""A101: a walk-away-level acceptance routed without the executive."""

import dealbook
from dealbook.authoring.lint import lint_playbook

from ..routing_fixture import ROUTING, add_routing


def a101(playbook):
    return [finding for finding in lint_playbook(playbook, limit=2000, samples=200) if finding.code == "A101"]


def test_routing_that_reaches_the_executive_is_clean(mini_copy, itam):
    assert a101(dealbook.load_playbook(add_routing(mini_copy), use_cache=False)) == []
    assert a101(itam) == []


def test_an_override_that_drops_the_executive_is_reported_for_that_item(mini_copy):
    routing = ROUTING + "    walk-away: {approvers: [owner, legal]}\n"
    findings = a101(dealbook.load_playbook(add_routing(mini_copy, routing), use_cache=False))
    assert [finding.message for finding in findings] == ["accepting item 'dpa' at walk-away is approved by privacy, legal, without the executive (exec)"]
    assert findings[0].location.file.endswith("routing.yaml") and findings[0].location.line == 12


def test_a_default_without_the_executive_is_reported_for_every_item(mini_copy):
    routing = ROUTING.replace("beyond-walk-away: {approvers: [owner, legal, exec], reason: true}", "beyond-walk-away: {approvers: [owner]}")
    findings = a101(dealbook.load_playbook(add_routing(mini_copy, routing), use_cache=False))
    # exec_signoff is owned by the executive: its owner's approval is the executive's
    assert sorted(finding.message.split("'")[1] for finding in findings) == ["dpa", "hosting_review", "price_protection"]
    assert all("at beyond-walk-away" in finding.message for finding in findings)
