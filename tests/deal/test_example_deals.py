"""Each bundled example deal gets guidance tailored to its shape.

For every deal: items that must and must not apply, must-win (critical)
items, key term values after the rules, risk flags and required approvers.
"""

from itertools import combinations

import dealbook
import pytest

from ..conftest import REPO

SHAPES = {
    "eu-saas-crm": {  # vendor-hosted SaaS, EU personal data, three years
        "applies": {"data_residency", "subprocessor_control", "breach_notification", "regulated_processing_terms",
                    "availability_sla", "service_credits", "exit_data_and_configuration_export", "security_certifications"},
        "not": {"virtualisation_rights", "disaster_recovery_rights", "cloud_deployment_rights", "consumption_metering",
                "exit_runoff_and_archive_licence", "software_security_self_hosted"},
        "critical": {"data_residency", "subprocessor_control", "breach_notification", "regulated_processing_terms"},
        "terms": {"breach_notice_hours": (24, 48, 72), "audit_notice_days": (90, 60, 60)},
        "flags": {"eu_data_uncontrolled_location": "critical", "uncontrolled_regulated_location": "critical"},
        "approvers": {"privacy", "security", "legal"},
    },
    "onprem-db-per-core": {  # per-core database, virtualised cluster, DR, planned cloud move
        "applies": {"virtualisation_rights", "disaster_recovery_rights", "cloud_deployment_rights", "licence_mobility_hybrid",
                    "true_up_terms", "audit_evidence_formats", "software_security_self_hosted", "exit_runoff_and_archive_licence"},
        "not": {"availability_sla", "data_residency", "security_certifications", "consumption_metering",
                "exit_data_and_configuration_export", "user_access_definition"},
        "critical": {"virtualisation_rights", "disaster_recovery_rights", "cloud_deployment_rights"},
        "terms": {"breach_notice_hours": (48, 72, 72), "support_rate_pct": (18, 20, 22)},
        "flags": {"per_core_on_virtual_cluster": "high", "mobile_infrastructure_licensing": "high"},
        "approvers": {"itam", "it_ops", "finance"},
    },
    "small-desktop-subscription": {  # EUR 18k, one year, per user, no personal data
        "applies": {"signoff_authority", "support_fee_increase_cap", "gov_contract_managers_and_renewals",
                    "exit_billing_stop_and_settlement", "retroactive_billing_limit", "licence_metric_fit", "invoice_requirements"},
        "not": {"gov_financial_health_and_escrow", "gov_business_reviews_and_escalation", "exit_knowledge_transfer",
                "milestone_payments", "breach_notification", "data_residency", "availability_sla", "dispute_escalation"},
        "critical": set(),
        "terms": {"support_uplift_cap_pct": (5, 7, 10), "audit_notice_days": (90, 60, 60)},
        "flags": {},
        "approvers": {"procurement"},
        "max_items": 18,
        "opens_at_fallback": {"signoff_authority", "support_fee_increase_cap", "payment_terms"},
    },
    "health-cloud-consumption": {  # consumption platform, committed spend, hybrid, health data
        "applies": {"consumption_metering", "committed_spend_protection", "encryption_key_management",
                    "regulated_processing_terms", "breach_notification", "vendor_dr_objectives",
                    "true_up_terms", "licence_mobility_hybrid"},
        "not": {"licence_reharvesting", "user_access_definition", "licence_metric_fit"},
        "critical": {"consumption_metering", "committed_spend_protection", "encryption_key_management", "breach_notification"},
        "terms": {"breach_notice_hours": (24, 36, 48), "rca_hours": (24, 48, 48)},
        "flags": {"health_data_safeguards": "high", "service_levels_regulated_operations": "high"},
        "approvers": {"privacy", "security", "finance"},
    },
    "aggressive-audit-renewal": {  # renewal, vendor known for aggressive audits, open claim
        "applies": {"compliance_baseline_on_renewal", "audit_notice_and_scope", "audit_findings_dispute",
                    "audit_liability_cap", "retroactive_billing_limit", "auditor_independence"},
        "not": {"data_residency", "breach_notification", "consumption_metering", "availability_sla"},
        "critical": {"compliance_baseline_on_renewal", "audit_notice_and_scope", "audit_findings_dispute",
                     "audit_liability_cap", "retroactive_billing_limit"},
        "terms": {"audit_notice_days": (120, 90, 60), "audit_lookback_months": (12, 12, 12), "audit_finding_cap_pct": (10, 25, 50)},
        "flags": {"open_compliance_claim": "critical", "open_claim_settled_in_deal": "critical",
                  "aggressive_auditor_hardens_audit_terms": "high"},
        "approvers": {"itam", "legal", "exec"},
    },
    "enterprise-agreement": {  # GBP 4.2m a year for five years, paid up front; vendor bought by private equity
        "applies": {"gov_change_of_control_and_continuity", "gov_financial_health_and_escrow", "payment_terms",
                    "support_fee_increase_cap", "sla_exit_right", "milestone_payments"},
        "not": {"consumption_metering", "committed_spend_protection"},
        "critical": {"gov_change_of_control_and_continuity", "payment_terms", "licence_mobility_hybrid"},
        "terms": {"support_uplift_cap_pct": (2, 3, 5), "uptime_pct": (99.99, 99.95, 99.9)},
        "flags": {"financial_prepayment_exposure": "high", "gov_ownership_change_locks_terms": "high"},
        "approvers": {"finance", "exec", "legal"},
    },
}


