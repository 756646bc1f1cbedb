"""Semantic checks: what a JSON Schema cannot say about a playbook.

Each check is a function ``(playbook, sources) -> Iterable[Problem]`` listed in
:data:`CHECKS`, so adding one is adding a row. All checks run and all their
problems are reported together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import Location, Problem, did_you_mean, did_you_mean_or_list
from .effects import kind_of
from .expressions import Comparison, Condition
from .model import DEAL_FIELDS, OWNER, Effect, Playbook, Question
from .patterns import unit_family
from .sources import Sources
from .wording_checks import check_definitions, check_plain_text, check_templates, deal_fields_hint, sub_location

__all__ = ["CHECKS", "run_checks", "conditions_of", "term_settings"]

NUMERIC_TYPES = ("integer", "number", "money", "percent")


def conditions_of(playbook: Playbook) -> Iterator[tuple[Condition, Location]]:
    """Every condition in the playbook with the location of its text."""
    for question in playbook.questions:
        if question.when is not None:
            yield question.when, sub_location(question.location, "when")
    for fact in playbook.facts:
        yield fact.expr, sub_location(fact.location, "expr")
    for item in playbook.items:
        if item.applies_when is not None:
            yield item.applies_when, sub_location(item.location, "applies_when")
    for rule in playbook.rules:
        yield rule.when, sub_location(rule.location, "when")


def check_unique_ids(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    groups: list[tuple[str, list[tuple[str, Location]]]] = [
        ("question or fact", [(q.id, q.location) for q in playbook.questions] + [(f.id, f.location) for f in playbook.facts]),
        ("item", [(item.id, item.location) for item in playbook.items]),
        ("term", [(term.id, term.location) for term in playbook.terms]),
        ("rule", [(rule.id, rule.location) for rule in playbook.rules]),
        ("module", [(module.id, Location(module.file, 1, 1)) for module in playbook.modules]),
        ("section", [(section.id, Location(section.file, 1, 1)) for section in playbook.sections]),
        ("department", [(department.id, Location(playbook.root)) for department in playbook.departments]),
    ]
    for kind, entries in groups:
        counts = Counter(name for name, _ in entries)
        first: dict[str, Location] = {}
        for name, location in entries:
            if counts[name] > 1:
                here = sources.locate(location, "id")
                if name in first:
                    yield Problem(here, f"duplicate {kind} id '{name}' ({_where_first(first[name], here)})")
                else:
                    first[name] = here
    for question in playbook.questions:
        values = Counter(question.option_values)
        for value, count in values.items():
            if count > 1:
                yield Problem(sources.locate(question.location, "options"), f"option '{value}' listed {count} times")


def _where_first(first: Location, here: Location) -> str:
    if not first.line:
        return f"first defined in {first.file}"
    if first.file == here.file:
        return f"first defined on line {first.line}"
    return f"first defined at {first.file}:{first.line}"


def check_condition_names(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    known = {*playbook.questions_by_id, *playbook.facts_by_id, *(f"deal.{name}" for name in DEAL_FIELDS)}
    for condition, location in conditions_of(playbook):
        here = sources.locate(location)
        for name in condition.names:
            if name not in known:
                if name in sources.removed:
                    yield sources.removed_but_used(name, here)  # type: ignore[misc]
                elif name in playbook.terms_by_id:
                    yield Problem(here, f"term '{name}' cannot be used in a condition (rules set terms; conditions read answers and facts)")
                else:
                    if name.startswith("deal."):
                        yield Problem(here, f"unknown deal field '{name}'{deal_fields_hint(name.removeprefix('deal.'))}")
                    else:
                        yield Problem(here, f"unknown question or fact '{name}'{did_you_mean(name, known)}")
        for comparison in condition.comparisons:
            question = playbook.questions_by_id.get(comparison.name)
            if question is not None:
                options = sources.locate(question.location, "options")
                for message in _comparison_problems(question, comparison):
                    if "is not an option of question" in message and options.file not in (question.location.file, here.file):
                        user, _, detail = (here.element or here.path).partition(", ")
                        yield Problem(options, f"{message}: your overlay changed the options here, but base {user}"
                                               + (f" ({detail})" if detail else "") + f" in {here.file}:{here.line} still compares with it")
                    else:
                        yield Problem(here, message)


def _comparison_problems(question: Question, comparison: Comparison) -> Iterator[str]:
    kind, name, op = question.type, question.id, comparison.op
    ordering = op in ("lt", "lteq", "gt", "gteq")
    for value in comparison.values:
        if kind in ("choice", "multi-choice"):
            if ordering:
                yield f"'{name}' is a {kind} question; its answers cannot be ordered with '<' or '>'"
            elif kind == "multi-choice" and op in ("eq", "ne", "in", "notin"):
                yield f"'{name}' is a multi-choice question (a list); test membership with '\"{value}\" in {name}'"
            elif value is None:
                continue
            elif value not in question.option_values:
                yield f"{value!r} is not an option of question '{name}'{did_you_mean(str(value), question.option_values)}"
        elif kind == "bool" and value is not None and not isinstance(value, bool):
            yield f"'{name}' is a yes/no question; compare it with true or false, not {value!r}"
        elif kind in NUMERIC_TYPES and value is not None and (isinstance(value, (bool, str))):
            yield f"'{name}' is a {kind} question; compare it with a number, not {value!r}"
        elif kind in ("text", "date") and value is not None and not isinstance(value, str):
            yield f"'{name}' is a {kind} question; compare it with a quoted string, not {value!r}"
        if op in ("contains", "notcontains") and kind != "multi-choice" and kind != "text":
            yield f"'{name}' is a {kind} question, not a list; use '{name} == {value!r}' or '{name} in [...]'"


def check_references(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    departments = playbook.departments_by_id
    for item in playbook.items:
        if item.owner not in departments:
            yield Problem(sources.locate(item.location, "owner"), f"unknown department '{item.owner}'{did_you_mean_or_list(item.owner, departments, 'departments')}")
        for index, term in enumerate(item.terms):
            if term not in playbook.terms_by_id:
                here = sources.locate(item.location, "terms", index)
                yield sources.removed_but_used(term, here) or Problem(here, f"unknown term '{term}'{did_you_mean(term, playbook.terms_by_id)}")
    for term in playbook.terms:
        if term.owner not in departments:
            yield Problem(sources.locate(term.location, "owner"), f"unknown department '{term.owner}'{did_you_mean_or_list(term.owner, departments, 'departments')}")
    known = {"item": playbook.items_by_id, "term": playbook.terms_by_id, "department": departments}
    for rule in playbook.rules:
        for effect in rule.effects:
            kind = kind_of(effect)
            for reference in kind.references(effect):
                if reference.id not in known[reference.kind]:
                    choices = known[reference.kind]
                    hint = did_you_mean_or_list(reference.id, choices, "departments") if reference.kind == "department" else did_you_mean(reference.id, choices)
                    here = sources.locate(effect.location, *reference.path)
                    yield sources.removed_but_used(reference.id, here) or Problem(here, f"unknown {reference.kind} '{reference.id}'{hint}")
            for message in kind.problems(effect, playbook):
                yield Problem(sources.locate(effect.location), message)


def check_term_order(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    for term in playbook.terms:
        message = _order_problem(term.better, term.target, term.fallback, term.walk_away)
        if message:
            yield Problem(sources.locate(term.location), f"term '{term.id}': {message}")
    for rule in playbook.rules:
        for effect in rule.effects:
            for term_id, values in term_settings(effect).items():
                term = playbook.terms_by_id.get(term_id)
                if term is None:
                    continue
                merged = {"target": term.target, "fallback": term.fallback, "walk_away": term.walk_away, **values}
                message = _order_problem(term.better, merged["target"], merged["fallback"], merged["walk_away"])
                if message:
                    yield Problem(sources.locate(effect.location), f"rule '{rule.id}' sets term '{term.id}' so that {message}")


def term_settings(effect: Effect) -> dict[str, dict[str, float]]:
    """The term fields an effect sets: ``{term id: {field: value}}``."""
    found: dict[str, dict[str, float]] = {}
    for (what, key), value in kind_of(effect).settings(effect).items():
        if what == "term":
            term_id, _, name = key.partition(".")
            found.setdefault(term_id, {})[name] = value
    return found


def _order_problem(better: str, target: float, fallback: float, walk_away: float) -> str:
    ordered = (target <= fallback <= walk_away) if better == "lower" else (target >= fallback >= walk_away)
    if ordered:
        return ""
    relation = "<=" if better == "lower" else ">="
    return f"with better: {better}, target {relation} fallback {relation} walk_away must hold (got {target}, {fallback}, {walk_away})"


def check_covers(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    """With an outline, every item covers at least one of its topics and names only real ones."""
    if not playbook.outline:
        return
    for item in playbook.items:
        if not item.covers:
            yield Problem(sources.locate(item.location), f"item '{item.id}' names no outline topic; add 'covers:' with the codes it addresses, e.g. [{playbook.outline[0]}]")
        for index, code in enumerate(item.covers):
            if code not in playbook.outline:
                yield Problem(sources.locate(item.location, "covers", index), f"'{code}' is not a topic of this playbook's outline{did_you_mean(code, playbook.outline)}")


def check_questions(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    for question in playbook.questions:
        default = question.default
        here = sources.locate(question.location, "default")
        if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
            yield Problem(sources.locate(question.location, "minimum"), "minimum is greater than maximum")
        if question.type not in NUMERIC_TYPES and (question.minimum is not None or question.maximum is not None):
            yield Problem(sources.locate(question.location), f"minimum/maximum only apply to numeric questions, not {question.type}")
        if question.required and default is not None:
            yield Problem(
                sources.locate(question.location, "required"),
                f"question '{question.id}' is required and has a default: keep required (no default, it must be answered) "
                "or the default (assumed while unanswered, and shown as assumed)",
            )
        if default is None:
            continue
        message = _default_problem(question, default)
        if message:
            yield Problem(here, message)


def _default_problem(question: Question, default: Any) -> str:
    kind = question.type
    if kind == "choice":
        if default not in question.option_values:
            return f"default {default!r} is not an option{did_you_mean(str(default), question.option_values)}"
    elif kind == "multi-choice":
        if not isinstance(default, list):
            return "the default of a multi-choice question is a list, e.g. [a, b] or []"
        unknown = [value for value in default if value not in question.option_values]
        if unknown:
            return f"default {unknown[0]!r} is not an option{did_you_mean(str(unknown[0]), question.option_values)}"
    elif kind == "bool" and not isinstance(default, bool):
        return "the default of a yes/no question is true or false"
    elif kind in NUMERIC_TYPES and (isinstance(default, bool) or not isinstance(default, (int, float))):
        return f"the default of a {kind} question is a number"
    elif kind == "integer" and not isinstance(default, int):
        return "the default of an integer question is a whole number"
    elif kind in ("text", "date") and not isinstance(default, str):
        return f"the default of a {kind} question is text"
    return ""


def check_tradeable(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    for item in playbook.items:
        marked = [position.tradeable for position in item.positions.fallbacks]
        for tier, position in enumerate((item.positions.preferred, item.positions.walk_away)):
            if position.tradeable:
                name = "preferred" if tier == 0 else "walk_away"
                yield Problem(sources.locate(position.location, "tradeable"), f"only fallbacks can be tradeable, not the {name} position")
        if any(marked) and item.priority == "critical":
            yield Problem(sources.locate(item.location, "priority"), f"item '{item.id}' is critical (a must-win) and cannot have tradeable fallbacks")
        for number, position in enumerate(item.positions.fallbacks, 1):
            if position.tradeable and not all(marked[: number - 1]):
                yield Problem(
                    sources.locate(position.location, "tradeable"),
                    f"fallback {number} of item '{item.id}' is tradeable but an earlier fallback is not; we concede in order, so mark the earlier ones too",
                )


def check_patterns(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    """Pattern files name real items and terms, once each, and read values only in units they can."""

    seen: set[str] = set()
    for patterns in playbook.patterns:
        item = playbook.items_by_id.get(patterns.item)
        if item is None:
            yield Problem(sources.locate(patterns.location, "item"), f"unknown item '{patterns.item}'{did_you_mean(patterns.item, playbook.items_by_id)}")
        elif patterns.item in seen:
            yield Problem(sources.locate(patterns.location, "item"), f"item '{patterns.item}' already has patterns; keep one entry per item")
        seen.add(patterns.item)
        for value in patterns.values:
            term = playbook.terms_by_id.get(value.term)
            if term is None:
                yield Problem(sources.locate(value.location, "term"), f"unknown term '{value.term}'{did_you_mean(value.term, playbook.terms_by_id)}")
            elif unit_family(term.unit) is None:
                yield Problem(sources.locate(value.location, "term"), f"term '{term.id}' is counted in '{term.unit}'; values can be read only in days, business days, months, hours, minutes, % or times annual fees")
            elif item is not None and value.term not in item.terms:
                yield Problem(sources.locate(value.location, "term"), f"term '{value.term}' is not one of item '{item.id}''s terms ({', '.join(item.terms) or 'none'})")


def check_routing(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    """Approval routing names real departments (or ``owner``) and real items."""

    routing = playbook.routing
    if routing is None:
        return
    departments = playbook.departments_by_id
    if routing.executive not in departments and routing.location is not None:
        yield Problem(routing.location, f"unknown department '{routing.executive}'{did_you_mean(routing.executive, departments)}")
    overrides = [(None, routes) for routes in (routing.tiers,)] + [(item, routes) for item, routes in routing.items]
    for item, routes in overrides:
        if item is not None and item not in playbook.items_by_id:
            first = routes[0][1].location
            yield Problem(sources.locate(Location(first.file, first.line, first.column, f"items/{item}")),
                          f"unknown item '{item}'{did_you_mean(item, playbook.items_by_id)}")
        for _, route in routes:
            for index, role in enumerate(route.approvers):
                if role != OWNER and role not in departments:
                    yield Problem(sources.locate(route.location, "approvers", index),
                                  f"unknown department '{role}'{did_you_mean(role, [*departments, OWNER])} (approvers are department ids or '{OWNER}')")


#: The semantic checks, run in this order; each yields problems.
CHECKS: dict[str, Callable[[Playbook, Sources], Iterable[Problem]]] = {
    "unique-ids": check_unique_ids,
    "condition-names": check_condition_names,
    "references": check_references,
    "term-order": check_term_order,
    "templates": check_templates,
    "plain-text": check_plain_text,
    "covers": check_covers,
    "questions": check_questions,
    "tradeable": check_tradeable,
    "definitions": check_definitions,
    "patterns": check_patterns,
    "routing": check_routing,
}


def run_checks(playbook: Playbook, sources: Sources) -> list[Problem]:
    """Run every check in :data:`CHECKS` and return all problems found."""
    return [problem for check in CHECKS.values() for problem in check(playbook, sources)]
