import pytest
from dealbook.infra.elements import element_name

CONTENT = {
    "items": [{"id": "dpa", "positions": {"fallbacks": [{"summary": "a"}, {"summary": "b"}]}}],
    "rules": [{"id": "other"}, {"id": "financial_large_deal_controls", "then": [{"require_approver": {"approver": "cfo"}}]}],
    "questions": [{"id": "deployment", "options": [{"value": "saas", "label": "SaaS"}]}],
    "scenarios": [{"name": "EU SaaS", "expect": {"items": ["dpa"]}}],
    "modules": ["modules/a.yaml"],
}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("rules", 1, "then", 0), "rule 'financial_large_deal_controls', effect 1"),
        (("rules", 1, "then", 0, "require_approver", "approver"), "rule 'financial_large_deal_controls', effect 1, require_approver/approver"),
        (("items", 0, "positions", "fallbacks", 1, "summary"), "item 'dpa', fallback 2, summary"),
        (("questions", 0, "options", 0, "label"), "question 'deployment', option 'saas', label"),
        (("scenarios", 0, "expect", "items"), "scenario 'EU SaaS', expect/items"),
        (("items", 0), "item 'dpa'"),
        (("modules", 0), ""),
        (("rules", 9, "when"), ""),
        ((), ""),
    ],
    ids=["effect", "effect-field", "fallback", "option", "scenario", "item", "unnamed-list", "out-of-range", "root"],
)
def test_paths_are_named_by_the_elements_they_pass(path, name):
    assert element_name(CONTENT, path) == name
