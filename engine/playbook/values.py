"""Showing a value: every way dealbook writes an answer, a number or a term value as text.

One module, so that a figure reads the same wherever it appears. Each
function has one purpose; they differ on purpose (a trace shows raw option
ids, a pack shows option labels, a terminal line is cut to fit).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["plain_number", "show_number", "show_in_clause", "show_raw", "show_answer", "show_label", "show_field"]

#: Characters a terminal or a YAML comment cannot show as they are: controls but tab, C1 controls, lone
#: surrogates, U+FFFE and U+FFFF. (Written as the class of what is refused, not of everything allowed:
#: the same characters, and a tenth of the time to compile at every start.)
NOT_PRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def plain_number(value: int | float) -> int | float:
    """``3.0`` → ``3``: a whole float becomes an int, anything else is unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def show_number(value: float) -> str:
    """``3.0`` → ``3``, ``99.95`` → ``99.95``, ``1000000`` → ``1,000,000``."""
    value = plain_number(value)
    if isinstance(value, int) and abs(value) >= 10000:
        return f"{value:,}"
    return str(value)


def show_in_clause(value: Any) -> str:
    """A value printed by a clause template's ``number`` filter: numbers grouped, the rest as text."""
    return show_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)


def show_raw(value: Any) -> str:
    """A value as the decision trace shows it: raw option ids, ``unanswered`` for ``None``."""
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def show_answer(value: Any) -> str:
    """An answer as a negotiator reads it on one line: ``yes``, ``[gdpr, hipaa]``, ``450,000``."""
    if isinstance(value, list):
        return "[" + ", ".join(map(show_answer, value)) + "]" if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return show_number(value)
    text = NOT_PRINTABLE.sub("?", str(value).replace("\n", " "))
    return text if len(text) <= 60 else text[:59] + "…"


def show_label(labels: Mapping[str, str], value: Any) -> str:
    """An answer in a pack: option labels (``labels``, by value) instead of ids, lists joined with commas."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(labels.get(entry, str(entry)) for entry in value) or "none"
    return labels.get(value, str(value))


def show_field(value: Any) -> str:
    """A field of a playbook element in a diff: ``(none)`` when empty, numbers grouped."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return show_number(value)
    return str(value)
