"""The one sandbox every template runs in, with bounds on time, memory and output.

Clause templates come from playbooks and pack templates from ``--templates``
folders: both are written by people, and a careless or hostile one must not
hang dealbook or fill the disk. :func:`sandboxed_environment` builds Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment` (no attribute starting with
``_``, no unsafe callables) with these bounds on top:

- ``*``, ``**``, ``+`` and ``%`` never build a value longer than
  :data:`MAX_VALUE` characters or list entries, nor an integer of more than
  :data:`MAX_DIGITS` digits; string methods and filters that take a width or
  a count refuse one above :data:`MAX_VALUE` (``'x'.ljust(10**9)``,
  ``|center``), every call and filter result longer than it is refused, and
  ``~`` joins are checked the same way;
- every loop iteration and every call (macros included) spends one step of
  the render's budget, so nested loops and branching recursion stop early;
- each render's output, and every buffer a macro or ``{% set %}`` block fills,
  stays under the render's output limit (:data:`CLAUSE` or :data:`DOCUMENT`);
- deep recursion, and any Python error a template provokes (``1/0``, an
  overflow), become Jinja errors rather than escaping as something else.

A bound that is hit raises :class:`TemplateLimitError`, one message naming
the bound. :func:`check_constants` finds constant expressions that would
fold into a huge value (``'x' * 10**9``) when a template is validated.
"""

from __future__ import annotations

import math
import re
import string
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from types import CodeType
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, Template, TemplateError, TemplateRuntimeError, TemplateSyntaxError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

__all__ = [
    "MAX_VALUE",
    "MAX_DIGITS",
    "Limits",
    "CLAUSE",
    "DOCUMENT",
    "TemplateLimitError",
    "TemplateFault",
    "sandboxed_environment",
    "render_bounded",
    "SharedContext",
    "shared_context",
    "compile_template",
    "check_constants",
]

#: Longest string or list a template may compute, in characters or entries.
MAX_VALUE = 1_000_000
#: Most digits of an integer a template may compute.
MAX_DIGITS = 4300


@dataclass(frozen=True, slots=True)
class Limits:
    """What one render may produce: characters of output, and steps (loop iterations and calls)."""

    output: int
    steps: int
    what: str


#: A clause template: 1 MB of text, 100,000 steps.
CLAUSE = Limits(output=1_000_000, steps=100_000, what="clause template")
#: A pack document: 20 MB of text, 5,000,000 steps.
DOCUMENT = Limits(output=20_000_000, steps=5_000_000, what="template")


class TemplateLimitError(SecurityError):
    """A template went past one of the sandbox's bounds."""


class TemplateFault(TemplateRuntimeError):
    """A Python error raised inside a template (``1/0``, an overflow); :attr:`original` keeps it."""

    def __init__(self, original: BaseException) -> None:
        message = str(original) or type(original).__name__
        super().__init__(f"{message[:160]}{'…' if len(message) > 160 else ''}")
        self.original = original


class _Budget:
    __slots__ = ("left", "limits")

    def __init__(self, limits: Limits) -> None:
        self.left = limits.steps
        self.limits = limits


_BUDGET: ContextVar[_Budget | None] = ContextVar("dealbook_template_budget", default=None)


def _spend() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.left -= 1
        if budget.left < 0:
            raise TemplateLimitError(
                f"{budget.limits.what} takes more than {budget.limits.steps:,} steps (loop iterations and calls)")


def _output_limit() -> Limits:
    budget = _BUDGET.get()
    return budget.limits if budget is not None else DOCUMENT


def _too_long(what: str) -> TemplateLimitError:
    return TemplateLimitError(f"{what} would make a value of more than {MAX_VALUE:,} characters")


def _sized(value: Any, what: str) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_VALUE:
        raise _too_long(what)
    if isinstance(value, int) and value.bit_length() > _MAX_BITS:
        raise TemplateLimitError(f"{what} would make a number of more than {MAX_DIGITS:,} digits")
    return value


_MAX_BITS = int(MAX_DIGITS * math.log2(10))
_SEQUENCES = (str, list, tuple)


