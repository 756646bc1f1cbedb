"""Lint: findings about a valid playbook that validation does not report.

Validation says whether a playbook can be loaded; lint says where it probably
does not mean what its author meant — a condition no deal satisfies, a
question nothing reads, a clause that breaks for some deals. Each check is a
row of :data:`LINTS` (code -> :class:`Lint`), documented in
``docs/authoring-tools.md``, and prints like ruff::

    playbooks/itam/modules/02-licensing.yaml:41:5: U101 question 'core_count' is never read

Conditions are analysed over the playbook's finite answer space
(:mod:`dealbook.exhaustive`), so "can never hold" means "for no combination
of answers", not a guess from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError

from ..errors import InputFileError, Location
from ..infra.yamlfile import read_document
from ..playbook.checks import conditions_of, term_settings
from ..playbook.clauses import parse_template, template_references
from ..playbook.effects import kind_of
from ..playbook.expressions import Condition
from ..playbook.model import OWNER, Playbook
from ..playbook.sources import Sources
from ..playbook.values import show_number
from ..playbook.wording_checks import templates_of
from .exhaustive import flow_answers, item_templates, render_failures
from .pattern_checks import example_failures, overlaps
from .space import AnswerSpace

__all__ = ["Lint", "LintFinding", "LINTS", "lint_playbook", "findings_text", "findings_data"]

ERROR, WARNING = "error", "warning"
_PLACEHOLDER = re.compile(r"^\s*(tbd|tbc|todo|n/?a|none|-+|\.\.\.|xxx|to be (decided|confirmed))\.?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One lint finding, located."""

    code: str
    severity: str
    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message}"


class _Context:
    """What the lints share: the playbook, its answer space, precise locations."""

    def __init__(self, playbook: Playbook, limit: int, samples: int) -> None:
        self.playbook = playbook
        self.space = AnswerSpace(playbook, limit=limit, samples=samples)
        self._sources = Sources()

    def locate(self, location: Location, *subpath: str | int) -> Location:
        """The line and column of ``subpath`` below ``location``, reading the file once."""
        if location.file not in self._sources.documents:
            try:
                self._sources.add(read_document(Path(location.file), location.file))
            except InputFileError:
                return location
        return self._sources.locate(location, *subpath)

    @cached_property
    def outcomes(self) -> list[tuple[Condition, Location, set[bool]]]:
        """Every condition with the outcomes seen over its cone (enumerated cones only)."""
        found = []
        for condition, location in conditions_of(self.playbook):
            seen = {bool(condition(values)) for values in self.space.deals(condition.names)}
            if not self.space.sampled(condition.names):
                found.append((condition, location, seen))
        return found

    @cached_property
    def read_names(self) -> set[str]:
        """Every question and fact id that a condition or template reads."""
        names = {name for condition, _ in conditions_of(self.playbook) for name in condition.names}
        for source, _ in templates_of(self.playbook):
            try:
                names.update(name for name, _, _ in template_references(parse_template(source)))
            except TemplateSyntaxError:
                continue
        return names


Found = Iterator[tuple[Location, str]]


def lint_conditions(context: _Context, outcome: bool) -> Found:
    for condition, location, seen in context.outcomes:
        if seen == {not outcome} and condition.source.strip() not in ("true", "false"):
            verb = "can never hold" if outcome else "always holds"
            why = why_never(condition, context.playbook) if outcome else ""
            yield context.locate(location), f"condition {condition.source!r} {verb} for any combination of answers" + (f": {why}" if why else "")


def why_never(condition: Condition, playbook: Playbook) -> str:
    """A reason a condition is always false, when one comparison shows it (a bound, two different values), or ``""``."""
    equal: dict[str, set[Any]] = {}
    for comparison in condition.comparisons:
        question = playbook.questions_by_id.get(comparison.name)
        if question is None or len(comparison.values) != 1:
            continue
        (value,) = comparison.values
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if question.maximum is not None and (comparison.op == "gt" and value >= question.maximum or comparison.op == "gteq" and value > question.maximum):
                return f"{question.id}'s maximum is {show_number(question.maximum)}"
            if question.minimum is not None and (comparison.op == "lt" and value <= question.minimum or comparison.op == "lteq" and value < question.minimum):
                return f"{question.id}'s minimum is {show_number(question.minimum)}"
        if comparison.op == "eq" and question.type == "choice":
            equal.setdefault(question.id, set()).add(value)
    if " or " not in f" {condition.source} ":
        for name, values in equal.items():
            if len(values) > 1:
                shown = " and ".join(repr(value) for value in sorted(values, key=str))
                return f"'{name}' is one answer, so it cannot be both {shown}"
    return ""


def lint_never_holds(context: _Context) -> Found:
    return lint_conditions(context, True)


def lint_always_holds(context: _Context) -> Found:
    return lint_conditions(context, False)


def lint_unread_questions(context: _Context) -> Found:
    read = context.read_names
    for question in context.playbook.questions:
        if question.id not in read:
            yield context.locate(question.location, "id"), f"question '{question.id}' is never read by a condition or a template"


