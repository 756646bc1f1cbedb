"""Checks of the playbook's wording: its templates, the fields printed as written, its defined terms.

Part of the semantic checks (:mod:`.checks` lists them all); what is here
reads the text an author writes rather than the structure around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jinja2 import TemplateSyntaxError

from ..errors import Location, Problem, did_you_mean
from .clauses import CLAUSE_FILTERS, TERM_FIELDS, parse_template, template_filters, template_references
from .effects import kind_of
from .glossary import plain_text, undefined_candidates, uses
from .model import DEAL_FIELDS, Playbook
from .sources import Sources

__all__ = ["templates_of", "sub_location", "check_templates", "check_plain_text", "check_definitions", "PLAIN_TEXT_FIELDS",
           "deal_fields_hint"]

_NO_FILTER = re.compile(r"^No filter named '(?P<name>[^']+)'")
_TEMPLATE_GLOBALS = {"loop", "range", "namespace", "cycler", "joiner", "dict"}


def sub_location(location: Location, *parts: str) -> Location:
    """``location`` with ``parts`` added to its YAML path."""
    return Location(location.file, location.line, location.column, "/".join([location.path, *parts]))



def templates_of(playbook: Playbook) -> Iterator[tuple[str, Location]]:
    """Every template (position summaries, clauses, rationales, talking points, flag messages) with its location."""
    for item in playbook.items:
        for position in (*item.positions.tiers, item.positions.walk_away):
            yield position.summary, sub_location(position.location, "summary")
            if position.clause:
                yield position.clause, sub_location(position.location, "clause")
        yield item.rationale, sub_location(item.location, "rationale")
        for index, point in enumerate(item.talking_points):
            yield point, sub_location(item.location, "talking_points", str(index))
    for rule in playbook.rules:
        for effect in rule.effects:
            for source, path in kind_of(effect).templates(effect):
                yield source, sub_location(effect.location, *path)


def check_templates(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    names = {*playbook.questions_by_id, *playbook.facts_by_id, "deal", "terms", *_TEMPLATE_GLOBALS}
    for source, location in templates_of(playbook):
        here = sources.locate(location)
        try:
            tree = parse_template(source)
        except TemplateSyntaxError as error:
            yield Problem(here, _template_syntax(error))
            continue
        for name, attribute, line in template_references(tree):
            suffix = f" (line {line} of the template)" if line > 1 else ""
            if name not in names:
                yield sources.removed_but_used(name, here) or Problem(here, f"unknown name '{name}' in template{did_you_mean(name, names)}{suffix}")
            elif name == "deal" and attribute is not None and attribute not in DEAL_FIELDS:
                yield Problem(here, f"unknown deal field 'deal.{attribute}'{deal_fields_hint(attribute)}{suffix}")
            elif name == "terms" and attribute is not None:
                term_id, _, field = attribute.partition(".")
                if term_id not in playbook.terms_by_id:
                    yield sources.removed_but_used(term_id, here) or Problem(here, f"unknown term 'terms.{term_id}'{did_you_mean(term_id, playbook.terms_by_id)}{suffix}")
                elif field:
                    yield Problem(here, f"terms.{term_id} has no field '{field}' (fields: {', '.join(TERM_FIELDS)}){suffix}")


def _template_syntax(error: TemplateSyntaxError) -> str:
    unknown = _NO_FILTER.match(error.message or "")
    if unknown:
        name = unknown["name"]
        return (f"unknown filter '{name}' in template{did_you_mean(name, template_filters())}; dealbook's own filters are "
                f"{', '.join(CLAUSE_FILTERS)}, and Jinja's built-in ones (upper, join, default, ...) work too")
    return f"template syntax error on line {error.lineno} of the template: {error.message}"


#: Fields printed as written: ``{{ … }}`` in them would reach the pack literally.
PLAIN_TEXT_FIELDS = {
    "item": ("title", "objective", "red_flags", "because"),
    "rule": ("because",),
    "term": ("title", "description"),
}


def check_plain_text(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    """Template syntax in a field that is not a template, with the fields that are."""
    elements = [("item", item) for item in playbook.items] + [("rule", rule) for rule in playbook.rules] + [("term", term) for term in playbook.terms]
    for kind, element in elements:
        for name in PLAIN_TEXT_FIELDS[kind]:
            value = getattr(element, name)
            entries = value if isinstance(value, tuple) else (value,)
            for index, text in enumerate(entries):
                if isinstance(text, str) and ("{{" in text or "{%" in text):
                    where = sources.locate(element.location, name, index) if isinstance(value, tuple) else sources.locate(element.location, name)
                    yield Problem(where, f"'{name}' is printed as written, so '{{{{ … }}}}' would appear literally in the pack; "
                                         "only position summaries, clauses, rationales, talking points and flag messages are templates")


def _item_texts(playbook: Playbook) -> Iterator[tuple[str, str, Location]]:
    """Every summary and clause of every item: ``(item id, template text, location)``."""
    for item in playbook.items:
        for position in (*item.positions.tiers, item.positions.walk_away):
            yield item.id, position.summary, sub_location(position.location, "summary")
            if position.clause:
                yield item.id, position.clause, sub_location(position.location, "clause")


def check_definitions(playbook: Playbook, sources: Sources) -> Iterator[Problem]:
    glossary = playbook.glossary
    if glossary is None:
        return
    registry = playbook.definitions_by_term
    seen: set[str] = set()
    for definition in glossary.definitions:
        if definition.term in seen:
            yield Problem(sources.locate(definition.location, "term"), f"term '{definition.term}' is defined more than once")
        seen.add(definition.term)
    known = {*registry, *glossary.names}
    used: dict[str, set[str]] = {term: set() for term in registry}
    reported: set[tuple[str, str]] = set()
    for item_id, template, location in _item_texts(playbook):
        for term in uses(plain_text(template), registry, glossary.names):
            used[term].add(item_id)
        for phrase in undefined_candidates(template, known):
            if (item_id, phrase) not in reported:
                reported.add((item_id, phrase))
                yield Problem(
                    sources.locate(location),
                    f"'{phrase}' reads as a defined term but is not in the registry ({glossary.file}); "
                    "define it there, or list it under names if it is a proper name",
                )
    for definition in glossary.definitions:
        for phrase in undefined_candidates(definition.definition, known):
            yield Problem(
                sources.locate(definition.location, "definition"),
                f"'{phrase}' reads as a defined term but is not in the registry; a definition uses only defined terms and names",
            )
        if glossary.inherited:
            continue  # the item lists describe the clauses of the layer the registry belongs to
        listed = set(definition.items)
        for index, item_id in enumerate(definition.items):
            if item_id not in playbook.items_by_id:
                yield Problem(sources.locate(definition.location, "items", index), f"unknown item '{item_id}'{did_you_mean(item_id, playbook.items_by_id)}")
            elif item_id not in used[definition.term]:
                yield Problem(sources.locate(definition.location, "items", index), f"item '{item_id}' does not use '{definition.term}' in its summaries or clauses")
        missing = sorted(used[definition.term] - listed, key=playbook.item_index.__getitem__)
        if missing:
            yield Problem(sources.locate(definition.location, "items"), f"'{definition.term}' is also used by {', '.join(missing)}; list every item that uses it")


def deal_fields_hint(field: str) -> str:
    close = did_you_mean(field, DEAL_FIELDS)
    return close or f"; the deal fields are {', '.join(f'deal.{name}' for name in DEAL_FIELDS)}"
