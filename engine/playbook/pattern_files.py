"""Building :class:`~dealbook.playbook.patterns.ItemPatterns` from schema-valid pattern files.

Every phrase is compiled here, once per playbook load; a broken regular
expression is reported at its file and line like any other problem. Item and
term ids are checked later with the other references (:mod:`.checks`).
"""

from __future__ import annotations

from typing import Any

from ..errors import Problem
from ..infra.yamlfile import Document
from .patterns import DEFAULT_WITHIN, Example, FlagPattern, ItemPatterns, Matcher, Near, PatternError, Phrase, ValuePattern, compile_phrase

__all__ = ["build_patterns"]

Path_ = list[str | int]


class _Compiler:
    def __init__(self, document: Document, problems: list[Problem]) -> None:
        self.document = document
        self.problems = problems

    def phrases(self, raw: list[str] | None, path: Path_) -> tuple[Phrase, ...]:
        compiled = []
        for index, source in enumerate(raw or []):
            try:
                compiled.append(compile_phrase(source))
            except PatternError as error:
                self.problems.append(Problem(self.document.locate([*path, index]), str(error)))
        return tuple(compiled)

    def matcher(self, raw: dict[str, Any], path: Path_) -> Matcher:
        near = tuple(
            Near(self.phrases(entry["find"], [*path, "near", index, "find"]),
                 self.phrases(entry["of"], [*path, "near", index, "of"]),
                 entry.get("within", DEFAULT_WITHIN))
            for index, entry in enumerate(raw.get("near", []))
        )
        return Matcher(
            any=self.phrases(raw.get("any"), [*path, "any"]),
            all=self.phrases(raw.get("all"), [*path, "all"]),
            none=self.phrases(raw.get("none"), [*path, "none"]),
            near=near,
            heading=self.phrases(raw.get("heading"), [*path, "heading"]),
            location=self.document.locate(path),
        )

    def examples(self, raw: dict[str, Any], path: Path_) -> tuple[Example, ...]:
        found = [Example(text, self.document.locate([*path, "match", index]), True) for index, text in enumerate(raw["match"])]
        found += [Example(text, self.document.locate([*path, "no_match", index]), False) for index, text in enumerate(raw["no_match"])]
        return tuple(found)

    def item(self, raw: dict[str, Any], path: Path_) -> ItemPatterns:
        meets = raw.get("meets")
        flags = tuple(
            FlagPattern(flag["says"], flag["severity"], self.matcher(flag["match"], [*path, "flags", index, "match"]),
                        self.examples(flag["examples"], [*path, "flags", index, "examples"]),
                        self.document.locate([*path, "flags", index]))
            for index, flag in enumerate(raw.get("flags", []))
        )
        values = tuple(
            ValuePattern(
                value["term"], self.phrases(value.get("near"), [*path, "values", index, "near"]),
                value.get("within", DEFAULT_WITHIN),
                tuple(Example(example["text"], self.document.locate([*path, "values", index, "examples", number]),
                              example["value"] is not None, example["value"])
                      for number, example in enumerate(value["examples"])),
                self.document.locate([*path, "values", index]),
            )
            for index, value in enumerate(raw.get("values", []))
        )
        return ItemPatterns(
            item=raw["item"],
            topic=self.matcher(raw["topic"], [*path, "topic"]),
            meets=None if meets is None else self.matcher(meets["match"], [*path, "meets", "match"]),
            flags=flags,
            values=values,
            examples=self.examples(raw["examples"], [*path, "examples"]),
            location=self.document.locate(path),
            section=self.phrases(raw.get("section"), [*path, "section"]),
            meets_examples=() if meets is None else self.examples(meets["examples"], [*path, "meets", "examples"]),
            definitions=raw.get("definitions", False),
        )


def build_patterns(documents: list[Document], problems: list[Problem]) -> tuple[ItemPatterns, ...]:
    """Compile every pattern of every file, appending problems (broken regular expressions) to ``problems``."""
    built: list[ItemPatterns] = []
    for document in documents:
        compiler = _Compiler(document, problems)
        built.extend(compiler.item(raw, ["patterns", index]) for index, raw in enumerate(document.content["patterns"]))
    return tuple(built)