def _multiply(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, _SEQUENCES) and isinstance(count, int):
            if len(sequence) * max(count, 0) > MAX_VALUE:
                raise _too_long("'*'")
            return sequence * count
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > _MAX_BITS:
        raise TemplateLimitError(f"'*' would make a number of more than {MAX_DIGITS:,} digits")
    return left * right


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        if right * math.log10(abs(left)) > MAX_DIGITS:
            raise TemplateLimitError(f"'**' would make a number of more than {MAX_DIGITS:,} digits")
    try:
        return left**right
    except OverflowError:
        raise TemplateLimitError("'**' would make a number too large to represent") from None


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, _SEQUENCES) and isinstance(right, _SEQUENCES) and len(left) + len(right) > MAX_VALUE:
        raise _too_long("'+'")
    return left + right


_WIDTH = re.compile(r"%[-#0 +]*(\d*|\*)(?:\.(\d*|\*))?")


def _check_printf(template: str, arguments: Any) -> None:
    """``'%1000000000s' % x`` and ``'%*s' % (10**9, x)`` are refused before Python builds them."""
    for match in _WIDTH.finditer(template):
        for number in match.groups():
            if number and number != "*" and (len(number) > 7 or int(number) > MAX_VALUE):
                raise _too_long("a '%' format")
    values = arguments if isinstance(arguments, tuple) else (arguments,)
    if "*" in template and any(isinstance(value, int) and abs(value) > MAX_VALUE for value in values):
        raise _too_long("a '%' format")  # a '*' width or precision is taken from the arguments


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_printf(left, right)
    return _sized(left % right, "'%'")


def _check_format(template: str) -> None:
    """``'{:>1000000000}'.format(x)`` is refused before Python builds it."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format reports it
    for _, _, spec, _ in fields:
        if spec and any(len(run) > 7 or int(run) > MAX_VALUE for run in re.findall(r"\d+", spec)):
            raise _too_long("a format width")
        if spec and "{" in spec:
            _check_format(spec)


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {"*": _multiply, "**": _power, "+": _add, "%": _modulo}


def _estimate(function: Any, owner: Any, args: tuple[Any, ...]) -> int:
    """The size a string method would produce, for the few that can multiply their input."""
    name = getattr(function, "__name__", "")
    if isinstance(owner, str):
        if name == "join" and args and isinstance(args[0], (list, tuple)):
            return len(owner) * len(args[0]) + sum(len(str(part)) for part in args[0][:MAX_VALUE])
        if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
            return len(owner) + (owner.count(args[0]) if args[0] else len(owner) + 1) * len(args[1])
        if name == "expandtabs" and args and isinstance(args[0], int):
            return len(owner) + owner.count("\t") * args[0]
    return 0


def _check_arguments(values: Iterable[Any], what: str) -> None:
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            raise TemplateLimitError(f"{what} with an argument over {MAX_VALUE:,}")


#: Filters and string methods whose numeric arguments are sizes (widths, counts), not values.
_SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "slice", "batch"})
_SIZED_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    skip = 2 if getattr(function, "jinja_pass_arg", None) is not None else 1

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        arguments = args[skip:]
        if name in _SIZED_FILTERS:
            _check_arguments((*arguments, *kwargs.values()), f"filter '{name}'")
        value = args[skip - 1] if len(args) >= skip else None
        if name == "join" and value is not None and not isinstance(value, (str, list, tuple)):
            value = list(value)  # a generator is measured before it is joined
            args = (*args[: skip - 1], value, *arguments)
        if name == "format" and isinstance(value, str):
            _check_printf(value, tuple(arguments))
        elif name in ("join", "indent", "replace") and isinstance(value, (str, list, tuple)):
            parts = [str(part) for part in arguments] + [str(part) for part in kwargs.values()]
            lines = len(value) if name == "join" else value.count("\n") + 1 if name == "indent" else len(value) + 1
            if sum(len(part) for part in parts) * lines > MAX_VALUE:
                raise _too_long(f"filter '{name}'")
        return _sized(function(*args, **kwargs), f"filter '{name}'")

    return bounded


class _BoundedList(list):  # type: ignore[type-arg]
    """An output buffer (macro body, ``{% set %}`` block) that stays under the render's output limit."""

    __slots__ = ("size",)

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def _grow(self, parts: Iterable[Any]) -> None:
        self.size += sum(len(part) if isinstance(part, str) else 16 for part in parts)
        limits = _output_limit()
        if self.size > limits.output:
            raise TemplateLimitError(f"{limits.what} would produce more than {limits.output:,} characters")

    def append(self, part: Any) -> None:
        self._grow((part,))
        super().append(part)

    def extend(self, parts: Iterable[Any]) -> None:
        parts = tuple(parts)
        self._grow(parts)
        super().extend(parts)


