"""Clause language: Jinja templates written by playbook authors.

Templates come from the playbook, never from answers: answers, facts, deal
metadata and term values are passed in as *data* and inserted as text. The
environment is sandboxed and strict — an undefined name is an error, not an
empty string — so a clause never silently reads "within  hours".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
import hashlib
from functools import cache, lru_cache
from typing import Any

from jinja2 import FunctionLoader, StrictUndefined, TemplateError, nodes, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from ..infra.cache import template_bytecode_cache
from ..errors import InputFileError, Location, TemplateRenderError
from .model import Term
from .values import show_in_clause

__all__ = ["TermValue", "parse_template", "template_references", "render_template", "TERM_FIELDS"]

#: Attributes a template may read from ``terms.<id>``.
TERM_FIELDS = ("target", "fallback", "walk_away", "unit", "title")


@pass_context
def _money(context: Context, value: Any) -> str:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    deal = context.get("deal")
    currency = getattr(deal, "currency", None) or ""
    amount = f"{value:,.2f}".removesuffix(".00")
    return f"{currency} {amount}".strip()



#: Template sources by name (the SHA-256 of the source), for the loader.
_SOURCES: dict[str, str] = {}


@cache
def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=FunctionLoader(_SOURCES.get),
        bytecode_cache=template_bytecode_cache(),
        cache_size=0,  # _compiled() keeps compiled templates
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["money"] = _money
    environment.filters["number"] = show_in_clause
    return environment


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



def parse_template(source: str) -> nodes.Template:
    """Parse a clause template; raises ``jinja2.TemplateSyntaxError``."""
    return _environment().parse(source)


def template_references(tree: nodes.Template) -> Iterator[tuple[str, str | None, int]]:
    """Yield ``(name, attribute, line)`` for every variable a template reads.

    ``attribute`` is the first attribute read from it (``deal.vendor`` gives
    ``("deal", "vendor", n)``) or ``None``. Names bound inside the template
    (``{% set %}``, loop variables) are skipped.
    """
    bound = {node.name for node in tree.find_all(nodes.Name) if node.ctx in ("store", "param")}
    attributed: set[int] = set()
    for getattr_node in tree.find_all(nodes.Getattr):
        inner = getattr_node.node
        if type(inner) is nodes.Name and inner.ctx == "load" and inner.name not in bound:
            attributed.add(id(inner))
            yield inner.name, getattr_node.attr, getattr_node.lineno
        elif type(inner) is nodes.Getattr and type(inner.node) is nodes.Name and inner.node.name == "terms":
            if getattr_node.attr not in TERM_FIELDS:
                yield "terms", f"{inner.attr}.{getattr_node.attr}", getattr_node.lineno
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in bound and id(name) not in attributed:
            yield name.name, None, name.lineno


@lru_cache(maxsize=4096)
def _compiled(source: str) -> Any:
    # Loading by name lets Jinja's bytecode cache skip lexing, parsing and
    # code generation on later runs.
    name = hashlib.sha256(source.encode("utf-8")).hexdigest()
    _SOURCES[name] = source
    return _environment().get_template(name)


def render_template(source: str, context: Mapping[str, Any], location: Location) -> str:
    """Render one clause template with ``context`` as data.

    Raises :class:`InputFileError` at ``location`` if the template fails —
    an undefined answer, a sandbox violation — instead of leaking Jinja's
    exception.
    """
    try:
        return _compiled(source).render(context).strip()
    except TemplateError as error:
        raise TemplateRenderError(location, f"clause template failed: {error.message or error}", error) from None
