"""Building the playbook model from schema-valid documents.

:class:`Builder` turns each questions file and module file into frozen
dataclasses (:mod:`dealbook.playbook.model`), compiling every condition once
(:mod:`dealbook.playbook.expressions`) and reading each rule effect through
its registry entry (:mod:`dealbook.playbook.effects`).
:func:`resolution_order` puts questions with a ``when`` and facts in the
order evaluation resolves them, and names any cycle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import Problem, shorten
from ..infra.yamlfile import Document
from .effects import parse_effect
from .expressions import Condition, ExpressionError, compile_condition
from .model import Definition, Fact, Glossary, Item, Module, Option, Position, Positions, Question, Rule, Section, Term
from .sources import Sources
from .values import plain_number

__all__ = ["Builder", "resolution_order", "build_glossary"]


class Builder:
    """Builds model objects from schema-valid documents, collecting problems."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.problems: list[Problem] = []

    def condition(self, document: Document, path: list[str | int], source: str) -> Condition:
        try:
            return compile_condition(source)
        except ExpressionError as error:
            self.problems.append(Problem(document.locate(path), f"invalid condition {shorten(source)!r}: {error}"))
            return compile_condition("false")

    def section(self, document: Document) -> Section:
        content = document.content
        questions = tuple(
            self.question(document, index, raw, content["id"]) for index, raw in enumerate(content["questions"])
        )
        facts = tuple(
            Fact(raw["id"], raw["description"], self.condition(document, ["facts", index, "expr"], raw["expr"]),
                 document.locate(["facts", index]), raw.get("reason", ""), raw.get("reason_if_not", ""))
            for index, raw in enumerate(content.get("facts", []))
        )
        return Section(content["id"], content["title"], content.get("description", ""), document.file, questions, facts)

    def question(self, document: Document, index: int, raw: dict[str, Any], section: str) -> Question:
        path: list[str | int] = ["questions", index]
        when = raw.get("when")
        return Question(
            id=raw["id"],
            text=raw["text"],
            help=raw["help"],
            type=raw["type"],
            section=section,
            location=document.locate(path),
            options=tuple(
                Option(option["value"], option["label"], option.get("help", ""), option.get("reason", "")) for option in raw.get("options", [])
            ),
            default=raw.get("default"),
            required=raw.get("required", False),
            minimum=raw.get("minimum"),
            maximum=raw.get("maximum"),
            when=None if when is None else self.condition(document, [*path, "when"], when),
            reason=raw.get("reason", ""),
            reason_if_not=raw.get("reason_if_not", ""),
        )

    def module(self, document: Document, number: int) -> Module:
        content = document.content
        module_id = content["id"]
        terms = tuple(self.term(document, index, raw, module_id) for index, raw in enumerate(content.get("terms", [])))
        items = tuple(self.item(document, index, raw, module_id) for index, raw in enumerate(content["items"]))
        rules = tuple(self.rule(document, index, raw, module_id) for index, raw in enumerate(content.get("rules", [])))
        return Module(
            module_id, content.get("number", number), content["title"], content["summary"], document.file, terms, items, rules
        )

    def term(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Term:
        return Term(
            id=raw["id"],
            title=raw["title"],
            unit=raw["unit"],
            better=raw["better"],
            target=plain_number(raw["target"]),
            fallback=plain_number(raw["fallback"]),
            walk_away=plain_number(raw["walk_away"]),
            owner=raw["owner"],
            module=module,
            location=document.locate(["terms", index]),
            description=raw.get("description", ""),
            display=raw.get("display", ""),
        )

    def position(self, document: Document, path: list[str | int], raw: dict[str, Any]) -> Position:
        return Position(raw["summary"], document.locate(path), raw.get("clause"), raw.get("tradeable", False))

    def item(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Item:
        path: list[str | int] = ["items", index]
        positions = raw["positions"]
        applies_when = raw.get("applies_when")
        return Item(
            id=raw["id"],
            title=raw["title"],
            objective=raw["objective"],
            module=module,
            owner=raw["owner"],
            priority=raw["priority"],
            positions=Positions(
                self.position(document, [*path, "positions", "preferred"], positions["preferred"]),
                tuple(
                    self.position(document, [*path, "positions", "fallbacks", number], fallback)
                    for number, fallback in enumerate(positions["fallbacks"])
                ),
                self.position(document, [*path, "positions", "walk_away"], positions["walk_away"]),
            ),
            rationale=raw["rationale"],
            covers=tuple(raw.get("covers", [])),
            location=document.locate(path),
            applies_when=None if applies_when is None else self.condition(document, [*path, "applies_when"], applies_when),
            terms=tuple(raw.get("terms", [])),
            red_flags=tuple(raw.get("red_flags", [])),
            talking_points=tuple(raw.get("talking_points", [])),
            because=raw.get("because", ""),
        )

    def rule(self, document: Document, index: int, raw: dict[str, Any], module: str) -> Rule:
        path: list[str | int] = ["rules", index]
        effects = tuple(
            parse_effect(document.locate([*path, "then", number]), effect) for number, effect in enumerate(raw["then"])
        )
        return Rule(
            raw["id"], self.condition(document, [*path, "when"], raw["when"]), raw["because"], effects, module,
            document.locate(path),
        )


def resolution_order(sections: Iterable[Section]) -> tuple[tuple[Question | Fact, ...], list[Problem]]:
    """Questions with a ``when`` and facts, each after everything it reads.

    A fact or condition that depends on itself, directly or through others,
    is reported as a problem naming the cycle.
    """
    nodes: dict[str, Question | Fact] = {}
    for section in sections:
        nodes.update({question.id: question for question in section.questions if question.when is not None})
        nodes.update({fact.id: fact for fact in section.facts})
    depends = {name: [read for read in _condition(node).names if read in nodes] for name, node in nodes.items()}
    order: list[Question | Fact] = []
    placed: set[str] = set()
    progress = True
    while progress:
        progress = False
        for name, node in nodes.items():
            if name not in placed and all(dependency in placed for dependency in depends[name]):
                order.append(node)
                placed.add(name)
                progress = True
    problems = []
    for name in nodes:
        if name not in placed:
            cycle = _cycle(name, depends)
            if cycle and cycle[0] == name:
                kind = "fact" if isinstance(nodes[name], Fact) else "question"
                problems.append(Problem(nodes[name].location, f"{kind} '{name}' depends on itself: {' -> '.join(cycle)}"))
    return tuple(order), problems


def _cycle(start: str, depends: dict[str, list[str]]) -> list[str]:
    path: list[str] = []

    def visit(name: str) -> list[str]:
        if name in path:
            return [*path[path.index(name):], name]
        path.append(name)
        for dependency in depends[name]:
            found = visit(dependency)
            if found:
                return found
        path.pop()
        return []

    found = visit(start)
    return found[found.index(start):] if start in found else found


def _condition(node: Question | Fact) -> Condition:
    return node.expr if isinstance(node, Fact) else node.when  # type: ignore[return-value]


def build_glossary(document: Document, inherited: bool = False) -> Glossary:
    """The defined-terms registry from its schema-valid document; ``inherited`` when it is a lower layer's."""
    content = document.content
    definitions = tuple(
        Definition(raw["term"], raw["definition"], tuple(raw["items"]), document.locate(["definitions", index]))
        for index, raw in enumerate(content["definitions"])
    )
    return Glossary(document.file, definitions, tuple(content.get("names", [])), inherited)
