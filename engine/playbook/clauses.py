"""Clause language: Jinja templates written by playbook authors.

Templates come from the playbook, never from answers: answers, facts, deal
metadata and term values are passed in as *data* and inserted as text. The
environment is sandboxed and strict — an undefined name is an error, not an
empty string — so a clause never silently reads "within  hours".
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import CodeType
from typing import Any
from weakref import WeakKeyDictionary

from jinja2 import DictLoader, Template, TemplateError, TemplateNotFound, TemplateSyntaxError, meta, nodes, pass_context
from jinja2.runtime import Context

from ..errors import Location, TemplateRenderError, shorten
from ..infra.sandbox import (
    CLAUSE,
    BoundedEnvironment,
    SharedContext,
    check_constants,
    compile_template,
    render_bounded,
    sandboxed_environment,
    shared_context,
)
from .model import Term
from .values import show_in_clause

__all__ = [
    "CLAUSE_FILTERS", "OptionValue", "template_filters", "TermValue", "parse_template", "template_references", "render_template",
    "compiled_template", "compiled_code", "adopt_compiled", "clause_context", "template_reads", "branch_reads", "TERM_FIELDS",
    "Reads", "template_analysis", "adopt_analysis", "truth_reads", "compared_in", "COMPARISONS",
]

#: Attributes a template may read from ``terms.<id>``.
TERM_FIELDS = ("target", "fallback", "walk_away", "unit", "title")


@pass_context
def _money(context: Context, value: Any) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    deal = context.get("deal")
    currency = getattr(deal, "currency", None) or ""
    # Whole amounts are formatted as integers: exact, and no float overflow for huge ones.
    whole = isinstance(value, int) or value.is_integer() and abs(value) < 2**53
    amount = f"{int(value):,}" if whole else f"{value:,.2f}".removesuffix(".00")
    return f"{currency} {amount}".strip()


class OptionValue(str):
    """A choice answer as a template sees it: prints as the option's value, ``| label`` gives its label."""

    label: str

    def __new__(cls, value: str, label: str) -> OptionValue:
        made = super().__new__(cls, value)
        made.label = label
        return made


def _label(value: Any) -> str:
    """An option's label instead of its value (``sd_wan`` → ``SD-WAN``); a list's labels joined with commas."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_label(entry) for entry in value)
    return str(getattr(value, "label", value))


#: The filters dealbook adds to Jinja's own for clause templates.
CLAUSE_FILTERS: dict[str, Any] = {"money": _money, "number": show_in_clause, "label": _label}


@cache
def _environment() -> BoundedEnvironment:
    # No template is loadable by name: an include reads "not found", never a file.
    return sandboxed_environment(DictLoader({}), filters=CLAUSE_FILTERS, cache_size=0)


def template_filters() -> list[str]:
    """Every filter a clause template may use: Jinja's built-in ones and :data:`CLAUSE_FILTERS`."""
    return sorted(_environment().filters)


@dataclass(frozen=True, slots=True)
class TermValue:
    """A term as a template sees it: prints as the target with its unit."""

    term: Term
    target: float
    fallback: float
    walk_away: float

    @property
    def unit(self) -> str:
        return self.term.unit

    @property
    def title(self) -> str:
        return self.term.title

    def __str__(self) -> str:
        return self.term.format(self.target)



#: Compiled clause templates by source: (code, names read — ``None`` for code from the cache), filled by validation or the cache.
_COMPILED: dict[str, tuple[CodeType, frozenset[str] | None]] = {}
_MAX_COMPILED = 20_000
#: ``(names, term ids)``: the context names a template reads, and the terms it reads as ``terms.<id>``.
Reads = tuple[tuple[str, ...], tuple[str, ...]]
#: What a template reads, by source: ``(template_reads, branch_reads, truth_reads, branch_truth_reads, compared_in)``,
#: filled by validation, on first use or from the cache.
_READS: dict[str, Analysis] = {}
#: The names each parsed tree reads (the tree is only a key here).
_NAMES: WeakKeyDictionary[nodes.Template, frozenset[str]] = WeakKeyDictionary()


