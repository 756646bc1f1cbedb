"""Approval routing as playbook data: loaded, validated, resolved per tier and item."""

import dealbook
import pytest
from dealbook.errors import ValidationErrors

from ..routing_fixture import ROUTING, add_routing


def test_routing_is_loaded_with_item_overrides(mini_copy):
    playbook = dealbook.load_playbook(add_routing(mini_copy), use_cache=False)
    routing = playbook.routing
    assert routing.executive == "exec"
    assert routing.route("price_protection", "fallback-1").approvers == ("owner",)
    assert routing.route("dpa", "fallback-1").approvers == ("owner", "legal")
    assert routing.route("dpa", "fallback-2").approvers == ("owner", "procurement")  # not overridden: the default
    assert routing.route("dpa", "fallback-5").approvers == ("owner", "procurement")  # the nearest lower fallback
    assert routing.route("dpa", "beyond-walk-away").reason is True
    assert routing.route("dpa", "walk-away").location.path == "tiers/walk-away"


def test_a_playbook_without_routing_has_none(mini):
    assert mini.routing is None


def test_the_bundled_playbook_routes_every_tier(itam):
    for tier in ("meets-preferred", "fallback-1", "fallback-2", "walk-away", "beyond-walk-away", "unscored"):
        assert itam.routing.route("payment_terms", tier) is not None


@pytest.mark.parametrize(("old", "new", "message", "path"), [
    ("executive: exec", "executive: boss", "unknown department 'boss'", "executive"),
    ("fallback-2: {approvers: [owner, procurement]}", "fallback-2: {approvers: [owner, procurment]}", "unknown department 'procurment' (did you mean 'procurement'?)", "tiers/fallback-2/approvers/1"),
    ("  dpa:\n", "  dpx:\n", "unknown item 'dpx' (did you mean 'dpa'?)", "items/dpx"),
    ("  unscored:", "  fallback-0:", "is not valid", "tiers"),
    ("beyond-walk-away: {approvers: [owner, legal, exec], reason: true}", "beyond-walk-away: {approvers: [owner, legal, exec], reason: yes please}", "expected true or false", "tiers/beyond-walk-away/reason"),
], ids=["executive", "approver", "item", "tier-name", "reason-type"])
def test_routing_problems_are_located(mini_copy, old, new, message, path):
    assert old in ROUTING
    add_routing(mini_copy, ROUTING.replace(old, new))
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(mini_copy, use_cache=False)
    lines = [str(problem) for problem in raised.value.problems]
    assert any(message in line and "routing.yaml:" in line and f"[{path}" in line for line in lines), lines


def test_editing_the_routing_changes_the_playbooks_content_hash(mini_copy):
    from dealbook.playbook.load import content_digest

    before = content_digest(add_routing(mini_copy))
    (mini_copy / "routing.yaml").write_text(ROUTING.replace("[owner, legal]}", "[owner, exec]}"), encoding="utf-8")
    assert content_digest(mini_copy) != before
