"""Conditions: a safe subset of Jinja expressions, compiled to plain Python.

Authors write conditions in Jinja's expression syntax (they already write
Jinja in clause templates). Each expression is parsed once with Jinja's own
parser; every node of the tree is then checked by *exact* type against an
allow-list and translated to a Python lambda over one dict of values. Nothing
outside the allow-list — attribute access (except ``deal.<field>``),
subscripts, calls, ``*``, ``/``, ``**``, ``~`` — can reach the compiler, so
the generated code can only read values, compare them and combine the
results. A compiled condition runs in well under a microsecond, against about
9 µs for a call through Jinja's sandbox.

Unanswered questions read as ``None``: ordering comparisons with ``None`` are
false, ``x in None`` is false, and ``None | length`` is 0.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes
from jinja2.parser import Parser

from ..errors import shorten

__all__ = [
    "Condition",
    "Comparison",
    "ExpressionError",
    "compile_condition",
    "compile_all",
    "compile_steps",
    "restore_condition",
    "FILTERS",
    "TESTS",
]

_ENVIRONMENT = Environment()  # noqa: S701 - parses conditions only; nothing is ever rendered with it

#: How deeply a condition may nest (``not``, brackets, ``and``/``or`` chains).
MAX_NESTING = 50
#: Longest condition accepted, in characters.
MAX_LENGTH = 10_000


class ExpressionError(ValueError):
    """An expression that does not parse or uses syntax outside the allow-list."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """A name compared with constants, e.g. ``deployment in ["saas", "hybrid"]``.

    ``op`` is Jinja's operator name (``eq``, ``ne``, ``lt``, ``lteq``, ``gt``,
    ``gteq``, ``in``, ``notin``) or ``contains`` / ``notcontains`` when the
    constant is looked for *in* the name's value (a multi-choice answer).
    """

    name: str
    op: str
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled condition: call it with the dict of deal values."""

    source: str
    names: tuple[str, ...]
    comparisons: tuple[Comparison, ...]
    function: Callable[[dict[str, Any]], Any] = field(repr=False, compare=False)
    #: the generated Python expression over ``v``, for batch compilation
    python: str = field(default="False", repr=False, compare=False)

    def __call__(self, values: dict[str, Any]) -> Any:
        return self.function(values)

    def __reduce__(self) -> tuple[Any, ...]:
        # Cached playbooks store the generated Python, not the function; it is
        # compiled again on first use. The tree was allow-listed when the
        # condition was first compiled.
        return (restore_condition, (self.source, self.names, self.comparisons, self.python))


# --- run-time helpers: the only functions generated code can call ----------


