"""Scenario tests: deals with expected outcomes, and the coverage they reach.

A playbook keeps its scenarios in ``tests/*.yaml`` next to ``playbook.yaml``
(schema: ``schemas/scenarios.schema.json``)::

    scenarios:
      - name: EU SaaS with health data
        answers: {deployment: saas, personal_data: yes, ...}
        expect:
          items: [breach_notification]          # must apply
          not_items: [virtualisation_rights]    # must not apply
          priorities: {breach_notification: critical}
          tiers: {payment_terms: 0}
          terms: {breach_notice_hours: {target: 24, walk_away: 48}}
          flags: {health_data_safeguards: high}  # rule id -> severity
          approvers: [security, privacy]

:func:`run_scenarios` evaluates each deal, compares expected with actual
(reported as ``-`` expected / ``+`` actual lines), and measures coverage:
which items applied, which rules fired, and which outcomes — true and false —
every condition took across the scenarios.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..deal.answers import Answers
from ..deal.evaluate import complete_answers, evaluate
from ..deal.evaluation import Evaluation
from ..errors import DealbookError, Location, Problem, ValidationErrors, did_you_mean
from ..infra.schema import check_document
from ..infra.yamlfile import Document, read_document
from ..playbook.expressions import Condition
from ..playbook.model import Playbook
from ..playbook.values import plain_number

__all__ = ["Scenario", "Mismatch", "ScenarioResult", "Coverage", "ScenarioRun", "scenario_files", "load_scenarios", "run_scenarios", "run_text"]

_DEFAULT_VENDOR = "Example Vendor Ltd"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One deal and what the playbook must make of it."""

    name: str
    location: Location
    answers: Answers
    expect: dict[str, Any]
    document: Document = field(repr=False)
    path: tuple[str | int, ...] = ()

    def where(self, *subpath: str | int) -> Location:
        """The location of part of this scenario's ``expect`` block."""
        return self.document.locate([*self.path, "expect", *subpath])


@dataclass(frozen=True, slots=True)
class Mismatch:
    """An expectation that did not hold: what, expected, actual, and where it is written."""

    what: str
    expected: str
    actual: str
    location: Location
    #: the id the expectation is about (an item, term, rule or department)
    subject: str = ""
    #: the expectation concerns something an overlay changed (base scenarios run against an overlay)
    changed: bool = False


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One scenario's outcome."""

    scenario: Scenario
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        """No expectation failed, except those about something an overlay changed."""
        return not any(not mismatch.changed for mismatch in self.mismatches)


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the scenarios exercised, and what they never did."""

    items: tuple[int, int]  # applied at least once, total
    rules: tuple[int, int]  # fired at least once, total
    outcomes: tuple[int, int]  # condition outcomes (true, false) seen, total
    never: tuple[str, ...]

    @staticmethod
    def percent(pair: tuple[int, int]) -> float:
        return 100.0 * pair[0] / pair[1] if pair[1] else 100.0


@dataclass(frozen=True, slots=True)
class ScenarioRun:
    """All scenario results and the coverage they reached."""

    results: tuple[ScenarioResult, ...]
    coverage: Coverage

    @property
    def failed(self) -> int:
        return sum(not result.passed for result in self.results)


def scenario_files(playbook: Playbook) -> list[Path]:
    """The playbook's scenario files: ``tests/*.yaml`` next to its ``playbook.yaml``."""
    folder = Path(playbook.root) / "tests"
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []


def _subdocument(document: Document, prefix: tuple[str | int, ...], content: dict[str, Any]) -> Document:
    """A part of ``document`` as a document of its own, keeping every position."""
    size = len(prefix)
    values = {path[size:]: position for path, position in document.values.items() if path[:size] == prefix}
    keys = {path[size:]: position for path, position in document.keys.items() if path[:size] == prefix}
    return Document(document.file, content, values, keys)


def _scenario(document: Document, index: int, raw: dict[str, Any], playbook: Playbook, tolerate: frozenset[str] = frozenset()) -> Scenario:
    """One scenario, or :class:`ValidationErrors` with all of its problems: answers, completeness and expected ids."""
    path = ("scenarios", index)
    deal = raw.get("deal") or {"name": raw["name"], "vendor": _DEFAULT_VENDOR}
    given = {name: value for name, value in raw["answers"].items() if name not in tolerate} if isinstance(raw["answers"], dict) else raw["answers"]
    answers_document = _subdocument(document, path, {"deal": deal, "answers": given})
    problems: list[Problem] = []
    answers = None
    try:
        answers = complete_answers(answers_document, playbook)
    except ValidationErrors as error:
        problems.extend(_in_scenario(problem, path, raw["name"]) for problem in error.problems)
    scenario = Scenario(raw["name"], document.locate([*path, "name"]), answers, raw.get("expect", {}), document, path)  # type: ignore[arg-type]
    problems.extend(problem for name, problem in _unknown_ids(scenario, playbook) if name not in tolerate)
    ValidationErrors.raise_if(problems)
    return scenario