def parse_template(source: str) -> nodes.Template:
    """Parse and compile a clause template; raises ``jinja2.TemplateSyntaxError``.

    Also refused here, so that ``validate`` reports them: constant
    expressions that fold into a huge value (``'x' * 10**9``), include,
    import and extends tags, and unknown filters or tests. The compiled code
    is kept, so rendering the template later costs no second compilation.
    """
    if _plain(source):  # most rationales and talking points: text with no Jinja in it at all
        tree = nodes.Template([nodes.Output([nodes.TemplateData(source)])], lineno=1)
        _NAMES[tree] = frozenset()
        return tree
    environment = _environment()
    tree = environment.parse(source)
    check_constants(tree)
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise TemplateSyntaxError("clause templates cannot include, import or extend other templates", node.lineno)
    compiled = _COMPILED.get(source)
    if compiled is None:
        try:
            compiled = compile_template(environment, tree)
        except TemplateSyntaxError:
            raise
        except Exception as error:  # noqa: BLE001 - Jinja's optimiser may hit the sandbox (`().__class__ ~ x`)
            raise TemplateSyntaxError(shorten(getattr(error, "message", None) or error, 200), 1) from None
        _remember(source, compiled)
    names = compiled[1] if compiled[1] is not None else frozenset(meta.find_undeclared_variables(tree))
    _NAMES[tree] = names
    if source not in _READS:
        _remember_reads(source, tree, names)
    return tree


_NEWLINES = re.compile(r"\r\n|\r")


def _plain(source: str) -> bool:
    """Whether a template is plain text: no ``{{``, ``{%`` or ``{#`` can start without a ``{``."""
    return "{" not in source


def _remember(source: str, compiled: tuple[CodeType, frozenset[str] | None]) -> None:
    if len(_COMPILED) >= _MAX_COMPILED:
        _COMPILED.clear()  # a long-lived process that loads many playbooks starts over
    _COMPILED[source] = compiled


def compiled_code(sources: Iterable[str]) -> dict[str, CodeType]:
    """The compiled code of each of ``sources`` that is compiled already, for the cache."""
    return {source: _COMPILED[source][0] for source in sources if source in _COMPILED}


def adopt_compiled(code: Mapping[str, CodeType]) -> None:
    """Take clause templates compiled in an earlier run (from the cache, whose entries are authenticated)."""
    for source, compiled in code.items():
        if source not in _COMPILED and type(compiled) is CodeType:
            _remember(source, (compiled, None))


def template_references(tree: nodes.Template) -> Iterator[tuple[str, str | None, int]]:
    """Yield ``(name, attribute, line)`` for every variable a template reads from its context.

    ``attribute`` is the first attribute read from it (``deal.vendor`` gives
    ``("deal", "vendor", n)``) or ``None``. Names the template binds itself
    (``{% set %}``, loop variables, macro arguments) are skipped where they
    are bound, by Jinja's own analysis — a loop variable read after its loop
    is still reported.
    """
    undeclared = _NAMES.get(tree)
    if undeclared is None:
        undeclared = meta.find_undeclared_variables(tree)
    attributed: set[int] = set()
    for getattr_node in tree.find_all(nodes.Getattr):
        inner = getattr_node.node
        if type(inner) is nodes.Name and inner.ctx == "load" and inner.name in undeclared:
            attributed.add(id(inner))
            yield inner.name, getattr_node.attr, getattr_node.lineno
        elif type(inner) is nodes.Getattr and type(inner.node) is nodes.Name and inner.node.name == "terms":
            if getattr_node.attr not in TERM_FIELDS:
                yield "terms", f"{inner.attr}.{getattr_node.attr}", getattr_node.lineno
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in undeclared and id(name) not in attributed:
            yield name.name, None, name.lineno


