"""libyaml's complaints in plain words, pointing at the line to change.

libyaml reports where its parser gave up, in parser terms (``did not find
expected key while parsing a block mapping``), often a line after the
mistake. :func:`explain_yaml_error` recognises each error class, looks at the
text around it, and says what is wrong and how to fix it, with the line the
author has to edit: a value that starts with a quote but goes on after it, a
colon followed by a space inside text, a dedented line in a ``|`` block, a
missing space after ``-`` or ``:``, a quote never closed, a backslash in
double quotes, a character that cannot start a value. Anything it does not
recognise keeps libyaml's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = ["explain_yaml_error", "quoted"]

#: ``key: value`` at the start of a line (after indentation and an optional ``- ``).
_KEY_VALUE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):\s+(?P<value>.*?)\s*$")
_BLOCK_SCALAR = re.compile(r":\s*[|>][-+0-9]*\s*(#.*)?$")
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:[^\s:/]")
_NO_SPACE_AFTER_DASH = re.compile(r"^\s*-[^\s-]")

Explained = tuple[int, int, str]


def quoted(text: str) -> str:
    """``text`` as a single-quoted YAML scalar (an apostrophe written twice)."""
    return "'" + text.replace("'", "''") + "'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Text:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, number: int) -> str:
        """Line ``number`` (1-based), or ``""``."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def previous(self, number: int) -> int:
        """The number of the last non-blank, non-comment line before ``number``, or 0."""
        for candidate in range(number - 1, 0, -1):
            stripped = self.line(candidate).strip()
            if stripped and not stripped.startswith("#"):
                return candidate
        return 0

    def block_start(self, number: int) -> int:
        """The line that opened a ``|`` or ``>`` block that line ``number`` is dedented out of, or 0."""
        indent = _indent(self.line(number))
        for candidate in range(number - 1, 0, -1):
            line = self.line(candidate)
            if not line.strip():
                continue
            if _BLOCK_SCALAR.search(line) and _indent(line) < indent:
                return candidate
            if _BLOCK_SCALAR.search(line) and candidate < number - 1 and _indent(self.line(candidate + 1)) > indent:
                return candidate
            if not _BLOCK_SCALAR.search(line) and _indent(line) <= indent and candidate < number - 1:
                if _indent(line) < indent or not self._inside_block(candidate):
                    return 0
        return 0

    def _inside_block(self, number: int) -> bool:
        indent = _indent(self.line(number))
        for candidate in range(number - 1, 0, -1):
            line = self.line(candidate)
            if line.strip() and _indent(line) < indent:
                return bool(_BLOCK_SCALAR.search(line))
        return False


def _quote_fix(text: _Text, number: int) -> str:
    """For a value that starts with a quote or ``{{`` and goes on: the message with the corrected line."""
    match = _KEY_VALUE.match(text.line(number))
    if not match:
        return ""
    value, key = match["value"], match["key"].strip()
    head = match["indent"].lstrip()  # "- " on the first line of a list entry
    if value.startswith("'") and value.count("'") >= 3 and value.endswith("'"):
        fixed = f"{head}{key}: {quoted(value[1:-1])}".strip()
        return f"inside single quotes, write an apostrophe twice: `{fixed}`"
    if value.startswith(("'", '"')):
        fixed = f"{head}{key}: {quoted(value)}".strip()
        return f"a value that starts with a quote must be quoted as a whole: `{fixed}`"
    if value.startswith(("{{", "{%")):
        fixed = f"{head}{key}: {quoted(value)}".strip()
        return f"a value that starts with '{value[:2]}' must be in quotes: `{fixed}`"
    return ""


def _expected_key(text: _Text, line: int, column: int, context: int) -> Explained | None:
    fix = _quote_fix(text, line)
    if fix:
        return line, _KEY_VALUE.match(text.line(line)).start("value") + 1, fix  # type: ignore[union-attr]
    previous = text.previous(line)
    if previous and _NO_SPACE_AFTER_DASH.match(text.line(previous)):
        return previous, _indent(text.line(previous)) + 1, "put a space after '-' to start a list entry (`- id: ...`)"
    here, above = _indent(text.line(line)), _indent(text.line(previous)) if previous else 0
    if here < above:
        return line, 1, "this line is indented less than the lines above it, but not as far as any key it could belong to; line it up with the key it belongs to"
    if here > above:
        return line, 1, "this line is indented more than the line above it; line it up with the keys it belongs with"
    return None


