"""The other side's offer on one item or term, read and placed against this deal's positions.

A negotiator types what the vendor said — "45 days", "net sixty (60) days",
"99.5%" — and the term's unit decides how it is read: the quantities that
the vendor-paper patterns read (:func:`dealbook.playbook.patterns.quantities`,
converted into the term's unit family), or, for a term counted in a unit no
contract phrase is read in ("per year", "per 12 months"), the first plain
number. An item's offer is read like a clause of the vendor's paper: its
patterns' term values, red flags and "meets" phrases. The tier comes from
:mod:`dealbook.deal.tiers`, so an offer recorded by hand lands where the
same words in the vendor's paper would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import did_you_mean
from ..playbook.model import Item, Term
from ..playbook.patterns import convert, prepare, quantities, unit_family, words_to_number
from .evaluation import Evaluation
from .result import ItemResult, TermResult
from .tiers import PREFERRED, UNSCORED, Tier, place_value, tier_for_severity, worst

__all__ = ["Offer", "OfferError", "read_value", "place_offer", "subject_of"]

_BARE = re.compile(r"^\s*(?:about\s+|up\s+to\s+|at\s+most\s+|at\s+least\s+)?(?P<number>[-+]?\d+(?:\.\d+)?)\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)


_SPELLED = re.compile(r"^\s*[a-z]+(?:[\s-]+(?:and[\s-]+)?[a-z]+)*?(?=\s+(?:per|a|an|each|every|times)\b|\s*$)", re.IGNORECASE)


_POINTS = re.compile(r"(?<![\w.])(?P<number>\d+(?:\.\d+)?)\s*(?:pts?|points?|percentage\s+points?)(?!\w)", re.IGNORECASE)
_TIMES = {"once": 1.0, "twice": 2.0, "thrice": 3.0, "never": 0.0}


class OfferError(ValueError):
    """An offer that cannot be read or placed; the message says what is expected."""


@dataclass(frozen=True, slots=True)
class Offer:
    """The vendor's position on one subject, read and placed."""

    subject: str
    kind: str  # "item" or "term"
    text: str
    value: float | None
    tier: Tier
    #: the item whose routing and opening apply (a term's first applicable item)
    item: ItemResult
    #: the department that owns the subject
    owner: str


def read_value(text: str, term: Term) -> float:
    """The value of ``text`` in ``term``'s unit: ``"45 days"`` → 45, ``"six weeks"`` → 42 for a term in days.

    A bare number (``"45"``) is taken in the term's own unit; so is a
    number followed by anything for a unit no quantity is read in (``"3 per
    year"``, ``"two a year"``). Raises :class:`OfferError` for text with no
    value in that unit.
    """
    family = unit_family(term.unit)
    if family is not None:
        for quantity in quantities(text):
            value = convert(quantity, family)
            if value is not None:
                return value
    points = _POINTS.search(text) if term.unit.lower().startswith("percentage point") else None
    if points:
        return float(points.group("number"))
    bare = _BARE.match(text)
    if bare and (family is None or not bare.group("rest").strip(" .")):
        return float(bare.group("number"))
    if family is None:
        first = text.strip().split(" ")[0].lower()
        if first in _TIMES:
            return _TIMES[first]
        spelled = _SPELLED.match(text)
        value = words_to_number(spelled.group(0)) if spelled else None
        if value is not None:
            return value
    raise OfferError(f"cannot read a value in {term.unit} from {text!r}: write it like {term.format(term.fallback)!r}")


def subject_of(evaluation: Evaluation, subject: str) -> tuple[str, ItemResult, TermResult | None]:
    """``("item" | "term", the item that routes it, the term or None)`` for a subject id applicable to this deal."""
    playbook = evaluation.playbook
    items = {result.id: result for result in evaluation.items}
    if subject in items:
        return "item", items[subject], None
    if subject in playbook.terms_by_id:
        carriers = [result for result in evaluation.items if subject in result.item.terms]
        if not carriers:
            raise OfferError(f"term '{subject}' is on no item that applies to this deal")
        return "term", carriers[0], evaluation.terms_by_id[subject]
    if subject in playbook.items_by_id:
        raise OfferError(f"item '{subject}' does not apply to this deal")

    carried = dict.fromkeys(term for result in evaluation.items for term in result.item.terms)
    raise OfferError(f"unknown item or term '{subject}'{did_you_mean(subject, [*items, *carried])}")


def place_offer(evaluation: Evaluation, subject: str, text: str) -> Offer:
    """Read ``text`` as the vendor's position on ``subject`` (an item or term id) and place it for this deal."""
    text = " ".join(text.split())
    if not text:
        raise OfferError("the vendor's position is empty")
    kind, item, term = subject_of(evaluation, subject)
    if term is not None:
        value = read_value(text, term.term)
        tier = place_value(value, term.target, term.fallback, term.walk_away, term.term.better)
        return Offer(subject, kind, text, value, tier, item, term.term.owner)
    return Offer(subject, kind, text, None, _item_tier(evaluation, item.item, text), item, item.item.owner)


def _item_tier(evaluation: Evaluation, item: Item, text: str) -> Tier:
    """An item's position read like a clause of the vendor's paper: term values, red flags, or what meets our position."""
    patterns = evaluation.playbook.patterns_by_item.get(item.id)
    if patterns is None:
        return UNSCORED
    prepared = prepare(text)
    tiers = []
    for pattern in patterns.values:
        term = evaluation.terms_by_id.get(pattern.term)
        read = pattern.read(prepared, term.term.unit) if term is not None else None
        if term is not None and read is not None:
            tiers.append(place_value(read[0], term.target, term.fallback, term.walk_away, term.term.better))
    tiers += [tier_for_severity(flag.severity, len(item.positions.fallbacks)) for flag in patterns.flags if flag.match.find(prepared)]
    placed = worst(tiers)
    if placed is not None:
        return placed
    return PREFERRED if patterns.meets is not None and patterns.meets.find(prepared) is not None else UNSCORED