@lru_cache(maxsize=4096)
def compiled_template(source: str) -> Template:
    """A clause template, compiled once per process (or taken from the cache)."""
    environment = _environment()
    compiled = _COMPILED.get(source)
    if compiled is None:
        if _plain(source):
            return environment.from_string(source)
        parse_template(source)
        compiled = _COMPILED[source]
    # A plain dict, not Jinja's ChainMap over the environment's globals (which are set once, before any template):
    # every render makes a set of the globals' names, and a ChainMap builds a dict to iterate.
    return Template.from_code(environment, compiled[0], dict(environment.make_globals(None)))




def template_reads(source: str) -> Reads | None:
    """What a template's output depends on: ``(names, term ids)``, or ``None`` when that cannot be told.

    ``names`` are the context names it reads (Jinja's own analysis) other
    than ``terms``; ``term ids`` the terms it reads as ``terms.<id>``. A
    template that reads ``terms`` any other way (a loop, a subscript, a
    method) gives ``None``. Two renders of one template whose reads are
    equal give the same text, which lets an evaluation reuse a render.
    """
    known = _READS.get(source)
    return (known if known is not None else _analyse(source))[0]


def branch_reads(source: str) -> Reads | None:
    """What decides which parts of a template run: ``(names, term ids)`` read in its tests, loops and
    assignments, or ``None`` when that cannot be told (macros, call blocks, ``terms`` read any other way).

    Which terms a render reads depends only on these: the same branch reads take the same branches.
    """
    known = _READS.get(source)
    return (known if known is not None else _analyse(source))[1]


