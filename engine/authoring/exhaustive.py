"""The finite answer space of a playbook, and the exhaustive check over it.

Questions with finite answers — yes/no, choices, multi-choices, and numbers
split at the thresholds that conditions compare them against — span a finite
space of deals. A condition only depends on the questions it reads (through
facts and through the ``when`` that decides whether a question is asked): its
*cone*. Each check enumerates the cone of what it looks at, so a question
about two rules reads a few hundred combinations rather than the whole space;
a cone larger than ``limit`` is sampled with a reported seed and count.

:func:`check_exhaustive` finds conflicting rules (two rules that fire together
and set the same term field or opening tier to different values), items no
deal reaches, critical (walk-away-level) flags that fire with no approver
required, and clause templates that fail to render — each with one concrete
example deal.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from jinja2 import TemplateSyntaxError, UndefinedError

from ..deal.answers import Answers
from ..deal.evaluate import evaluate
from ..errors import Location, TemplateRenderError
from ..playbook.clauses import parse_template, template_references
from ..playbook.effects import kind_of
from ..playbook.expressions import Condition
from ..playbook.model import Item, Playbook, Position
from .space import EXAMPLE_DEAL, AnswerSpace

__all__ = ["Finding", "Report", "CHECKS", "check_exhaustive", "item_templates", "reaches", "flow_answers"]

@dataclass(frozen=True, slots=True)
class Finding:
    """Something the exhaustive check found, with a deal that shows it."""

    kind: str  # conflict, dead-item, missing-approval, template-failure
    message: str
    location: Location
    example: dict[str, Any] | None = None
    sampled: bool = False

    def __str__(self) -> str:
        return f"{self.location}: {self.kind}: {self.message}"


@dataclass(slots=True)
class Report:
    """The findings, and how much of the space was looked at."""

    findings: list[Finding] = field(default_factory=list)
    combinations: int = 0
    seconds: float = 0.0
    space_size: int = 0
    sampled_checks: int = 0
    seed: int = 0
    samples: int = 0

    @property
    def per_second(self) -> float:
        return self.combinations / self.seconds if self.seconds else 0.0


# --- the checks ---------------------------------------------------------------


def _rule_settings(playbook: Playbook) -> list[dict[tuple[str, str], Any]]:
    """Per rule: what it sets, ``(what, id/field) -> value``."""
    settings = []
    for rule in playbook.rules:
        setting: dict[tuple[str, str], Any] = {}
        for effect in rule.effects:
            setting.update(kind_of(effect).settings(effect))
        settings.append(setting)
    return settings


def find_conflicts(space: AnswerSpace) -> Iterator[Finding]:
    """Two rules that can fire together and set one term field or tier to different values."""
    rules = space.playbook.rules
    settings = _rule_settings(space.playbook)
    for first, second in itertools.combinations(range(len(rules)), 2):
        clashes = [key for key in settings[first].keys() & settings[second].keys() if settings[first][key] != settings[second][key]]
        if not clashes:
            continue
        a, b = rules[first], rules[second]
        names = (*a.when.names, *b.when.names)
        for values in space.deals(names):
            if a.when(values) and b.when(values):
                what = ", ".join(_describe(key, settings[first][key], settings[second][key]) for key in sorted(clashes))
                message = f"rules '{a.id}' and '{b.id}' both fire and disagree on {what}; '{b.id}' wins"
                yield Finding("conflict", message, b.location, space.example(values, names), space.sampled(names))
                break


def _describe(key: tuple[str, str], first: Any, second: Any) -> str:
    kind, name = key
    if kind == "term":
        term, _, field_name = name.partition(".")
        return f"{field_name} of term '{term}' ({first} vs {second})"
    return f"the opening tier of item '{name}' ({first} vs {second})"


@dataclass(frozen=True, slots=True)
class _Reach:
    """When an item applies: its own condition, the rules that include it, those that exclude it."""

    item: Item
    includes: tuple[Condition, ...]
    excludes: tuple[Condition, ...]

    @property
    def names(self) -> tuple[str, ...]:
        own = self.item.applies_when.names if self.item.applies_when is not None else ()
        return (*own, *(name for condition in (*self.includes, *self.excludes) for name in condition.names))

    def __call__(self, values: dict[str, Any]) -> bool:
        applies = self.item.applies_when is None or bool(self.item.applies_when(values))
        if not applies and not any(condition(values) for condition in self.includes):
            return False
        return not any(condition(values) for condition in self.excludes)


def reaches(playbook: Playbook) -> dict[str, _Reach]:
    """For every item, the conditions that decide whether it applies."""
    includes: dict[str, list[Condition]] = {item.id: [] for item in playbook.items}
    excludes: dict[str, list[Condition]] = {item.id: [] for item in playbook.items}
    for rule in playbook.rules:
        for effect in rule.effects:
            for item_id in kind_of(effect).includes(effect):
                includes[item_id].append(rule.when)
            for item_id in kind_of(effect).excludes(effect):
                excludes[item_id].append(rule.when)
    return {item.id: _Reach(item, tuple(includes[item.id]), tuple(excludes[item.id])) for item in playbook.items}


def find_dead_items(space: AnswerSpace) -> Iterator[Finding]:
    """Items that no deal in the space reaches."""
    for reach in reaches(space.playbook).values():
        if reach.item.applies_when is None and not reach.excludes:
            continue
        if not any(reach(values) for values in space.deals(reach.names)):
            sampled = space.sampled(reach.names)
            how = f"in {space.samples} sampled deals" if sampled else "by any deal"
            yield Finding("dead-item", f"item '{reach.item.id}' is never reached {how}", reach.item.location, None, sampled)


def find_missing_approvals(space: AnswerSpace) -> Iterator[Finding]:
    """Critical (walk-away-level) flags that fire while no rule requires an approver."""
    rules = space.playbook.rules
    approving = [rule for rule in rules if any(kind_of(effect).approvers(effect) for effect in rule.effects)]
    approver_names = tuple(name for rule in approving for name in rule.when.names)
    for rule in rules:
        critical = [effect for effect in rule.effects if kind_of(effect).flag_severity(effect) == "critical"]
        if not critical or rule in approving:
            continue
        names = (*rule.when.names, *approver_names)
        for values in space.deals(names):
            if rule.when(values) and not any(other.when(values) for other in approving):
                message = f"rule '{rule.id}' raises a critical flag but no rule requires an approver for this deal"
                yield Finding("missing-approval", message, rule.location, space.example(values, names), space.sampled(names))
                break


def item_templates(item: Item) -> Iterator[tuple[Position, str, str]]:
    """``(position, field, template)`` for every summary and clause of an item."""
    for position in (*item.positions.tiers, item.positions.walk_away):
        yield position, "summary", position.summary
        if position.clause:
            yield position, "clause", position.clause


def _template_names(source: str, playbook: Playbook) -> tuple[str, ...]:
    try:
        tree = parse_template(source)
    except TemplateSyntaxError:
        return ()
    known = {*playbook.questions_by_id, *playbook.facts_by_id}
    return tuple(dict.fromkeys(name for name, _, _ in template_references(tree) if name in known))


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def render_failures(space: AnswerSpace, only_undefined: bool = False) -> Iterator[Finding]:
    """Clause templates that fail to render for a deal that reaches their item.

    A template that reads no answer or fact renders the same way for every
    deal, so one reaching deal is enough; one that does is rendered once per
    distinct combination of the values it reads.
    """
    playbook = space.playbook
    for reach in reaches(playbook).values():
        templates = [(position, name, source, _template_names(source, playbook)) for position, name, source in item_templates(reach.item)]
        names = (*reach.names, *(name for *_, used in templates for name in used))
        read = tuple(dict.fromkeys(name for *_, used in templates for name in used))
        tried: set[tuple[Any, ...]] = set()
        signatures: set[tuple[Any, ...]] = set()
        failed: set[int] = set()
        for values in space.deals(names):
            signature = tuple(_frozen(values.get(name)) for name in read)
            if signature in signatures or not reach(values):
                continue
            signatures.add(signature)
            yield from _render_once(space, reach, templates, values, names, tried, failed, only_undefined)
            if len(failed) == len(templates) or not any(used for *_, used in templates):
                break


def _render_once(space: AnswerSpace, reach: _Reach, templates: list[tuple[Position, str, str, tuple[str, ...]]], values: dict[str, Any],
                 names: tuple[str, ...], tried: set[tuple[Any, ...]], failed: set[int], only_undefined: bool) -> Iterator[Finding]:
    """Render the templates whose inputs this deal has not tried yet; report failures."""
    evaluation = None
    for number, (position, field_name, source, used) in enumerate(templates):
        key = (number, *(_frozen(values.get(name)) for name in used))
        if number in failed or key in tried:
            continue
        tried.add(key)
        if evaluation is None:
            answers = {question.id: values[question.id] for question in space.playbook.questions}
            evaluation = evaluate(space.playbook, Answers(EXAMPLE_DEAL, answers))
        try:
            evaluation.render(source, position.location)
        except TemplateRenderError as error:
            if only_undefined and not isinstance(error.cause, UndefinedError):
                continue
            message = error.cause.message or str(error.cause)
            failed.add(number)
            where = Location(position.location.file, position.location.line, position.location.column, f"{position.location.path}/{field_name}")
            yield Finding("template-failure", f"item '{reach.item.id}': {field_name} fails to render: {message}", where,
                          space.example(values, names), space.sampled(names))


#: The exhaustive checks, in the order they run and report.
CHECKS: dict[str, Callable[[AnswerSpace], Iterable[Finding]]] = {
    "conflict": find_conflicts,
    "dead-item": find_dead_items,
    "missing-approval": find_missing_approvals,
    "template-failure": render_failures,
}


def check_exhaustive(playbook: Playbook, *, limit: int = 200_000, samples: int = 20_000, seed: int = 0) -> Report:
    """Run every check in :data:`CHECKS` over the playbook's answer space."""
    space = AnswerSpace(playbook, limit=limit, samples=samples, seed=seed)
    started = time.perf_counter()
    findings = [finding for check in CHECKS.values() for finding in check(space)]
    seconds = time.perf_counter() - started
    return Report(findings, space.combinations, seconds, space.size, space.sampled_checks, seed, samples)


