"""Naming the element a YAML path points into, in the author's words.

``rules/7/then/0`` means nothing to someone who wrote a rule; ``rule
'financial_large_deal_controls', effect 1`` does. :func:`element_name` walks
a path through a file's content and names each list entry it passes by its
id (questions, facts, terms, items, rules, departments), its value (options),
its name (scenarios) or its number counted from 1 (effects, fallbacks). The
lists are data: a new list is a new row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["NAMED_LISTS", "NUMBERED_LISTS", "element_name"]

#: List key -> (what one entry is called, the field that names it).
NAMED_LISTS: dict[str, tuple[str, str]] = {
    "questions": ("question", "id"),
    "facts": ("fact", "id"),
    "terms": ("term", "id"),
    "items": ("item", "id"),
    "rules": ("rule", "id"),
    "departments": ("department", "id"),
    "options": ("option", "value"),
    "scenarios": ("scenario", "name"),
}
#: List key -> what one entry is called; entries are numbered from 1.
NUMBERED_LISTS: dict[str, str] = {"then": "effect", "fallbacks": "fallback"}


def element_name(content: Any, path: Sequence[str | int]) -> str:
    """``rule 'eu_rules', effect 3, require_approver/approver`` for ``rules/0/then/2/require_approver/approver``.

    An empty string when the path passes no named or numbered list entry
    (the raw path says it as well).
    """
    named: list[str] = []
    rest: list[str] = []
    node = content
    previous: str | int | None = None
    for part in path:
        entry = node[part] if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node) else None
        if entry is not None and isinstance(previous, str):
            name = _entry_name(previous, part, entry)  # type: ignore[arg-type]
            if name:
                named.append(name)
                rest = []
            else:
                rest.append(str(part))
        else:
            rest.append(str(part))
        node = entry if entry is not None else node.get(part) if isinstance(node, dict) else None
        previous = part
    if not named:
        return ""
    return ", ".join([*named, *(["/".join(rest)] if rest else [])])


def _entry_name(key: str, index: int, entry: Any) -> str:
    if key in NUMBERED_LISTS:
        return f"{NUMBERED_LISTS[key]} {index + 1}"
    if key in NAMED_LISTS and isinstance(entry, dict):
        kind, field = NAMED_LISTS[key]
        value = entry.get(field)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return f"{kind} '{value}'"
    return ""