def _in_scenario(problem: Problem, path: tuple[str | int, ...], name: str) -> Problem:
    """A problem of a scenario's answers, located in the scenario file's terms: ``[scenario 'x', answers/y]``."""
    location = problem.location
    inner = location.path
    located = dataclasses.replace(location, path="/".join(map(str, (*path, *([inner] if inner else [])))),
                                  element=f"scenario '{name}'" + (f", {inner}" if inner else ""))
    return Problem(located, problem.message)


def load_scenarios(playbook: Playbook, paths: Iterable[Path], *, tolerate: frozenset[str] = frozenset()) -> list[Scenario]:
    """Read and check scenario files; raises :class:`ValidationErrors` with every problem of every file.

    Ids in ``tolerate`` (what an overlay removed, for the base playbook's scenarios) may be named without a problem.
    """
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            document = read_document(Path(path))
        except DealbookError as error:
            problems.extend(error.problems)
            continue
        found = check_document(document, "scenarios")
        problems.extend(found)
        entries = document.content.get("scenarios") if isinstance(document.content, dict) else None
        for index, raw in enumerate(entries if isinstance(entries, list) else ()):
            if any(_within(problem.location.path, f"scenarios/{index}") for problem in found) or not isinstance(raw, dict):
                continue  # its schema problems are reported; the other scenarios are still checked
            try:
                scenarios.append(_scenario(document, index, raw, playbook, tolerate))
            except ValidationErrors as error:
                problems.extend(error.problems)
    ValidationErrors.raise_if(problems)
    return scenarios


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/") or not path or path == "scenarios"


def _unknown_ids(scenario: Scenario, playbook: Playbook) -> Iterator[tuple[str, Problem]]:
    known = {
        "items": playbook.items_by_id, "not_items": playbook.items_by_id, "priorities": playbook.items_by_id,
        "tiers": playbook.items_by_id, "terms": playbook.terms_by_id, "flags": {rule.id for rule in playbook.rules},
        "not_flags": {rule.id for rule in playbook.rules}, "approvers": playbook.departments_by_id,
        "not_approvers": playbook.departments_by_id,
    }
    for key, value in scenario.expect.items():
        names = list(value) if isinstance(value, (dict, list)) else []
        for index, name in enumerate(names):
            if name not in known[key]:
                where = scenario.where(key, name) if isinstance(value, dict) else scenario.where(key, index)
                kind = {"terms": "term", "flags": "rule", "not_flags": "rule"}.get(key, "department" if "approvers" in key else "item")
                yield name, Problem(where, f"unknown {kind} '{name}'{did_you_mean(name, known[key])}")


# --- comparing expected with actual ------------------------------------------------


def _mismatches(scenario: Scenario, evaluation: Evaluation) -> Iterator[Mismatch]:
    expect, where = scenario.expect, scenario.where
    if not expect:
        yield Mismatch("no expectations yet", "expectations", "none: `dealbook test --record` writes them from the current result, for you to review",
                       scenario.location)
    applied = {result.id: result for result in evaluation.items}
    skipped = {entry.item.id: entry.reason for entry in evaluation.skipped}
    for item in expect.get("items", []):
        if item not in applied:
            yield Mismatch(f"item {item} must apply", "applies", f"does not apply ({skipped.get(item, 'not in this playbook')})", where("items"), item)
    for item in expect.get("not_items", []):
        if item in applied:
            yield Mismatch(f"item {item} must not apply", "does not apply", "applies", where("not_items"), item)
    for item, priority in expect.get("priorities", {}).items():
        actual = applied[item].priority if item in applied else "(item does not apply)"
        if actual != priority:
            yield Mismatch(f"priority of item {item}", priority, actual, where("priorities", item), item)
    for item, tier in expect.get("tiers", {}).items():
        actual_tier = applied[item].tier if item in applied else "(item does not apply)"
        if actual_tier != tier:
            yield Mismatch(f"opening tier of item {item}", str(tier), str(actual_tier), where("tiers", item), item)
    yield from _term_mismatches(scenario, evaluation)
    yield from _flag_mismatches(scenario, evaluation)
    approvers = {approval.department.id for approval in evaluation.approvals}
    for department in expect.get("approvers", []):
        if department not in approvers:
            yield Mismatch(f"approval of {department} must be required", "required", "not required", where("approvers"), department)
    for department in expect.get("not_approvers", []):
        if department in approvers:
            yield Mismatch(f"approval of {department} must not be required", "not required", "required", where("not_approvers"), department)


def _term_mismatches(scenario: Scenario, evaluation: Evaluation) -> Iterator[Mismatch]:
    for term_id, expected in scenario.expect.get("terms", {}).items():
        values = expected if isinstance(expected, dict) else {"target": expected}
        actual = evaluation.terms_by_id.get(term_id)
        if actual is None:
            yield Mismatch(f"term {term_id}", "in the playbook", "not in this playbook", scenario.where("terms", term_id), term_id)
            continue
        for name, value in values.items():
            if getattr(actual, name) != value:
                yield Mismatch(f"{name} of term {term_id}", str(plain_number(value)), str(plain_number(getattr(actual, name))), scenario.where("terms", term_id), term_id)