@pytest.fixture(scope="module")
def evaluations(itam):
    return {
        name: dealbook.evaluate(itam, dealbook.load_answers(REPO / "examples" / "deals" / f"{name}.yaml", itam))
        for name in SHAPES
    }


def test_every_example_deal_has_a_shape():
    assert {path.stem for path in (REPO / "examples" / "deals").glob("*.yaml")} == set(SHAPES)


@pytest.mark.parametrize("name", SHAPES, ids=list(SHAPES))
def test_items_priorities_terms_flags_and_approvers(evaluations, name):
    shape, evaluation = SHAPES[name], evaluations[name]
    items = {result.id: result for result in evaluation.items}
    assert shape["applies"] <= set(items), shape["applies"] - set(items)
    assert not shape["not"] & set(items), shape["not"] & set(items)
    critical = {item_id for item_id, result in items.items() if result.priority == "critical"}
    assert shape["critical"] <= critical, shape["critical"] - critical
    assert len(critical) <= 10, "a negotiator needs a short list of must-wins"
    assert sum(result.priority == "high" for result in items.values()) <= 15, "high must still mean something"
    for term_id, values in shape["terms"].items():
        result = evaluation.terms_by_id[term_id]
        assert (result.target, result.fallback, result.walk_away) == values, term_id
    flags = {flag.rule.id: flag.severity for flag in evaluation.flags}
    for rule_id, severity in shape["flags"].items():
        assert flags.get(rule_id) == severity, rule_id
    assert shape["approvers"] <= {approval.department.id for approval in evaluation.approvals}
    if "max_items" in shape:
        assert len(items) <= shape["max_items"]
    for item_id in shape.get("opens_at_fallback", ()):
        assert items[item_id].tier >= 1, item_id


def test_no_two_deals_get_the_same_guidance(evaluations):
    def fingerprint(evaluation):
        return (
            frozenset((result.id, result.priority, result.tier) for result in evaluation.items),
            frozenset((term.id, term.target) for term in evaluation.terms),
        )

    for first, second in combinations(SHAPES, 2):
        one, other = fingerprint(evaluations[first]), fingerprint(evaluations[second])
        assert one[0] != other[0] and one[1] != other[1], (first, second)
        items_one, items_other = {r.id for r in evaluations[first].items}, {r.id for r in evaluations[second].items}
        assert len(items_one ^ items_other) >= 5, (first, second)