def lint_unused_facts(context: _Context) -> Found:
    read = context.read_names
    for fact in context.playbook.facts:
        if fact.id not in read:
            yield context.locate(fact.location, "id"), f"fact '{fact.id}' is never used by a condition or a template"


def lint_unshown_terms(context: _Context) -> Found:
    shown = {term for item in context.playbook.items for term in item.terms}
    for term in context.playbook.terms:
        if term.id not in shown:
            yield context.locate(term.location, "id"), f"term '{term.id}' is shown by no item, so it never reaches the term sheet"


def lint_no_fallback(context: _Context) -> Found:
    for item in context.playbook.items:
        positions = item.positions
        preferred = _normal(positions.preferred.summary)
        for number, fallback in enumerate(positions.fallbacks, 1):
            if _PLACEHOLDER.match(fallback.summary) or _normal(fallback.summary) == preferred:
                yield context.locate(fallback.location, "summary"), f"item '{item.id}': fallback {number} is not a real concession (placeholder or same as preferred)"
        if _PLACEHOLDER.match(positions.walk_away.summary):
            yield context.locate(positions.walk_away.location, "summary"), f"item '{item.id}' has no real walk-away position"
    for rule in context.playbook.rules:
        for effect in rule.effects:
            for (what, item_id), tier in kind_of(effect).settings(effect).items():
                if what != "tier":
                    continue
                item = context.playbook.items_by_id[item_id]
                if tier >= len(item.positions.fallbacks):
                    yield context.locate(effect.location), f"rule '{rule.id}' opens item '{item_id}' at its last fallback, leaving no fallback before the walk-away"


def lint_term_order(context: _Context) -> Found:
    """Rules that together leave a term's fallback better than its target (or walk-away)."""
    playbook, space = context.playbook, context.space
    for term in playbook.terms:
        setters = [(rule, values) for rule in playbook.rules for effect in rule.effects
                   for term_id, values in term_settings(effect).items() if term_id == term.id]
        if len(setters) < 2:
            continue  # one rule alone is checked by validation
        names = tuple(name for rule, _ in setters for name in rule.when.names)
        for values in space.deals(names):
            merged = {"target": term.target, "fallback": term.fallback, "walk_away": term.walk_away}
            fired = []
            for rule, settings in setters:
                if rule.when(values):
                    merged.update(settings)
                    fired.append(rule.id)
            if not (term.is_better(merged["target"], merged["fallback"]) and term.is_better(merged["fallback"], merged["walk_away"])):
                rules = ", ".join(f"'{rule}'" for rule in dict.fromkeys(fired))
                yield (context.locate(term.location, "id"),
                       f"term '{term.id}': rules {rules} together set target {merged['target']}, fallback {merged['fallback']}, "
                       f"walk-away {merged['walk_away']} (fallback better than target, or walk-away better than fallback) "
                       f"for deal {flow_answers(space.example(values, names))}")
                break


def lint_template_undefined(context: _Context) -> Found:
    for finding in render_failures(context.space, only_undefined=True):
        yield context.locate(finding.location), f"{finding.message} — for example with answers {flow_answers(finding.example or {})}"


def lint_duplicate_clauses(context: _Context) -> Found:
    first: dict[str, str] = {}
    for item in context.playbook.items:
        for position, field_name, source in item_templates(item):
            if field_name != "clause":
                continue
            text = _normal(source)
            owner = first.setdefault(text, item.id)
            if owner != item.id:
                yield context.locate(position.location, "clause"), f"item '{item.id}' repeats clause text of item '{owner}'"


def lint_critical_without_approver(context: _Context) -> Found:
    for rule in context.playbook.rules:
        approves = any(kind_of(effect).approvers(effect) for effect in rule.effects)
        for effect in rule.effects:
            if kind_of(effect).flag_severity(effect) == "critical" and not approves:
                yield context.locate(effect.location), f"rule '{rule.id}' raises a critical (walk-away-level) flag without require_approver"


def lint_walk_away_without_executive(context: _Context) -> Found:
    playbook = context.playbook
    routing = playbook.routing
    if routing is None:
        return
    for item in playbook.items:
        for tier in ("walk-away", "beyond-walk-away"):
            route = routing.route(item.id, tier)
            approvers = () if route is None else tuple(item.owner if role == OWNER else role for role in route.approvers)
            if routing.executive not in approvers:
                where = route.location if route is not None else routing.location or item.location
                who = ", ".join(approvers) or "nobody"
                yield context.locate(where), f"accepting item '{item.id}' at {tier} is approved by {who}, without the executive ({routing.executive})"