_NAMES: ContextVar[set[str] | None] = ContextVar("dealbook_template_names", default=None)


class _BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every loop's iterable, ``~`` join and output buffer bounded.

    While :func:`compile_template` runs it also collects the names the
    template reads from its context, as :func:`jinja2.meta.find_undeclared_variables`
    does, so one code-generation pass gives both.
    """

    def enter_frame(self, frame: Frame) -> None:
        super().enter_frame(frame)
        names = _NAMES.get()
        if names is not None:
            names.update(param for action, param in frame.symbols.loads.values()
                         if action == "resolve" and param not in self.environment.globals)

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.bounded_buffer()")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_join(")
        super().visit_Concat(node, frame)
        self.write(")")

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        bounded = nodes.Call(nodes.EnvironmentAttribute("bounded_iter"), [node.iter], [], None, None, lineno=node.lineno)
        node = nodes.For(node.target, bounded, node.body, node.else_, node.test, node.recursive, lineno=node.lineno)
        super().visit_For(node, frame)


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with bounds on the size of values, steps and output (see the module)."""

    intercepted_binops = frozenset(_BINOPS)
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, function) for name, function in self.filters.items()}
        self._safe_attributes: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's answer depends on the object's type and the name alone (never the value), and templates
        # ask it for every attribute they read: it is worked out once per type and name.
        key = (type(obj), attr)
        safe = self._safe_attributes.get(key)
        if safe is None:
            safe = self._safe_attributes[key] = super().is_safe_attribute(obj, attr, value)
        return safe

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        return _BINOPS[operator](left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        _spend()
        target = getattr(__obj, "__wrapped__", __obj)
        if isinstance(target, (types.BuiltinFunctionType, types.BuiltinMethodType)):
            if target.__name__ in _SIZED_METHODS:
                _check_arguments((*args, *kwargs.values()), f"'{target.__name__}'")
            owner = getattr(target, "__self__", None)
            if isinstance(owner, str) and target.__name__ == "join" and args and not isinstance(args[0], (list, tuple)):
                args = (list(args[0]), *args[1:])  # a generator is measured before it is joined
            if isinstance(owner, str) and target.__name__ in ("format", "format_map"):
                _check_format(owner)
            if _estimate(target, owner, args) > MAX_VALUE:
                raise _too_long(f"'{target.__name__}'")
        return _sized(super().call(__context, __obj, *args, **kwargs), f"'{getattr(target, '__name__', 'call')}'")

    @staticmethod
    def bounded_iter(iterable: Any) -> Iterator[Any]:
        for value in iterable:
            _spend()
            yield value

    @staticmethod
    def bounded_join(text: str) -> str:
        return _sized(text, "'~'")

    @staticmethod
    def bounded_buffer() -> list[Any]:
        return _BoundedList()


def sandboxed_environment(loader: BaseLoader | None = None, *, filters: Mapping[str, Callable[..., Any]] | None = None,
                          **options: Any) -> BoundedEnvironment:
    """The bounded, strict sandbox every dealbook template runs in.

    Undefined names are errors (``StrictUndefined``), output is not escaped
    (templates write Markdown; the renderers escape data), and block tags
    do not leave blank lines. ``filters`` are added, bounded like Jinja's own.
    """
    settings: dict[str, Any] = {"undefined": StrictUndefined, "autoescape": False, "trim_blocks": True, "lstrip_blocks": True}
    environment = BoundedEnvironment(loader=loader, **{**settings, **options})
    for name, function in (filters or {}).items():
        environment.filters[name] = _bounded_filter(name, function)
    return environment


def compile_template(environment: BoundedEnvironment, tree: nodes.Template, name: str | None = None) -> tuple[CodeType, frozenset[str]]:
    """Compile a parsed template to Python code, with the names it reads from its context.

    Raises :class:`~jinja2.TemplateSyntaxError` (an unknown filter or test, a
    misplaced tag). :meth:`Template.from_code <jinja2.Template.from_code>`
    turns the code into a template.
    """
    names: set[str] = set()
    token = _NAMES.set(names)
    try:
        code = environment.compile(tree, name=name, filename=name)
    finally:
        _NAMES.reset(token)
    return code, frozenset(names)


def render_bounded(template: Template, context: Mapping[str, Any], limits: Limits) -> str:
    """Render ``template`` within ``limits``.

    Raises a :class:`~jinja2.TemplateError` for every failure:
    :class:`TemplateLimitError` for a bound (output, steps, recursion,
    memory), :class:`TemplateFault` for a Python error inside the template.
    """
    token = _BUDGET.set(_Budget(limits))
    try:
        parts: list[str] = []
        size = 0
        for part in _generate(template, context):
            size += len(part)
            if size > limits.output:
                raise TemplateLimitError(f"{limits.what} would produce more than {limits.output:,} characters")
            parts.append(part)
        return "".join(parts)
    except TemplateError:
        raise
    except RecursionError:
        raise TemplateLimitError(f"{limits.what} nests too deeply (a macro calling itself?)") from None
    except MemoryError:
        raise TemplateLimitError(f"{limits.what} needs too much memory") from None
    except Exception as error:  # noqa: BLE001 - any Python error a template provokes is the template's problem
        raise TemplateFault(error) from error
    finally:
        _BUDGET.reset(token)


class SharedContext(dict):
    """Template data merged once with the environment's globals, rendered without a copy.

    Jinja copies the data into a fresh dict on every render; a caller that
    renders many templates over the same data (an evaluation's clauses)
    builds this once with :func:`shared_context`. Templates cannot change
    it: what they ``set`` lives in each render's own context.
    """

    __slots__ = ()


def shared_context(environment: BoundedEnvironment, data: Mapping[str, Any]) -> SharedContext:
    """``data`` with ``environment``'s globals under it, for :func:`render_bounded` to use as it is."""
    return SharedContext({**environment.globals, **data})


def _generate(template: Template, context: Mapping[str, Any]) -> Iterator[str]:
    if type(context) is not SharedContext:
        yield from template.generate(context)
        return
    render = template.new_context(context, shared=True)  # type: ignore[arg-type]
    try:
        yield from template.root_render_func(render)
    except Exception:  # noqa: BLE001 - the same traceback rewriting as Template.generate
        yield template.environment.handle_exception()


class _NotConstant(Exception):
    pass


_FOLDED_OPERATORS = {nodes.Mul: "*", nodes.Pow: "**", nodes.Add: "+", nodes.Mod: "%"}


def _fold(node: nodes.Node) -> Any:
    if type(node) is nodes.Const:
        return node.value
    if type(node) in (nodes.List, nodes.Tuple):
        values = [_fold(item) for item in node.items]
        return values if type(node) is nodes.List else tuple(values)
    if type(node) in _FOLDED_OPERATORS:
        return _BINOPS[_FOLDED_OPERATORS[type(node)]](_fold(node.left), _fold(node.right))  # type: ignore[attr-defined]
    if type(node) is nodes.Concat:
        return _sized("".join(str(_fold(part)) for part in node.nodes), "'~'")
    raise _NotConstant


def check_constants(tree: nodes.Template) -> None:
    """Raise :class:`~jinja2.TemplateSyntaxError` for a constant expression that folds into a huge value."""
    for node in tree.find_all((nodes.BinExpr, nodes.Concat)):
        try:
            _fold(node)
        except TemplateLimitError as error:
            raise TemplateSyntaxError(str(error.message), node.lineno) from None
        except (_NotConstant, ArithmeticError, TypeError, ValueError):
            continue
