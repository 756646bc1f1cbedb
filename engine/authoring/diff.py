"""What changed between two versions of a playbook, as Markdown for a reviewer.

Both versions are loaded and validated, then compared element by element,
by id: questions, facts, departments, terms, items (with their positions and
clause text) and rules (with their effects). Prose changes show as a unified
diff in a ``diff`` block; numbers as ``48 → 24``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..playbook.effects import kind_of
from ..playbook.model import Item, Playbook, Question, Rule, Term
from ..playbook.values import show_field

__all__ = ["diff_playbooks", "SECTIONS"]


def _question(question: Question) -> dict[str, Any]:
    return {
        "text": question.text, "help": question.help, "type": question.type,
        "options": ", ".join(question.option_values), "default": question.default, "required": question.required,
        "minimum": question.minimum, "maximum": question.maximum, "when": question.when.source if question.when else None,
        "section": question.section,
    }


def _term(term: Term) -> dict[str, Any]:
    return {
        "title": term.title, "unit": term.unit, "better": term.better, "target": term.target, "fallback": term.fallback,
        "walk_away": term.walk_away, "owner": term.owner, "display": term.display, "description": term.description, "module": term.module,
    }


def _item(item: Item) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": item.title, "objective": item.objective, "module": item.module, "owner": item.owner, "priority": item.priority,
        "applies_when": item.applies_when.source if item.applies_when else None, "terms": ", ".join(item.terms),
        "covers": ", ".join(item.covers), "rationale": item.rationale, "red_flags": "\n".join(item.red_flags),
        "talking_points": "\n".join(item.talking_points),
    }
    positions = item.positions
    named = [("preferred", positions.preferred), *((f"fallback {n}", p) for n, p in enumerate(positions.fallbacks, 1)), ("walk-away", positions.walk_away)]
    for name, position in named:
        fields[f"{name} summary"] = position.summary
        fields[f"{name} clause"] = position.clause
    return fields



def _rule(rule: Rule) -> dict[str, Any]:
    return {"when": rule.when.source, "because": rule.because, "module": rule.module, "effects": "\n".join(kind_of(effect).describe(effect) for effect in rule.effects)}


@dataclass(frozen=True, slots=True)
class _Manifest:
    """The playbook's own fields, compared as one element."""

    id: str
    fields: dict[str, Any]


def _manifest(playbook: Playbook) -> tuple[_Manifest, ...]:
    return (_Manifest("playbook.yaml", {"title": playbook.title,
                                        "description": playbook.description, "outline": ", ".join(playbook.outline)}),)


#: What is compared, in report order: heading -> (elements of a playbook, fields of one element).
SECTIONS: dict[str, tuple[Callable[[Playbook], tuple[Any, ...]], Callable[[Any], dict[str, Any]]]] = {
    "Playbook": (_manifest, lambda manifest: manifest.fields),
    "Modules": (lambda playbook: playbook.modules, lambda module: {"number": module.number, "title": module.title, "summary": module.summary}),
    "Questions": (lambda playbook: playbook.questions, _question),
    "Facts": (lambda playbook: playbook.facts, lambda fact: {"description": fact.description, "expr": fact.expr.source}),
    "Departments": (lambda playbook: playbook.departments, lambda department: {"name": department.name, "description": department.description}),
    "Terms": (lambda playbook: playbook.terms, _term),
    "Items": (lambda playbook: playbook.items, _item),
    "Rules": (lambda playbook: playbook.rules, _rule),
}



def _field_lines(name: str, old: Any, new: Any) -> Iterator[str]:
    old_text, new_text = show_field(old), show_field(new)
    if "\n" not in old_text + new_text and len(old_text) + len(new_text) < 120:
        yield f"  - {name}: `{old_text}` → `{new_text}`"
        return
    yield f"  - {name}:"
    yield "    ```diff"
    old_lines, new_lines = _wrap(old_text), _wrap(new_text)
    for line in list(difflib.unified_diff(old_lines, new_lines, lineterm="", n=1))[2:]:
        yield f"    {line}"
    yield "    ```"


def _wrap(text: str) -> list[str]:
    """Prose as one sentence a line, so that a diff shows the sentence that changed."""
    lines = []
    for paragraph in text.splitlines():
        sentence = []
        for word in paragraph.split():
            sentence.append(word)
            if word.endswith((".", ";")):
                lines.append(" ".join(sentence))
                sentence = []
        if sentence:
            lines.append(" ".join(sentence))
    return lines


def _section(title: str, old: Playbook, new: Playbook) -> list[str]:
    elements, fields = SECTIONS[title]
    before = {element.id: element for element in elements(old)}
    after = {element.id: element for element in elements(new)}
    lines: list[str] = []
    added = [name for name in after if name not in before]
    removed = [name for name in before if name not in after]
    lines += [f"- **added** `{name}`" + _title(after[name]) for name in added]
    lines += [f"- **removed** `{name}`" + _title(before[name]) for name in removed]
    for name in (name for name in after if name in before):
        old_fields, new_fields = fields(before[name]), fields(after[name])
        changed = [key for key in new_fields if old_fields.get(key) != new_fields[key]]
        changed += [key for key in old_fields if key not in new_fields]
        if changed:
            lines.append(f"- **changed** `{name}`" + _title(after[name]))
            for key in changed:
                lines += _field_lines(key, old_fields.get(key), new_fields.get(key))
    return [f"## {title}", "", *lines, ""] if lines else []


def _title(element: Any) -> str:
    title = getattr(element, "title", None) or getattr(element, "text", None) or getattr(element, "name", None)
    return f" — {title}" if title else ""


def diff_playbooks(old: Playbook, new: Playbook) -> str:
    """The changes from ``old`` to ``new`` as Markdown (a note when there are none)."""
    heading = f"# Playbook changes: {old.id} {old.version} → {new.id} {new.version}"
    body = [line for title in SECTIONS for line in _section(title, old, new)]
    if not body:
        return f"{heading}\n\nNo changes to the playbook's metadata, modules, questions, facts, departments, terms, items or rules.\n"
    counts = {title: sum(line.startswith("- **") for line in _section(title, old, new)) for title in SECTIONS}
    summary = ", ".join(f"{count} {title.lower()}" for title, count in counts.items() if count)
    return "\n".join([heading, "", f"Changed: {summary}.", "", *body])
