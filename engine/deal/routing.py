"""Who must approve accepting an offer: the playbook's routing for the tier, and the deal's own approvers.

Routing is playbook data (``routing:`` files, :class:`~dealbook.playbook.model.Routing`):
per tier, with per-item overrides; ``owner`` stands for the department that
owns the item or term. A playbook without routing asks nobody per item; the
approvers the deal's rules require sign the deal as a whole either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..playbook.model import OWNER
from .evaluation import Evaluation
from .tiers import Tier

__all__ = ["Needed", "approvals_needed", "deal_approvals_needed"]


@dataclass(frozen=True, slots=True)
class Needed:
    """Departments whose approval an acceptance needs, and whether each must give a written reason."""

    departments: tuple[str, ...]  # department ids, in routing order
    reason: bool = False


def approvals_needed(evaluation: Evaluation, item: str, owner: str, tier: Tier) -> Needed:
    """Who approves accepting ``item`` (owned by ``owner``) at ``tier``, by the playbook's routing.

    A position dealbook could not place (unscored, not found) routes as
    ``unscored``; a routing with no route for the tier asks nobody.
    """
    routing = evaluation.playbook.routing
    if routing is None:
        return Needed(())
    tier_id = tier.id if tier.scored else "unscored"
    route = routing.route(item, tier_id)
    if route is None:
        return Needed(())
    departments = tuple(dict.fromkeys(owner if role == OWNER else role for role in route.approvers))
    return Needed(departments, route.reason)


def deal_approvals_needed(evaluation: Evaluation) -> Needed:
    """The departments the deal's rules require (``require_approver``), to sign the deal as agreed."""
    return Needed(tuple(approval.department.id for approval in evaluation.approvals))
