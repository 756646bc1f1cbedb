"""The playbook's templates rendered for one deal, each render shared with the deals that read the same.

A template's text depends only on what it reads (the names and terms
:func:`~dealbook.playbook.clauses.template_reads` finds in it, the deal's
currency for money, names ending in "." that the text is tidied for), so
:class:`DealRenders` keys every render by those (:mod:`.keys`) and reuses it
across the evaluations of one playbook (each template's own tables, in its
:class:`~.shared.KeyPlan`). A
render can also note the terms it read on the way, which tells what a pack
prints for each item.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from ..errors import Location
from ..infra.lazy import cached_property
from ..playbook.clauses import OptionValue, TermValue, clause_context, render_template, template_reads
from .answers import Deal
from .keys import DealKeys
from .result import TermResult
from .shared import MAX_RENDERS, KeyPlan, Shared

__all__ = ["DealRenders"]


class _ReadTerms(dict):
    """The ``terms`` a template sees, noting which of them it reads."""

    def __init__(self, terms: Mapping[str, Any]) -> None:
        super().__init__(terms)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)


class DealRenders:
    """Templates rendered for one evaluation; built by :class:`~.evaluation.Evaluation` when it first renders."""

    def __init__(self, shared: Shared, values: Mapping[str, Any], deal: Deal, terms_by_id: Mapping[str, TermResult],
                 set_terms: Mapping[str, Any], keys: DealKeys) -> None:
        # The evaluation's parts, not the evaluation: it holds this object, and a cycle between the two would
        # leave every evaluation to the cyclic collector (a batch over many deals slowed by a fifth).
        self._shared, self._values, self._deal, self._terms_by_id, self._keys = shared, values, deal, terms_by_id, keys
        self._set_terms = set_terms.keys()  # the terms rules set for this deal
        self._plans = shared.key_plans
        self._dotted = tuple(name for name in (deal.vendor, deal.customer, deal.product) if name and name.endswith("."))

    @cached_property
    def context(self) -> dict[str, Any]:
        """What clause templates see: answers, facts, ``deal`` and ``terms``."""
        return self._context_for(name for name in self._values if not name.startswith("deal."))

    def _context_for(self, names: Iterable[str], term_ids: Iterable[str] | None = None) -> dict[str, Any]:
        """The template context with only ``names`` of the answers and facts, and ``term_ids`` of the terms
        (all of them when ``None``): a template reads no others."""
        values, labels = self._values, self._shared.terms.labels
        context: dict[str, Any] = {}
        for name in names:
            value = values.get(name)
            if value is None:
                continue
            options = labels.get(name)
            if options is not None:
                entries = [OptionValue(entry, options.get(entry, entry)) for entry in (value if isinstance(value, list) else [value])]
                value = entries if isinstance(value, list) else entries[0]
            context[name] = value
        context["deal"] = self._deal
        context["terms"] = self._term_values if term_ids is None else self._some_term_values(term_ids)
        return clause_context(context)

    @cached_property
    def _term_values(self) -> Mapping[str, TermValue]:
        terms = self._shared.terms.values
        if not self._set_terms:
            return terms
        changed = dict(terms)
        for term_id in self._set_terms:
            changed[term_id] = self._set_term_value(term_id)
        return MappingProxyType(changed)

    def _some_term_values(self, term_ids: Iterable[str]) -> dict[str, TermValue]:
        """The values of ``term_ids`` as templates see them (a term the playbook lacks left out)."""
        defaults, set_terms = self._shared.terms.values, self._set_terms
        return {term_id: self._set_term_value(term_id) if term_id in set_terms else defaults[term_id]
                for term_id in term_ids if term_id in defaults}

    def _set_term_value(self, term_id: str) -> TermValue:
        result = self._terms_by_id[term_id]
        return TermValue(result.term, result.target, result.fallback, result.walk_away)

    def render(self, template: str, location: Location) -> str:
        """One template's text for this deal (see :meth:`~.evaluation.Evaluation.render`)."""
        plan = self._plans.get(template)
        if plan is None:  # plain text, a template whose reads cannot be told, or one not looked at yet
            return self._render_other(template, location)
        keys, truths = self._keys, plan.truths  # the key as _key() makes it, written out: a report renders dozens per deal
        key = (self._dotted, self._deal if plan.deal else None, plan.values(keys.values),
               None if truths is None else truths(keys.truths), plan.terms(keys.terms))
        try:
            text = plan.texts.get(key)
        except TypeError:  # a value that cannot be a key: render it afresh
            return self._render_in(template, location, self.context)
        return text if text is not None else self._render_new(template, location, plan, key)

    def _render_other(self, template: str, location: Location) -> str:
        if "{" not in template:  # plain text: nothing of the deal's to read
            if self._dotted:
                return self._render_in(template, location, {})
            plain = self._shared.plain
            text = plain.get(template)
            if text is None:
                if len(plain) >= MAX_RENDERS:
                    plain.clear()
                text = plain[template] = self._render_in(template, location, {})
            return text
        if self._shared.key_plan(template) is not None:  # looked at now
            return self.render(template, location)
        return self._render_in(template, location, self.context)

    def _render_new(self, template: str, location: Location, plan: KeyPlan, key: tuple[Any, ...]) -> str:
        """A template rendered for the first time with these reads, kept for the deals that read the same."""
        noted = plan.noted.get(key)  # rendered already, noting the terms it read (what a pack prints)
        if noted is not None:
            text = noted[0]
        else:
            reads = template_reads(template)
            # the template reads only these names and terms: a context of just them renders the same text
            context = self._context_for(*reads) if reads is not None and "context" not in self.__dict__ else self.context
            text = self._render_in(template, location, context)
        self._shared.keep(plan.texts, key, text)
        return text

    def noting_terms(self, template: str, location: Location) -> tuple[str, frozenset[str]]:
        """A template rendered for this deal, and the terms it read doing so (a branch not taken reads none).

        Reused across deals like :meth:`render`: the same reads give the same text and the same terms.
        """
        if "{" not in template:
            return self._render_in(template, location, {}), frozenset()
        plan = self._plans.get(template) or self._shared.key_plan(template)
        key = None if plan is None else self._key(plan)
        try:
            noted = plan.noted.get(key) if plan is not None else None
        except TypeError:  # a value that cannot be a key: render it afresh
            plan = noted = None
        if noted is None:
            reads = template_reads(template)
            if reads is None:
                context = clause_context({**self.context, "terms": (terms := _ReadTerms(self._term_values))})
            else:  # only the names and terms the template reads
                context = self._context_for(reads[0])
                context["terms"] = terms = _ReadTerms(self._some_term_values(reads[1]))
            noted = self._render_in(template, location, context), frozenset(terms.read)
            if plan is not None:
                self._shared.keep(plan.noted, key, noted)
        return noted

    def _key(self, plan: KeyPlan) -> tuple[Any, ...]:
        """What a template's text depends on for this deal, as a key into its plan's tables.

        The deal counts when the template reads it (the money filter reads its currency), and so do names
        ending in "." that the text is tidied for (see :meth:`_render_in`).
        """
        return (self._dotted, *plan.key(self._keys, self._deal))

    def _render_in(self, template: str, location: Location, context: Mapping[str, Any]) -> str:
        text = render_template(template, context, location)
        deal = self._deal
        for name in (deal.vendor, deal.customer, deal.product):
            # "Stratus Analytics Corp." ending a sentence must not read "Corp.."
            if name and name.endswith(".") and name + "." in text:
                text = text.replace(name + ".", name)
        return text
