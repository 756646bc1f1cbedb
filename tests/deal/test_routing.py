"""Who approves accepting an offer: a scenario per tier, item overrides, no routing."""

import dealbook
import pytest
from dealbook.deal.answers import Answers, Deal
from dealbook.deal.routing import approvals_needed, deal_approvals_needed
from dealbook.deal.tiers import BEYOND, NOT_FOUND, PREFERRED, UNSCORED, WALK_AWAY, Tier

from ..routing_fixture import add_routing

DEAL = {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]}


@pytest.fixture
def routed(mini_copy):
    playbook = dealbook.load_playbook(add_routing(mini_copy), use_cache=False)
    return dealbook.evaluate(playbook, Answers(Deal("Deal", "Acme"), DEAL))


@pytest.mark.parametrize(("tier", "item", "owner", "departments", "reason"), [
    (PREFERRED, "price_protection", "procurement", (), False),
    (Tier("fallback", 1), "price_protection", "procurement", ("procurement",), False),
    (Tier("fallback", 2), "price_protection", "procurement", ("procurement",), False),  # the owner is procurement: named once
    (Tier("fallback", 1), "dpa", "privacy", ("privacy", "legal"), False),  # the item's override
    (Tier("fallback", 2), "dpa", "privacy", ("privacy", "procurement"), False),
    (WALK_AWAY, "dpa", "privacy", ("privacy", "legal", "exec"), False),
    (BEYOND, "dpa", "privacy", ("privacy", "legal", "exec"), True),
    (UNSCORED, "dpa", "privacy", ("privacy", "legal"), False),
    (NOT_FOUND, "dpa", "privacy", ("privacy", "legal"), False),  # routes as unscored
], ids=["preferred", "fallback-1", "fallback-2-owner-once", "override", "fallback-2", "walk-away", "beyond", "unscored", "not-found"])
def test_each_tier_routes_to_its_approvers(routed, tier, item, owner, departments, reason):
    needed = approvals_needed(routed, item, owner, tier)
    assert (needed.departments, needed.reason) == (departments, reason)


def test_without_routing_nobody_is_asked_per_item(mini):
    evaluation = dealbook.evaluate(mini, Answers(Deal("Deal", "Acme"), DEAL))
    assert approvals_needed(evaluation, "dpa", "privacy", WALK_AWAY).departments == ()
    assert deal_approvals_needed(evaluation).departments == ("privacy", "exec")