def report_text(report: Report, playbook: Playbook) -> str:
    """The findings, each with its example deal, and how much was checked how fast."""
    lines = []
    for finding in report.findings:
        lines.append(str(finding) + (" (found by sampling)" if finding.sampled else ""))
        if finding.example is not None:
            lines.append("    example deal answers: " + flow_answers(finding.example))
    sampled = (f"; {report.sampled_checks} check(s) had more than the limit of combinations and were sampled "
               f"({report.samples:,} deals each, seed {report.seed})") if report.sampled_checks else "; every check enumerated its cone completely"
    lines.append(
        f"{playbook.id} {playbook.version}: {report.combinations:,} combinations checked in {report.seconds:.2f} s "
        f"({report.per_second:,.0f} combinations/s); the whole answer space holds {report.space_size:.3g} deals{sampled}"
    )
    lines.append(f"{len(report.findings)} finding(s)" if report.findings else "no findings")
    return "\n".join(lines)


def report_data(report: Report, playbook: Playbook) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "playbook": playbook.id, "version": playbook.version, "combinations": report.combinations,
        "seconds": round(report.seconds, 3), "combinations_per_second": round(report.per_second), "space_size": report.space_size,
        "sampled_checks": report.sampled_checks, "samples": report.samples, "seed": report.seed,
        "findings": [
            {"kind": f.kind, "message": f.message, "file": f.location.file, "line": f.location.line, "column": f.location.column,
             "path": f.location.path, "element": f.location.element, "example": f.example, "sampled": f.sampled}
            for f in report.findings
        ],
    }


def flow_answers(answers: dict[str, Any]) -> str:
    """Answers on one line, as YAML: ``{deployment: saas, annual_value: 0}``."""
    return yaml.safe_dump(answers, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip()