def _pattern_examples(context: _Context, positive: bool) -> Found:

    failures = example_failures(context.playbook)
    seen: set[tuple[str, str]] = set()
    for failure in failures:
        if failure.example.matches is not positive or (failure.item, failure.what) in seen:
            continue
        if positive:
            siblings = [other for other in failures if (other.item, other.what) == (failure.item, failure.what) and other.example.matches]
            positives = _positives(context.playbook, failure.item, failure.what)
            if len(siblings) < positives:
                continue  # matches some of its positives: reported by `dealbook test`, not as P201
            seen.add((failure.item, failure.what))
            yield failure.example.location, f"{failure.item} {failure.what} matches none of its positive examples"
        else:
            yield failure.example.location, f"{failure.item} {failure.what} {failure.message}"


def _positives(playbook: Playbook, item: str, what: str) -> int:
    patterns = playbook.patterns_by_item[item]
    if what == "topic":
        return sum(example.matches for example in patterns.examples)
    if what == "meets":
        return sum(example.matches for example in patterns.meets_examples)
    if what.startswith("flag "):
        return sum(example.matches for example in patterns.flags[int(what[5:]) - 1].examples)
    value = next(value for value in patterns.values if f"value {value.term}" == what)
    return sum(example.value is not None for example in value.examples)


def lint_pattern_no_positive(context: _Context) -> Found:
    return _pattern_examples(context, True)


def lint_pattern_negative(context: _Context) -> Found:
    return _pattern_examples(context, False)


def lint_pattern_overlap(context: _Context) -> Found:

    for location, message in overlaps(context.playbook):
        yield context.locate(location), message


def _normal(text: str) -> str:
    return " ".join(text.split()).lower()


@dataclass(frozen=True, slots=True)
class Lint:
    """One lint check: its code, name, severity and what it looks for."""

    code: str
    name: str
    severity: str
    summary: str
    check: Callable[[_Context], Iterable[tuple[Location, str]]]


#: Every lint, by code. Documented in docs/authoring-tools.md.
LINTS: dict[str, Lint] = {lint.code: lint for lint in (
    Lint("C101", "never-holds", ERROR, "a condition is false for every combination of answers", lint_never_holds),
    Lint("C102", "always-holds", WARNING, "a condition is true for every combination of answers", lint_always_holds),
    Lint("U101", "unread-question", WARNING, "no condition or template reads the question", lint_unread_questions),
    Lint("U102", "unused-fact", WARNING, "no condition or template uses the fact", lint_unused_facts),
    Lint("U103", "unshown-term", WARNING, "no item lists the term, so no term sheet shows it", lint_unshown_terms),
    Lint("P101", "no-fallback", WARNING, "a fallback or walk-away that is a placeholder, repeats the preferred position, or is skipped by open_at", lint_no_fallback),
    Lint("T101", "term-order", ERROR, "rules that fire together leave a fallback better than the target", lint_term_order),
    Lint("M101", "template-undefined", ERROR, "a clause template reads an answer that is undefined for some deal reaching its item", lint_template_undefined),
    Lint("D101", "duplicate-clause", WARNING, "two items carry the same clause text", lint_duplicate_clauses),
    Lint("F101", "critical-without-approver", WARNING, "a rule raises a critical flag but requires no approver", lint_critical_without_approver),
    Lint("R101", "pattern-misses-positives", ERROR, "a pattern matches none of its positive examples (or a value pattern reads none of its values)", lint_pattern_no_positive),
    Lint("R102", "pattern-matches-negative", ERROR, "a pattern matches one of its negative examples (or reads a value where none is expected)", lint_pattern_negative),
    Lint("R103", "pattern-overlap", WARNING, "an item's topic also matches another item's positive example, so both would claim the same clause", lint_pattern_overlap),
    Lint("A101", "walk-away-without-executive", WARNING, "approval routing lets an item be accepted at or beyond its walk-away without the executive", lint_walk_away_without_executive),
)}


def lint_playbook(playbook: Playbook, *, ignore: Iterable[str] = (), limit: int = 50_000, samples: int = 5_000) -> list[LintFinding]:
    """Run every lint in :data:`LINTS` (except ``ignore``); findings sorted by place."""
    context = _Context(playbook, limit, samples)
    skipped = {code.upper() for code in ignore}
    findings = [
        LintFinding(lint.code, lint.severity, message, location)
        for lint in LINTS.values() if lint.code not in skipped
        for location, message in lint.check(context)
    ]
    return sorted(set(findings), key=lambda f: (f.location.file, f.location.line, f.location.column, f.code, f.message))


def findings_text(findings: list[LintFinding]) -> str:
    """ruff-style lines and a one-line summary."""
    errors = sum(finding.severity == ERROR for finding in findings)
    summary = f"{len(findings)} finding(s): {errors} error(s), {len(findings) - errors} warning(s)" if findings else "no findings"
    return "\n".join([*map(str, findings), summary])


def findings_data(findings: list[LintFinding]) -> list[dict[str, Any]]:
    """The findings as JSON-ready data."""
    return [
        {"code": f.code, "name": LINTS[f.code].name, "severity": f.severity, "message": f.message,
         "file": f.location.file, "line": f.location.line, "column": f.location.column, "path": f.location.path, "element": f.location.element}
        for f in findings
    ]