def _flag_mismatches(scenario: Scenario, evaluation: Evaluation) -> Iterator[Mismatch]:
    raised: dict[str, list[str]] = {}
    for flag in evaluation.flags:
        raised.setdefault(flag.rule.id, []).append(flag.severity)
    for rule, severity in scenario.expect.get("flags", {}).items():
        if severity not in raised.get(rule, []):
            actual = ", ".join(raised[rule]) if rule in raised else "no flag"
            yield Mismatch(f"risk flag from rule {rule}", severity, actual, scenario.where("flags", rule), rule)
    for rule in scenario.expect.get("not_flags", []):
        if rule in raised:
            yield Mismatch(f"rule {rule} must raise no flag", "no flag", ", ".join(raised[rule]), scenario.where("not_flags"), rule)



# --- coverage -----------------------------------------------------------------------


def labelled_conditions(playbook: Playbook) -> list[tuple[str, Condition, Location]]:
    """Every condition, named for a reader: ``rule eu_data``, ``question user_count (when)``."""
    found: list[tuple[str, Condition, Location]] = []
    found += [(f"question {q.id} (when)", q.when, q.location) for q in playbook.questions if q.when is not None]
    found += [(f"fact {fact.id}", fact.expr, fact.location) for fact in playbook.facts]
    found += [(f"item {item.id} (applies_when)", item.applies_when, item.location) for item in playbook.items if item.applies_when is not None]
    found += [(f"rule {rule.id} (when)", rule.when, rule.location) for rule in playbook.rules]
    return found


def _coverage(playbook: Playbook, evaluations: list[Evaluation]) -> Coverage:
    conditions = labelled_conditions(playbook)
    applied = {result.id for evaluation in evaluations for result in evaluation.items}
    fired = {index for evaluation in evaluations for index in evaluation.fired}
    seen: list[set[bool]] = [{bool(condition(evaluation.values)) for evaluation in evaluations} for _, condition, _ in conditions]
    never = [f"item {item.id}: never applied ({item.location})" for item in playbook.items if item.id not in applied]
    never += [f"rule {rule.id}: never fired ({rule.location})" for index, rule in enumerate(playbook.rules) if index not in fired]
    for (label, condition, location), outcomes in zip(conditions, seen, strict=True):
        for outcome in (True, False):
            if outcome not in outcomes:
                never.append(f"{label}: never {str(outcome).lower()} — {condition.source} ({location})")
    return Coverage(
        (len(applied), len(playbook.items)),
        (len(fired), len(playbook.rules)),
        (sum(len(outcomes) for outcomes in seen), 2 * len(conditions)),
        tuple(never),
    )


def run_scenarios(playbook: Playbook, scenarios: list[Scenario], *, changed: frozenset[str] = frozenset()) -> ScenarioRun:
    """Evaluate every scenario, compare with its expectations, and measure coverage.

    A mismatch about an id in ``changed`` (what an overlay changed, when the
    base playbook's scenarios run against it) is marked, and does not fail.
    """
    evaluations = [evaluate(playbook, scenario.answers) for scenario in scenarios]
    results = tuple(
        ScenarioResult(scenario, tuple(dataclasses.replace(mismatch, changed=mismatch.subject in changed) for mismatch in _mismatches(scenario, evaluation)))
        for scenario, evaluation in zip(scenarios, evaluations, strict=True)
    )
    return ScenarioRun(results, _coverage(playbook, evaluations))


def run_text(run: ScenarioRun, *, show_never: bool = True) -> str:
    """Pass/fail per scenario with ``-`` expected / ``+`` actual lines, then coverage."""
    lines = []
    for result in run.results:
        scenario = result.scenario
        lines.append(f"{'PASS' if result.passed else 'FAIL'}  {scenario.name}  ({scenario.location})")
        for mismatch in result.mismatches:
            mark = f"  (changed by the overlay: {mismatch.subject})" if mismatch.changed else ""
            lines += [f"      {mismatch.location}: {mismatch.what}{mark}", f"      - {mismatch.expected}", f"      + {mismatch.actual}"]
    coverage = run.coverage
    lines += ["", f"{len(run.results)} scenarios: {len(run.results) - run.failed} passed, {run.failed} failed", "", "Coverage"]
    for label, pair in (("items applied", coverage.items), ("rules fired", coverage.rules), ("condition outcomes", coverage.outcomes)):
        lines.append(f"  {label + ':':<20} {pair[0]:>4}/{pair[1]:<4} {Coverage.percent(pair):5.1f}%")
    if show_never and coverage.never:
        lines += ["", "Never exercised"] + [f"  {entry}" for entry in coverage.never]
    return "\n".join(lines)
