"""Give every property of the schemas authors edit a description and examples, in the author's words.

The words live here, one row per property, and are written into
``schemas/*.schema.json`` (a description or example already in a schema is
kept). Run it after adding a property, then review the diff::

    python tools/describe_schemas.py

``tests/infra/test_schema_docs.py`` fails while a property of an author's
schema has no description or examples, a pattern has no plain-words error
message, or a definition no title (editors say "Expected <title>").
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"

ID = "A short name other files use to refer to this: lower-case letters, digits and underscores, starting with a letter."
#: file -> JSON pointer of the property (``/properties/x`` or ``/$defs/d/properties/x``) -> (description, examples)
WORDS: dict[str, dict[str, tuple[str, list[Any]]]] = {
    "playbook": {
        "/properties/id": ("The playbook's short name, printed on every pack and used by overlays in 'extends'.", ["itam", "saas-renewals"]),
        "/properties/title": ("The playbook's name as readers see it.", ["IT asset management — software and SaaS contract negotiation"]),
        "/properties/version": ("The playbook's version (major.minor or major.minor.patch), printed on every briefing pack.", ["1.0.0", "2.1"]),
        "/properties/description": ("What the playbook is for, for whom, and who keeps it up to date.", ["Negotiation guidance for software licences and SaaS subscriptions."]),
        "/properties/departments": ("Who owns items and terms and who may be required to approve: Legal, Procurement, Security...", [[{"id": "legal", "name": "Legal"}]]),
        "/properties/questionnaire": ("The question files, in the order a negotiator is asked them.", [["questions/deal.yaml", "questions/data.yaml"]]),
        "/properties/modules": ("The module files, in outline order.", [["modules/01-scope.yaml", "modules/02-licensing.yaml"]]),
        "/properties/extends": ("Makes this playbook an overlay of another: a bundled playbook's name or a folder relative to this file.", ["itam", "../itam"]),
        "/properties/patterns": ("Pattern files for dealbook review: where each item's topic, red flags and term values live in a vendor's paper.", [["patterns/01-scope.yaml"]]),
        "/properties/overrides": ("Overlay patch files that change, add or remove questions, facts, terms, items and rules by id.", [["overrides/security.yaml"]]),
        "/properties/definitions": ("The defined-terms registry: the capitalised terms clauses use, with their definitions.", ["definitions.yaml"]),
        "/properties/outline": None,  # described where it is declared
        "/properties/departments/items/properties/id": (ID + " Items, terms and approvals name departments by it.", ["legal", "security"]),
        "/properties/departments/items/properties/name": ("The department's name as packs print it.", ["Legal", "Information security"]),
        "/properties/departments/items/properties/description": ("What the department owns in a negotiation.", ["Owns the contract language and signs off deviations."]),
    },
    "module": {
        "/properties/id": (ID, ["financial", "data_protection"]),
        "/properties/number": (None, [3]),
        "/properties/title": ("The module's name as the checklist heads it.", ["Financial terms and cost control"]),
        "/properties/summary": ("One or two sentences on what the module covers.", ["Price, payment and the levers that keep the total cost predictable."]),
        "/properties/terms": ("The measurable terms this module owns: one number each, with target, fallback and walk-away.", [[{"id": "price_increase_cap", "title": "Yearly price increase cap", "unit": "%", "better": "lower", "target": 3, "fallback": 5, "walk_away": 7, "owner": "procurement"}]]),
        "/properties/items": ("The checklist items: what to negotiate, with the positions from preferred to walk-away.", [[{
            "id": "price_protection", "title": "Price protection on renewal", "objective": "Fees rise at most by an agreed cap each year.",
            "owner": "procurement", "priority": "medium", "rationale": "Without a cap the first-year discount is taken back at renewal.",
            "positions": {"preferred": {"summary": "Increases capped at {{ terms.price_increase_cap }} a year."},
                          "fallbacks": [{"summary": "Increases capped at {{ terms.price_increase_cap.fallback }}% a year."}],
                          "walk_away": {"summary": "Uncapped increases."}}}]]),
        "/properties/rules": ("Rules that tailor items and terms to a deal: when a condition holds, their effects apply.", [[{
            "id": "large_deal_controls", "when": "annual_value >= 250000", "because": "A large commitment deserves the tightest cap.",
            "then": [{"set_term": {"term": "price_increase_cap", "target": 2}}]}]]),
        "/$defs/term/properties/id": (ID + " Clauses read it as terms.<id>.", ["breach_notice_hours"]),
        "/$defs/term/properties/title": ("The term as the term sheet names it.", ["Personal-data breach notification"]),
        "/$defs/term/properties/description": ("What exactly is measured, in one sentence.", ["Time from the vendor becoming aware of a breach to notifying us."]),
        "/$defs/term/properties/unit": ("What the number counts; printed after it.", ["hours", "days", "%", "months"]),
        "/$defs/term/properties/target": ("What we open with.", [48, 3]),
        "/$defs/term/properties/fallback": ("What we accept when the target is refused.", [72, 5]),
        "/$defs/term/properties/walk_away": ("Beyond this we do not sign.", [96, 7]),
        "/$defs/term/properties/owner": ("The department (id from playbook.yaml) that owns the number.", ["privacy", "procurement"]),
        "/$defs/term/properties/better": (None, ["lower", "higher"]),
        "/$defs/term/properties/display": (None, ["lesser of {value}% or CPI-U"]),
        "/$defs/position/properties/summary": ("The position in a line, for the checklist; a template, so it may quote terms.", ["Notice within {{ terms.breach_notice_hours }}."]),
        "/$defs/position/properties/clause": ("Contract language for this position, ready to paste; a template over answers, terms and deal fields.", ["{{ deal.vendor }} shall notify {{ deal.customer }} within {{ terms.breach_notice_hours }}."]),
        "/$defs/position/properties/tradeable": (None, [True]),
        "/$defs/positions/properties/preferred": ("What we ask for first.", [{"summary": "Notice within 24 hours."}]),
        "/$defs/positions/properties/fallbacks": ("What we concede, in the order we concede it (up to five).", [[{"summary": "Notice within 72 hours."}]]),
        "/$defs/positions/properties/walk_away": ("The position we do not sign beyond, described as the vendor would offer it.", [{"summary": "No notification commitment."}]),
        "/$defs/item/properties/id": (ID + " Rules and scenarios name the item by it.", ["breach_notification"]),
        "/$defs/item/properties/title": ("The item as the checklist names it.", ["Breach notification and incident reports"]),
        "/$defs/item/properties/objective": ("One sentence: what we want the contract to achieve.", ["The vendor tells us of a personal-data breach in time for us to meet our own deadline."]),
        "/$defs/item/properties/applies_when": ("A condition: the item applies only when it holds (without it, always).", ["personal_data", "deployment == \"saas\""]),
        "/$defs/item/properties/owner": ("The department (id from playbook.yaml) that owns the item.", ["privacy"]),
        "/$defs/item/properties/priority": ("How much the item matters before rules adjust it.", ["high", "medium"]),
        "/$defs/item/properties/positions": ("The preferred position, the fallbacks in order, and the walk-away.", [{"preferred": {"summary": "…"}, "fallbacks": [{"summary": "…"}], "walk_away": {"summary": "…"}}]),
        "/$defs/item/properties/terms": ("Terms (ids) shown with this item and on the term sheet; clauses may quote them.", [["breach_notice_hours"]]),
        "/$defs/item/properties/red_flags": ("Phrases and patterns to look for in the vendor's paper, as a reviewer would describe them.", [["\"without undue delay\" with no maximum number of hours"]]),
        "/$defs/item/properties/rationale": (None, ["Regulators give us 72 hours; the vendor's notice must arrive well inside that."]),
        "/$defs/item/properties/talking_points": (None, [["We report to the regulator within 72 hours; we need your notice first."]]),
        "/$defs/item/properties/because": (None, ["every contract of this kind needs it"]),
        "/$defs/item/properties/covers": ("The outline topics (codes from playbook.yaml 'outline') this item addresses; required when the playbook has an outline.", [["M6.3"]]),
        "/$defs/rule/properties/id": (ID + " Scenario tests name the rule's risk flags by it.", ["eu_data_tightens_breach_notice"]),
        "/$defs/rule/properties/when": ("The condition under which the rule's effects apply.", ["eu_personal_data and sensitive_processing"]),
        "/$defs/rule/properties/because": ("Why, in a sentence a negotiator can repeat; shown with every effect.", ["GDPR gives us 72 hours to notify the regulator; we need the vendor's notice well inside that."]),
        "/$defs/rule/properties/then": ("What the rule does, one effect per entry, applied in order.", [[{"include": ["data_residency"]}, {"raise_priority": {"items": ["breach_notification"], "to": "critical"}}]]),
        "/$defs/effect/properties/include": ("Items (ids) that apply when the rule fires, whatever their own condition says.", [["data_residency"]]),
        "/$defs/effect/properties/exclude": ("Items (ids) that do not apply when the rule fires; an exclusion wins over an inclusion.", [["standard_dpa"]]),
        "/$defs/effect/properties/raise_priority": ("Raise items to a priority; the highest level any rule asks for wins.", [{"items": ["breach_notification"], "to": "critical"}]),
        "/$defs/effect/properties/lower_priority": ("Lower items to a priority; a raise beats a lower.", [{"items": ["annual_attestation"], "to": "low"}]),
        "/$defs/effect/properties/open_at": (None, [{"items": ["liability_caps"], "tier": 1}]),
        "/$defs/effect/properties/set_term": ("Change a term's numbers for this deal; give the fields that change.", [{"term": "breach_notice_hours", "target": 24, "fallback": 48}]),
        "/$defs/effect/properties/flag": ("Raise a risk flag on the pack; its message is a template.", [{"severity": "high", "message": "EU personal data at scale: the DPA must be signed before go-live."}]),
        "/$defs/effect/properties/require_approver": ("Require a department's sign-off, with the reason the pack prints.", [{"approver": "privacy", "reason": "Special-category personal data."}]),
        "/$defs/effect/properties/raise_priority/properties/items": ("The items (ids) to raise.", [["breach_notification"]]),
        "/$defs/effect/properties/raise_priority/properties/to": ("The priority to raise them to.", ["critical"]),
        "/$defs/effect/properties/lower_priority/properties/items": ("The items (ids) to lower.", [["annual_attestation"]]),
        "/$defs/effect/properties/lower_priority/properties/to": ("The priority to lower them to.", ["low"]),
        "/$defs/effect/properties/open_at/properties/items": ("The items (ids) whose opening position changes.", [["liability_caps"]]),
        "/$defs/effect/properties/open_at/properties/tier": ("Where to open: 0 is the preferred position, 1 the first fallback, and so on.", [1]),
        "/$defs/effect/properties/set_term/properties/term": ("The term (id) to change.", ["breach_notice_hours"]),
        "/$defs/effect/properties/set_term/properties/target": ("The target for this deal.", [24]),
        "/$defs/effect/properties/set_term/properties/fallback": ("The fallback for this deal.", [48]),
        "/$defs/effect/properties/set_term/properties/walk_away": ("The walk-away for this deal.", [72]),
        "/$defs/effect/properties/flag/properties/severity": ("How serious: critical means a walk-away level risk and should come with an approver.", ["high"]),
        "/$defs/effect/properties/flag/properties/message": ("What the pack says about the risk; a template.", ["{{ deal.vendor }} will host EU personal data outside the EU."]),
        "/$defs/effect/properties/require_approver/properties/approver": ("The department (id from playbook.yaml) whose sign-off is required.", ["privacy"]),
        "/$defs/effect/properties/require_approver/properties/reason": ("Why the sign-off is needed, as the pack prints it.", ["Special-category personal data."]),
    },
    "questions": {
        "/properties/id": (ID, ["deal", "deployment"]),
        "/properties/title": ("The section's name, as the questionnaire and the interview head it.", ["The deal"]),
        "/properties/description": ("What this group of questions is about, for the negotiator answering them.", ["What we buy, how it is delivered and what it is worth."]),
        "/properties/questions": ("The questions, in the order they are asked.", [[{"id": "annual_value", "text": "What is the deal worth per year?", "help": "Total yearly fees.", "type": "money"}]]),
        "/properties/facts": ("Named conditions over answers and other facts, computed once per deal.", [[{"id": "large_deal", "description": "A large deal.", "expr": "annual_value >= 250000"}]]),
        "/$defs/option/properties/value": (ID + " Conditions compare answers with it.", ["saas", "on_prem"]),
        "/$defs/option/properties/label": ("The option as the negotiator reads it; an answers file may use it too.", ["Vendor-hosted SaaS"]),
        "/$defs/option/properties/help": ("When to pick this option.", ["Pick this when the vendor runs the software for us."]),
        "/$defs/option/properties/reason": (None, ["the vendor will host the service"]),
        "/$defs/question/properties/id": (ID + " Conditions and templates read the answer by it.", ["deployment", "annual_value"]),
        "/$defs/question/properties/text": ("The question, as asked.", ["Where will the software run?"]),
        "/$defs/question/properties/help": (None, ["On-premises means our own data centre; SaaS means the vendor runs it."]),
        "/$defs/question/properties/type": ("The kind of answer.", ["choice", "money", "bool"]),
        "/$defs/question/properties/options": ("Choice and multi-choice questions only: the answers to pick from (at least two).", [[{"value": "saas", "label": "Vendor-hosted SaaS"}, {"value": "on_prem", "label": "On our own servers"}]]),
        "/$defs/question/properties/default": (None, ["saas", False, 0]),
        "/$defs/question/properties/required": (None, [True]),
        "/$defs/question/properties/reason": (None, ["the vendor will hold {answer}"]),
        "/$defs/question/properties/reason_if_not": (None, ["the vendor will not hold personal data"]),
        "/$defs/question/properties/minimum": ("Numeric questions only: the smallest answer accepted.", [0]),
        "/$defs/question/properties/maximum": ("Numeric questions only: the largest answer accepted.", [100000]),
        "/$defs/question/properties/when": ("A condition: the question is asked only when it holds.", ["deployment == \"saas\""]),
        "/$defs/fact/properties/id": (ID + " Conditions and templates read the fact by it.", ["eu_personal_data"]),
        "/$defs/fact/properties/description": ("What the fact means, in a sentence.", ["Personal data of people protected by the EU or UK GDPR."]),
        "/$defs/fact/properties/expr": ("The condition that computes the fact.", ["personal_data and \"gdpr\" in privacy_regimes"]),
        "/$defs/fact/properties/reason": (None, ["the deal involves EU personal data"]),
        "/$defs/fact/properties/reason_if_not": (None, ["no EU personal data is involved"]),
    },
    "scenarios": {
        "/properties/scenarios": ("Deals with the outcomes the playbook must produce for them.", [[{"name": "Large hosted deal", "answers": {"annual_value": 400000}, "expect": {"items": ["price_protection"]}}]]),
        "/$defs/scenario/properties/name": ("What the scenario is, in a few words; printed with PASS or FAIL.", ["Large hosted deal"]),
        "/$defs/scenario/properties/description": ("Why the scenario matters, for the next author.", ["Guards the sponsor sign-off on large deals."]),
        "/$defs/scenario/properties/deal": (None, [{"name": "Test deal", "vendor": "Acme Ltd", "currency": "EUR"}]),
        "/$defs/scenario/properties/answers": (None, [{"deployment": "saas", "annual_value": 400000}]),
        "/$defs/scenario/properties/expect": ("What must come out; `dealbook test --record` writes it from the current result for a scenario that has none.", [{"items": ["price_protection"], "approvers": ["legal"]}]),
        "/$defs/expect/properties/items": (None, [["price_protection"]]),
        "/$defs/expect/properties/not_items": (None, [["hosting_terms"]]),
        "/$defs/expect/properties/priorities": (None, [{"price_protection": "high"}]),
        "/$defs/expect/properties/tiers": (None, [{"price_protection": 1}]),
        "/$defs/expect/properties/terms": (None, [{"price_increase_cap": {"target": 2, "fallback": 3}}, {"price_increase_cap": 2}]),
        "/$defs/expect/properties/flags": (None, [{"eu_rules": "high"}]),
        "/$defs/expect/properties/not_flags": (None, [["eu_rules"]]),
        "/$defs/expect/properties/approvers": (None, [["legal"]]),
        "/$defs/expect/properties/not_approvers": (None, [["privacy"]]),
        "/$defs/expect/properties/terms/additionalProperties/anyOf/1/properties/target": ("The expected target.", [24]),
        "/$defs/expect/properties/terms/additionalProperties/anyOf/1/properties/fallback": ("The expected fallback.", [48]),
        "/$defs/expect/properties/terms/additionalProperties/anyOf/1/properties/walk_away": ("The expected walk-away.", [72]),
    },
    "answers": {
        "/properties/deal": (None, [{"name": "CRM renewal 2027", "vendor": "Acme Ltd", "currency": "EUR"}]),
        "/properties/answers": ("The answers, by question id; an empty answer is not answered yet.", [{"deployment": "saas", "annual_value": "EUR 450,000"}]),
        "/properties/parked": (None, [{"hosted_region": "eu"}]),
        "/properties/deal/properties/name": ("The deal's name, as the pack's title prints it.", ["CRM renewal 2027"]),
        "/properties/deal/properties/vendor": ("The vendor's legal name, as clauses print it.", ["Acme Software Ltd"]),
        "/properties/deal/properties/customer": ("Our name, as clauses print it (default: Customer).", ["Example Corp"]),
        "/properties/deal/properties/product": ("What we buy, as clauses print it (default: the Software).", ["Acme CRM"]),
        "/properties/deal/properties/currency": ("The deal's currency, as a three-letter code; money answers and clauses use it.", ["EUR", "USD"]),
        "/properties/deal/properties/date": ("The deal's date (YYYY-MM-DD), printed on the pack.", ["2027-03-31"]),
        "/properties/deal/properties/negotiator": ("Who leads the negotiation, printed on the pack.", ["Sam Taylor"]),
    },
}
#: Plain words for a pattern an editor would otherwise quote as a regular expression.
PATTERN_WORDS: dict[str, str] = {
    "^[a-z][a-z0-9_]{0,63}$": "Use lower-case letters, digits and underscores, starting with a letter (e.g. breach_notice_hours).",
    "^[a-z][a-z0-9_-]{0,63}$": "Use lower-case letters, digits, '-' and '_', starting with a letter (e.g. saas-renewals).",
    "^[^\\n]*$": "Keep it to one line.",
    "^[^\\s]+$": "No spaces: a code such as M3.2.",
    "^[A-Z]{3}$": "A three-letter currency code in capitals, e.g. EUR.",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "A date as YYYY-MM-DD, e.g. 2027-03-31.",
    "^[0-9]+\\.[0-9]+(\\.[0-9]+)?([-+][0-9A-Za-z.-]+)?$": "A version such as 1.0 or 1.2.3.",
    "^[A-Za-z0-9_][A-Za-z0-9_./-]*\\.ya?ml$": "A .yaml file, relative to this folder, e.g. modules/01-scope.yaml.",
    "(^|/)\\.\\.(/|$)": "Files must be inside the playbook folder (no '..').",
    "\\{value\\}": "Write {value} where the number goes, e.g. 'lesser of {value}% or CPI-U'.",
}
#: Plain words for what a definition is, so an editor says "Expected a position: …" rather than an internal name.
TITLES: dict[str, dict[str, str]] = {
    "module": {"id": "an id (lower-case letters, digits, _)", "line": "one line of text", "prose": "text", "condition": "a condition such as deployment == \"saas\"",
               "template": "text, which may use {{ … }}", "priority": "a priority: critical, high, medium or low", "severity": "a severity: low, medium, high or critical",
               "number": "a number", "covers": "an outline code such as M3.2", "ids": "a list of ids", "term": "a term (id, title, unit, better, target, fallback, walk_away, owner)",
               "position": "a position (summary, and optional clause)", "positions": "positions (preferred, fallbacks, walk_away)",
               "item": "an item (id, title, objective, owner, priority, positions, rationale)", "rule": "a rule (id, when, because, then)",
               "effect": "one effect, such as include: [item] or set_term: {term: …, target: …}"},
    "questions": {"id": "an id (lower-case letters, digits, _)", "condition": "a condition such as deployment == \"saas\"", "option": "an option (value and label)",
                  "question": "a question (id, text, help, type)", "fact": "a fact (id, description, expr)"},
    "scenarios": {"id": "an id (lower-case letters, digits, _)", "ids": "a list of ids", "priority": "a priority: critical, high, medium or low",
                  "scenario": "a scenario (name, answers, expect)", "expect": "expectations (items, priorities, terms, approvers, ...)"},
    "answers": {"field": "text, or empty while not filled in", "value": "an answer: text, a number, true/false, or a list"},
    "playbook": {"files": "a list of .yaml files in this folder"},
}


def _at(schema: dict[str, Any], pointer: str) -> dict[str, Any] | None:
    node: Any = schema
    for part in pointer.strip("/").split("/"):
        if isinstance(node, list):
            node = node[int(part)] if part.isdigit() and int(part) < len(node) else None
        elif isinstance(node, dict):
            node = node.get(part)
        if node is None:
            return None
    return node if isinstance(node, dict) else None


def _patterns(node: Any) -> None:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str) and node["pattern"] in PATTERN_WORDS:
            node.setdefault("patternErrorMessage", PATTERN_WORDS[node["pattern"]])
        for value in node.values():
            _patterns(value)
    elif isinstance(node, list):
        for value in node:
            _patterns(value)


def described(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the words of :data:`WORDS`, :data:`PATTERN_WORDS` and :data:`TITLES` added where missing."""
    for pointer, words in WORDS.get(kind, {}).items():
        node = _at(schema, pointer)
        if node is None or words is None:
            continue
        description, examples = words
        if description and "description" not in node:
            node["description"] = description
        node.setdefault("examples", examples)
    for name, title in TITLES.get(kind, {}).items():
        if name in schema.get("$defs", {}):
            schema["$defs"][name].setdefault("title", title)
    _patterns(schema)
    return schema


def compact(value: Any, indent: int = 0, width: int = 140) -> str:
    """JSON as the schema files are written: a value on one line when it fits, else one key or entry a line."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + indent <= width or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        parts = [f"{inner}{json.dumps(key, ensure_ascii=False)}: {compact(item, indent + 2, width)}" for key, item in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + " " * indent + "}"
    return "[\n" + ",\n".join(inner + compact(item, indent + 2, width) for item in value) + "\n" + " " * indent + "]"


def main() -> int:
    for kind in (*WORDS, *(kind for kind in TITLES if kind not in WORDS)):
        path = SCHEMAS / f"{kind}.schema.json"
        schema = described(kind, json.loads(path.read_text(encoding="utf-8")))
        path.write_text(compact(schema) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