def _in(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    try:
        return needle in haystack
    except TypeError:
        return False


def _arith(op: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(left: Any, right: Any) -> Any:
        if left is None or right is None or isinstance(left, str) or isinstance(right, str):
            return None
        try:
            return op(left, right)
        except ArithmeticError:  # a float beside an integer too large to be one: no value, as in the filters
            return None

    return apply


def _numeric(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        try:
            return None if value is None else convert(value)
        except (TypeError, ValueError, ArithmeticError):  # int(inf) overflows: no value, like a wrong type
            return None

    return apply


FILTERS: dict[str, Callable[[Any], Any]] = {
    "length": lambda value: 0 if value is None else len(value) if isinstance(value, (str, list, tuple)) else 0,
    "lower": lambda value: value.lower() if isinstance(value, str) else value,
    "upper": lambda value: value.upper() if isinstance(value, str) else value,
    "abs": _numeric(abs),
    "round": _numeric(round),
    "int": _numeric(int),
    "float": _numeric(float),
}

TESTS: dict[str, str] = {
    "defined": "({} is not None)",
    "undefined": "({} is None)",
    "none": "({} is None)",
}

_NAMESPACE: dict[str, Any] = {
    "__builtins__": {},
    "TypeError": TypeError,
    "_in": _in,
    "_add": _arith(lambda a, b: a + b),
    "_sub": _arith(lambda a, b: a - b),
    "_neg": _numeric(lambda a: -a),
    **{f"_f_{name}": function for name, function in FILTERS.items()},
}

_FORBIDDEN_NAMES = {
    nodes.Getitem: "subscripts ([...])",
    nodes.Slice: "slices",
    nodes.Call: "function calls",
    nodes.Mul: "'*'",
    nodes.Div: "'/'",
    nodes.FloorDiv: "'//'",
    nodes.Mod: "'%'",
    nodes.Pow: "'**'",
    nodes.Concat: "'~'",
    nodes.Dict: "dict literals",
}


class _Compiler:
    """Translates an allow-listed Jinja expression tree to Python source."""

    def __init__(self) -> None:
        self.names: dict[str, None] = {}
        self.comparisons: list[Comparison] = []
        self.depth = 0

    def visit(self, node: nodes.Node) -> str:
        method = _VISITORS.get(type(node))
        if method is None:
            what = _FORBIDDEN_NAMES.get(type(node), f"'{type(node).__name__}' expressions")
            raise ExpressionError(f"{what} not allowed in conditions")
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(f"nested more than {MAX_NESTING} levels deep; split it into facts")
        try:
            return method(self, node)
        finally:
            self.depth -= 1

    def name(self, node: nodes.Name) -> str:
        if node.ctx != "load":
            raise ExpressionError("assignment not allowed in conditions")
        self.names[node.name] = None
        return f"v[{node.name!r}]"

    def getattr(self, node: nodes.Getattr) -> str:
        if type(node.node) is nodes.Name and node.node.name == "deal":
            key = f"deal.{node.attr}"
            self.names[key] = None
            return f"v[{key!r}]"
        raise ExpressionError("attribute access not allowed in conditions (only deal.<field>)")

    def const(self, node: nodes.Const) -> str:
        if type(node.value) not in (str, int, float, bool, type(None)):
            raise ExpressionError(f"constant of type {type(node.value).__name__} not allowed")
        if type(node.value) is float and not math.isfinite(node.value):
            raise ExpressionError("a number too large to use (not finite)")
        return repr(node.value)

    def sequence(self, node: nodes.List | nodes.Tuple) -> str:
        if type(node) is nodes.Tuple and node.ctx != "load":
            raise ExpressionError("assignment not allowed in conditions")
        return "(" + "".join(f"{self.visit(item)}, " for item in node.items) + ")"

    def compare(self, node: nodes.Compare) -> str:
        parts = []
        left_node = node.expr
        left = self.visit(left_node)
        for operand in node.ops:
            right = self.visit(operand.expr)
            self._remember(left_node, operand.op, operand.expr)
            parts.append(_comparison(operand.op, left, left_node, right, operand.expr))
            left_node, left = operand.expr, right
        return "(" + " and ".join(parts) + ")"

    def _remember(self, left: nodes.Node, op: str, right: nodes.Node) -> None:
        """Record name-versus-constant comparisons for static checks."""
        named, constant = _subject(left), _constants(right)
        if named is not None and constant is not None:
            self.comparisons.append(Comparison(named, op, constant))
            return
        named, constant = _subject(right), _constants(left)
        if named is not None and constant is not None and op in ("in", "notin"):
            self.comparisons.append(Comparison(named, "contains" if op == "in" else "notcontains", constant))
        elif named is not None and constant is not None:
            mirrored = {"lt": "gt", "gt": "lt", "lteq": "gteq", "gteq": "lteq"}.get(op, op)
            self.comparisons.append(Comparison(named, mirrored, constant))

    def boolean(self, node: nodes.And | nodes.Or) -> str:
        word = "and" if type(node) is nodes.And else "or"
        return f"({self.visit(node.left)} {word} {self.visit(node.right)})"

    def negate(self, node: nodes.Not) -> str:
        return f"(not {self.visit(node.node)})"

    def arithmetic(self, node: nodes.Add | nodes.Sub) -> str:
        helper = "_add" if type(node) is nodes.Add else "_sub"
        return f"{helper}({self.visit(node.left)}, {self.visit(node.right)})"

    def unary(self, node: nodes.Neg | nodes.Pos) -> str:
        operand = self.visit(node.node)
        return f"_neg({operand})" if type(node) is nodes.Neg else operand

    def conditional(self, node: nodes.CondExpr) -> str:
        otherwise = "None" if node.expr2 is None else self.visit(node.expr2)
        return f"({self.visit(node.expr1)} if {self.visit(node.test)} else {otherwise})"

    def test(self, node: nodes.Test) -> str:
        if node.name not in TESTS:
            raise ExpressionError(f"test 'is {node.name}' not allowed (allowed: {', '.join(sorted(TESTS))})")
        _no_arguments(node, "test")
        return TESTS[node.name].format(self.visit(node.node))

    def filter(self, node: nodes.Filter) -> str:
        if node.name not in FILTERS or node.node is None:
            raise ExpressionError(f"filter '{node.name}' not allowed in conditions (allowed: {', '.join(sorted(FILTERS))})")
        _no_arguments(node, "filter")
        return f"_f_{node.name}({self.visit(node.node)})"


_PYTHON_OPS = {"eq": "==", "ne": "!=", "lt": "<", "lteq": "<=", "gt": ">", "gteq": ">="}


def _comparison(op: str, left: str, left_node: nodes.Node, right: str, right_node: nodes.Node) -> str:
    """Python for one comparison; ``None`` (unanswered) never orders or contains."""
    if op in ("eq", "ne"):
        return f"({left} {_PYTHON_OPS[op]} {right})"
    if op in ("in", "notin"):
        negation = "not " if op == "notin" else ""
        if _constants(right_node) is not None:
            return f"({left} {negation}in {right})"
        return f"({negation}_in({left}, {right}))"
    guards = [f"{side} is not None" for side, node in ((left, left_node), (right, right_node)) if type(node) is not nodes.Const]
    return "(" + " and ".join([*guards, f"{left} {_PYTHON_OPS[op]} {right}"]) + ")"


def _no_arguments(node: nodes.Test | nodes.Filter, kind: str) -> None:
    if node.args or node.kwargs or node.dyn_args or node.dyn_kwargs:
        raise ExpressionError(f"{kind} '{node.name}' takes no arguments in conditions")


def _subject(node: nodes.Node) -> str | None:
    if type(node) is nodes.Name:
        return node.name
    if type(node) is nodes.Getattr and type(node.node) is nodes.Name and node.node.name == "deal":
        return f"deal.{node.attr}"
    return None


def _constants(node: nodes.Node) -> tuple[Any, ...] | None:
    if type(node) is nodes.Const:
        return (node.value,)
    if type(node) in (nodes.List, nodes.Tuple) and all(type(item) is nodes.Const for item in node.items):
        return tuple(item.value for item in node.items)
    if type(node) is nodes.Neg and type(node.node) is nodes.Const and isinstance(node.node.value, (int, float)):
        return (-node.node.value,)
    return None


_VISITORS: dict[type, Callable[[_Compiler, Any], str]] = {
    nodes.Name: _Compiler.name,
    nodes.Getattr: _Compiler.getattr,
    nodes.Const: _Compiler.const,
    nodes.List: _Compiler.sequence,
    nodes.Tuple: _Compiler.sequence,
    nodes.Compare: _Compiler.compare,
    nodes.And: _Compiler.boolean,
    nodes.Or: _Compiler.boolean,
    nodes.Not: _Compiler.negate,
    nodes.Add: _Compiler.arithmetic,
    nodes.Sub: _Compiler.arithmetic,
    nodes.Neg: _Compiler.unary,
    nodes.Pos: _Compiler.unary,
    nodes.CondExpr: _Compiler.conditional,
    nodes.Test: _Compiler.test,
    nodes.Filter: _Compiler.filter,
}


#: Operators authors bring from other languages, and what conditions write instead.
FOREIGN_OPERATORS: tuple[tuple[str, str], ...] = (("&&", "and"), ("||", "or"), ("!=", "!="), ("==", "=="),
                                                  ("<=", "<="), (">=", ">="), ("=", "=="), ("!", "not "))


def foreign_operator(source: str) -> str:
    """The fix for the first operator from another language outside quotes (``&&``, ``||``, ``=``, ``!``), or ``""``."""
    index, quote = 0, ""
    while index < len(source):
        char = source[index]
        if quote:
            quote = "" if char == quote else quote
            index += 2 if char == "\\" else 1
            continue
        if char in "'\"":
            quote = char
            index += 1
            continue
        for written, meant in FOREIGN_OPERATORS:
            if source.startswith(written, index):
                if written != meant:
                    return f"write '{meant.strip()}' instead of '{written}' (conditions use and, or, not and ==)"
                index += len(written) - 1
                break
        index += 1
    return ""


def parse(source: str) -> nodes.Expr:
    """Parse ``source`` as one Jinja expression (no evaluation)."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"longer than {MAX_LENGTH:,} characters; split it into facts")
    fix = foreign_operator(source)
    if fix:
        raise ExpressionError(fix)
    try:
        parser = Parser(_ENVIRONMENT, source, state="variable")
        expression = parser.parse_expression()
        if not parser.stream.eos:
            raise ExpressionError(f"unexpected {shorten(parser.stream.current.value)!r} after the expression")
    except TemplateSyntaxError as error:
        raise ExpressionError(f"syntax error: {shorten(error.message or '')}") from None
    except RecursionError:
        raise ExpressionError(f"nested more than {MAX_NESTING} levels deep; split it into facts") from None
    except ValueError as error:  # e.g. an integer literal with thousands of digits
        raise ExpressionError(f"invalid constant: {shorten(str(error))}") from None
    return expression


def compile_condition(source: str) -> Condition:
    """Parse, check and compile one condition.

    Raises :class:`ExpressionError` for a syntax error or any syntax outside
    the allow-list; the caller adds the location.
    """
    compiler = _Compiler()
    try:
        python = compiler.visit(parse(source))
    except RecursionError:
        raise ExpressionError(f"nested more than {MAX_NESTING} levels deep; split it into facts") from None
    except ValueError as error:
        if isinstance(error, ExpressionError):
            raise
        raise ExpressionError(f"invalid constant: {shorten(str(error))}") from None
    # The tree was allow-listed node by node and constants are repr()'d, so the
    # generated source can only read values, compare and combine them. A
    # comparison of incompatible types (which validation rules out for
    # answers) makes the whole condition false rather than crash.
    function = _define(_wrap(python), "condition")
    return Condition(source, tuple(compiler.names), tuple(compiler.comparisons), function, python)


class _Deferred:
    """A condition function compiled from its generated Python on first call."""

    __slots__ = ("python", "function")

    def __init__(self, python: str) -> None:
        self.python = python
        self.function: Callable[[dict[str, Any]], Any] | None = None

    def __call__(self, values: dict[str, Any]) -> Any:
        if self.function is None:
            self.function = _define(_wrap(self.python), "condition")
        return self.function(values)


def restore_condition(source: str, names: tuple[str, ...], comparisons: tuple[Comparison, ...], python: str) -> Condition:
    """A condition from what :func:`compile_condition` made of it, compiled on first use.

    ``python`` is trusted: only the cache passes it, from an entry whose HMAC proved it was stored by this user.
    """
    return Condition(source, names, comparisons, _Deferred(python), python)


def _wrap(python: str) -> str:
    return f"def condition(v):\n    try:\n        return {python}\n    except TypeError:\n        return False\n"


def _define(source_code: str, name: str) -> Callable[..., Any]:
    namespace = dict(_NAMESPACE)
    try:
        with warnings.catch_warnings():  # `1 is None` is meant: a constant tested for being unanswered
            warnings.simplefilter("ignore", SyntaxWarning)
            code = compile(source_code, f"<{name}>", "exec")
    except (SyntaxError, RecursionError, MemoryError) as error:  # Python's own nesting limits
        raise ExpressionError(f"too complex to compile ({type(error).__name__}); split it into facts") from None
    exec(code, namespace)  # noqa: S102 - built from allow-listed trees only
    return namespace[name]


def compile_all(conditions: tuple[Condition | None, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """One function evaluating many conditions at once (``None`` is always true).

    A single call replaces one call per condition, which dominates the cost
    of evaluating a deal. If any condition hits a type error, each is
    evaluated on its own so that only that one reads as false.
    """
    if not conditions:
        return lambda values: ()
    parts = "".join(f"        {'True' if condition is None else condition.python},\n" for condition in conditions)
    batch = _define(f"def batch(v):\n    return (\n{parts}    )\n", "batch")
    one_by_one = tuple((lambda values: True) if condition is None else condition.function for condition in conditions)

    def evaluate_all(values: dict[str, Any]) -> tuple[Any, ...]:
        try:
            return batch(values)
        except TypeError:
            return tuple(function(values) for function in one_by_one)

    return evaluate_all


def compile_steps(steps: tuple[tuple[str, str, Condition], ...]) -> Callable[[dict[str, Any]], None]:
    """One function that resolves questions and facts in order, in place.

    ``steps`` are ``("question", id, when)`` — the answer is cleared when the
    condition does not hold — or ``("fact", id, expr)`` — the fact is set to
    the expression's value.
    """
    lines = ["def resolve(v):"]
    for kind, name, condition in steps:
        if kind == "question":
            lines += ["    try:", f"        if not ({condition.python}):", f"            v[{name!r}] = None",
                      "    except TypeError:", f"        v[{name!r}] = None"]
        else:
            lines += ["    try:", f"        v[{name!r}] = {condition.python}", "    except TypeError:", f"        v[{name!r}] = False"]
    lines.append("    return None")
    return _define("\n".join(lines) + "\n", "resolve")