def _expected_dash(text: _Text, line: int, column: int, context: int) -> Explained | None:
    block = text.block_start(line)
    if block:
        return line, 1, f"this line is indented less than the text above it, so it ends the block started with '|' or '>' on line {block}; indent it like the text above"
    first = text.line(context)
    return line, 1, (f"this line is indented differently from the list entry on line {context}; "
                     f"line its '-' up with that one (column {_indent(first) + 1}), or indent it further to put it inside the entry")


def _mapping_values(text: _Text, line: int, column: int, context: int) -> Explained | None:
    previous = text.previous(line)
    if previous and _NO_SPACE_AFTER_COLON.match(text.line(previous)) and _indent(text.line(line)) <= _indent(text.line(previous)):
        return previous, _indent(text.line(previous)) + 1, "put a space after the ':' that ends a key (`key: value`, not `key:value`)"
    match = _KEY_VALUE.match(text.line(line))
    if match and ": " in match["value"]:
        fixed = f"{match['indent'].lstrip()}{match['key'].strip()}: {quoted(match['value'])}"
        return line, column, f"put text containing ': ' in quotes: `{fixed}`"
    if previous and _indent(text.line(line)) > _indent(text.line(previous)):
        return line, 1, "this line is indented more than the line above it, which already has a value; line it up with the line above"
    return None


def _simple_key(text: _Text, line: int, column: int, context: int) -> Explained | None:
    block = text.block_start(context)
    if block:
        return context, 1, f"this line is indented less than the text above it, so it ends the block started with '|' or '>' on line {block}; indent it like the text above"
    return context, 1, "this line is neither 'key: value' nor a list entry; if it continues the text above, indent it further (or put the whole text in quotes)"


def _end_of_stream(text: _Text, line: int, column: int, context: int) -> Explained | None:
    mark = text.line(context)[column - 1:column] or "quote"
    return context, column, f"the {mark} opened here is never closed; end the text with a matching {mark}"


def _escape(text: _Text, line: int, column: int, context: int) -> Explained | None:
    return line, column, "inside double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, or use single quotes"


def _cannot_start(text: _Text, line: int, column: int, context: int) -> Explained | None:
    char = text.line(line)[column - 1:column]
    match = _KEY_VALUE.match(text.line(line))
    example = f": `{match['key'].strip()}: {quoted(match['value'])}`" if match else ""
    return line, column, f"a value cannot start with '{char}'; put it in quotes{example}"


def _flow(closing: str) -> Callable[[_Text, int, int, int], Explained | None]:
    def explain(text: _Text, line: int, column: int, context: int) -> Explained | None:
        opening = "[" if closing == "]" else "{"
        return context, 1, (f"the '{opening}' on this line is not closed with '{closing}', or its entries are not separated by commas; "
                            "text with commas, brackets or braces goes in quotes")
    return explain


#: libyaml's problem text -> how to explain it.
EXPLAINERS: dict[str, Callable[[_Text, int, int, int], Explained | None]] = {
    "did not find expected key": _expected_key,
    "did not find expected '-' indicator": _expected_dash,
    "mapping values are not allowed in this context": _mapping_values,
    "could not find expected ':'": _simple_key,
    "found unexpected end of stream": _end_of_stream,
    "found unknown escape character": _escape,
    "found character that cannot start any token": _cannot_start,
    "did not find expected ',' or ']'": _flow("]"),
    "did not find expected ',' or '}'": _flow("}"),
}


def explain_yaml_error(source: str, error: Any) -> Explained | None:
    """``(line, column, message)`` for a :class:`yaml.MarkedYAMLError`, 1-based, or ``None`` when unrecognised."""
    problem, mark, context_mark = error.problem or "", error.problem_mark, error.context_mark
    explainer = next((function for prefix, function in EXPLAINERS.items() if problem.startswith(prefix)), None)
    if explainer is None or mark is None:
        return None
    context = context_mark.line + 1 if context_mark is not None else mark.line + 1
    column = (context_mark.column + 1) if explainer is _end_of_stream and context_mark is not None else mark.column + 1
    return explainer(_Text(source), mark.line + 1, column, context)