def truth_reads(source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names a template reads only to test them — ``is defined``, or as a condition (``if x``, ``x and y``):
    of all its reads, and of what decides its branches (:func:`branch_reads`).

    For these names only whether each is given and true counts, not the value: a render, or the branches
    taken, are the same for two deals that agree on that.
    """
    known = _READS.get(source)
    return (known if known is not None else _analyse(source))[2:4]  # type: ignore[return-value]


def compared_in(source: str) -> tuple[tuple[str, str, Any], ...]:
    """The comparisons with a constant that names of :func:`truth_reads` are tested in: ``(name, operator, constant)``.

    ``{% if committed_spend > 0 %}`` tests ``committed_spend`` by ``("committed_spend", "gt", 0)``: for it,
    whether each comparison holds counts, not the figure. Operators are Jinja's (``eq``, ``ne``, ``gt``,
    ``gteq``, ``lt``, ``lteq``); constants are numbers or text.
    """
    known = _READS.get(source)
    return (known if known is not None else _analyse(source))[4]


#: Jinja's comparison operators a test may compare a name with a constant by, as Python's.
COMPARISONS: dict[str, Any] = {"eq": operator.eq, "ne": operator.ne, "gt": operator.gt, "gteq": operator.ge,
                               "lt": operator.lt, "lteq": operator.le}

Analysis = tuple[Reads | None, Reads | None, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, Any], ...]]


def _analyse(source: str) -> Analysis:
    """Both reads of one template from a single parse, remembered by source."""
    try:
        tree = _environment().parse(source)
    except TemplateError:
        return _store_reads(source, (None, None, (), (), ()))
    compiled = _COMPILED.get(source)
    # compilation recorded the names already; an entry adopted from the cache did not
    undeclared = compiled[1] if compiled is not None and compiled[1] is not None else meta.find_undeclared_variables(tree)
    return _remember_reads(source, tree, undeclared)


def _remember_reads(source: str, tree: nodes.Template, undeclared: frozenset[str] | set[str]) -> Analysis:
    reads = _output_reads(tree, undeclared)
    if reads is None:
        return _store_reads(source, (None, None, (), (), ()))
    branches = _branch_reads(tree, set(reads[0]))
    return _store_reads(source, (reads, branches, *_truth_reads(tree, set(reads[0]))))


def _store_reads(source: str, analysed: Analysis) -> Analysis:
    if len(_READS) >= _MAX_COMPILED:
        _READS.clear()  # like _COMPILED: a long-lived process starts over
    _READS[source] = analysed
    return analysed


def _output_reads(tree: nodes.Template, undeclared: frozenset[str] | set[str]) -> Reads | None:
    term_ids: set[str] = set()
    through: set[int] = set()
    if "terms" in undeclared:
        for getattr_node in tree.find_all(nodes.Getattr):
            inner = getattr_node.node
            if type(inner) is nodes.Name and inner.name == "terms" and inner.ctx == "load":
                term_ids.add(getattr_node.attr)
                through.add(id(inner))
        if any(name.name == "terms" and id(name) not in through for name in tree.find_all(nodes.Name)):
            return None
        called = (call.node for call in tree.find_all(nodes.Call))
        if any(type(node) is nodes.Getattr and type(node.node) is nodes.Name and node.node.name == "terms" for node in called):
            return None  # terms.items(), terms.values(): the whole mapping
    return tuple(sorted(set(undeclared) - {"terms"})), tuple(sorted(term_ids))


_BRANCHES = (nodes.If, nodes.CondExpr, nodes.For, nodes.Assign, nodes.AssignBlock, nodes.With, nodes.FilterBlock)


def _branch_reads(tree: nodes.Template, undeclared: set[str]) -> Reads | None:
    if any(True for _ in tree.find_all((nodes.Macro, nodes.CallBlock))):
        return None  # a macro's branches read its arguments, whatever the call site passes
    names: set[str] = set()
    term_ids: set[str] = set()
    for branch in tree.find_all(_BRANCHES):
        parts = [branch.test] if isinstance(branch, (nodes.If, nodes.CondExpr)) else []
        if isinstance(branch, nodes.For):
            parts = [branch.iter, *([branch.test] if branch.test is not None else [])]
        elif isinstance(branch, nodes.Assign):
            parts = [branch.node]
        elif isinstance(branch, (nodes.AssignBlock, nodes.With, nodes.FilterBlock)):
            return None  # values built from blocks: not worth telling apart
        for part in parts:
            for name in part.find_all(nodes.Name):
                if name.ctx == "load" and name.name in undeclared:
                    names.add(name.name)
            for getattr_node in part.find_all(nodes.Getattr):
                if type(getattr_node.node) is nodes.Name and getattr_node.node.name == "terms":
                    term_ids.add(getattr_node.attr)
            if type(part) is nodes.Name and part.name in undeclared:
                names.add(part.name)
    return tuple(sorted(names)), tuple(sorted(term_ids))


def _truth_tested(node: nodes.Node, as_condition: bool, found: dict[int, tuple[str, Any] | None]) -> None:
    """Note in ``found`` the names under ``node`` read only for truth: tested ``is defined``, read as a condition,
    or compared with a constant as a condition (noted with the comparison).

    ``as_condition`` says whether ``node``'s value counts only as true or false (an ``if`` test, or a part of
    ``and``, ``or``, ``not`` that does).
    """
    if type(node) is nodes.Name:
        if as_condition:
            found[id(node)] = None
        return
    if type(node) is nodes.Test and node.name == "defined" and type(node.node) is nodes.Name and not node.args and not node.kwargs:
        found[id(node.node)] = None
        return
    if as_condition and type(node) is nodes.Compare and type(node.expr) is nodes.Name and len(node.ops) == 1:
        operand = node.ops[0]
        if operand.op in COMPARISONS and type(operand.expr) is nodes.Const and type(operand.expr.value) in (int, float, str):
            found[id(node.expr)] = (operand.op, operand.expr.value)
            return
    passes = as_condition and type(node) in (nodes.And, nodes.Or, nodes.Not)
    for child in node.iter_child_nodes():
        _truth_tested(child, passes, found)


def _truth_reads(tree: nodes.Template, undeclared: set[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str, Any], ...]]:
    found: dict[int, tuple[str, Any] | None] = {}
    for node in tree.find_all((nodes.If, nodes.CondExpr)):
        _truth_tested(node.test, True, found)
    for loop in tree.find_all(nodes.For):
        if loop.test is not None:
            _truth_tested(loop.test, True, found)
    branch_parts: list[nodes.Node] = [node.test for node in tree.find_all((nodes.If, nodes.CondExpr))]
    for loop in tree.find_all(nodes.For):
        branch_parts += [loop.iter, *([loop.test] if loop.test is not None else [])]
    branch_parts += [assign.node for assign in tree.find_all(nodes.Assign)]

    def only_tested(occurrences: Iterable[nodes.Name]) -> tuple[str, ...]:
        tested: set[str] = set()
        read: set[str] = set()
        for name in occurrences:
            if name.ctx == "load" and name.name in undeclared and name.name not in ("deal", "terms"):
                (tested if id(name) in found else read).add(name.name)
        return tuple(sorted(tested - read))

    in_branches = [name for part in branch_parts for name in ([part] if type(part) is nodes.Name else []) + list(part.find_all(nodes.Name))]
    tested, branch_tested = only_tested(tree.find_all(nodes.Name)), only_tested(in_branches)
    counted = set(tested) | set(branch_tested)
    compared = {(name.name, *comparison) for name in tree.find_all(nodes.Name)
                if name.name in counted and (comparison := found.get(id(name))) is not None}
    return tested, branch_tested, tuple(sorted(compared, key=repr))


def template_analysis(sources: Iterable[str]) -> dict[str, list[Any]]:
    """What each of ``sources`` reads, as JSON-ready data for the cache (only templates analysed already)."""
    return {source: [*(None if reads is None else [list(reads[0]), list(reads[1])] for reads in _READS[source][:2]),
                     *(list(names) for names in _READS[source][2:4]), [list(comparison) for comparison in _READS[source][4]]]
            for source in sources if source in _READS}


def adopt_analysis(data: Any) -> None:
    """Take what templates read, as analysed in an earlier run (from the cache); anything malformed is ignored."""
    if not isinstance(data, dict):
        return
    for source, analysed in data.items():
        if source in _READS or not isinstance(analysed, list) or len(analysed) != 5:
            continue
        adopted = tuple(_adopted_reads(reads) for reads in analysed[:2])
        tested, compared = analysed[2:4], analysed[4]
        if (adopted[0] is not False and adopted[1] is not False
                and all(isinstance(names, list) and all(isinstance(name, str) for name in names) for names in tested)
                and isinstance(compared, list) and all(_adoptable_comparison(comparison) for comparison in compared)):
            _READS[source] = (*adopted, *(tuple(names) for names in tested),  # type: ignore[assignment]
                              tuple(tuple(comparison) for comparison in compared))


def _adoptable_comparison(comparison: Any) -> bool:
    return (isinstance(comparison, list) and len(comparison) == 3 and isinstance(comparison[0], str) and comparison[1] in COMPARISONS
            and type(comparison[2]) in (int, float, str))


def _adopted_reads(reads: Any) -> Reads | None | bool:
    if reads is None:
        return None
    if (isinstance(reads, list) and len(reads) == 2 and all(isinstance(part, list) for part in reads)
            and all(isinstance(name, str) for part in reads for name in part)):
        return tuple(reads[0]), tuple(reads[1])
    return False


def clause_context(data: Mapping[str, Any]) -> SharedContext:
    """``data`` prepared once for many :func:`render_template` calls (no copy per render)."""
    return shared_context(_environment(), data)


def render_template(source: str, context: Mapping[str, Any], location: Location) -> str:
    """Render one clause template with ``context`` as data, within the sandbox's clause limits.

    ``context`` is best made once with :func:`clause_context` when many
    templates read the same data. Raises
    :class:`~dealbook.errors.TemplateRenderError` at ``location`` if the
    template fails — an undefined answer, a sandbox violation, a bound
    exceeded, any Python error inside it — instead of leaking the exception.
    """
    if _plain(source):
        return _NEWLINES.sub("\n", source).strip()  # what Jinja would render, without compiling it
    try:
        return render_bounded(compiled_template(source), context, CLAUSE).strip()
    except TemplateNotFound as missing:
        raise TemplateRenderError(location, f"clause template failed: template not found: {shorten(missing.name)}", missing) from None
    except TemplateError as error:
        raise TemplateRenderError(location, f"clause template failed: {shorten(error.message or error, 200)}", error) from None
