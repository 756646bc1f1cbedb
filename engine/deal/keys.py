"""What one deal's answers and terms hold, as parts of dictionary keys, made once per deal.

Renders and results are shared between deals by what a template or a
condition reads (the tables of :class:`~.shared.Shared`). One deal looks up
hundreds of them, most reading the same few answers, so an evaluation turns
its values into key parts once (:class:`DealKeys`) and each look-up picks the
parts it needs with a :func:`picker` made once per template or item — in C,
not in a Python loop per look-up.

A name a template only tests (``is defined``, ``if x``; see
:func:`~dealbook.playbook.clauses.truth_reads`) is keyed by its truth
instead (:class:`TruthKeys`): deals with different figures that agree on
whether each is given and true share the render.

A key part keeps apart what reads differently: ``1``, ``1.0`` and ``True``,
a list and the tuple of its entries. Most values are their own key part (a
whole number, a text, a fraction, ``None``); only a yes/no, a float with no
fraction, a list and anything else are wrapped with their type. Building no
object per value matters: a batch holds a thousand evaluations at once, and
every object each one keeps costs memory the machine must find.
A name the deal has no value for reads as ``None``; a term the playbook
lacks reads as ``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

__all__ = ["DealKeys", "ValueKeys", "TruthKeys", "TermKeys", "picker"]

_YES, _NO = (bool, True), (bool, False)


class ValueKeys(dict):
    """Each answer, fact and deal field of one deal as a key part (see above)."""

    __slots__ = ()

    def __missing__(self, name: str) -> None:
        return None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> ValueKeys:
        """The key parts of ``values``."""
        keys = cls()
        for name, value in values.items():
            kind = type(value)
            if kind is int or kind is str or value is None or kind is float and not value.is_integer():
                keys[name] = value  # nothing else it could be mistaken for
            elif kind is bool:
                keys[name] = _YES if value else _NO
            elif kind is list:
                keys[name] = (list, tuple(value))
            else:
                keys[name] = (kind, value)
        return keys


class TruthKeys(dict):
    """Each answer, fact and deal field of one deal as a test reads it: ``None`` when not given, else true or false."""

    __slots__ = ()

    def __missing__(self, name: str) -> None:
        return None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> TruthKeys:
        """The truth of each of ``values``."""
        return cls({name: None if value is None else bool(value) for name, value in values.items()})


class TermKeys(dict):
    """Each term's values for one deal as a key part: ``(target, fallback, walk-away)``, as
    :attr:`~.result.TermResult.key` holds them."""

    __slots__ = ()

    def __missing__(self, term_id: str) -> None:
        return None


class DealKeys:
    """One deal's key parts: its values (:class:`ValueKeys`), their truth (:class:`TruthKeys`, made when first
    read) and its terms (:class:`TermKeys`)."""

    __slots__ = ("values", "terms", "_given", "_truths")

    def __init__(self, values: Mapping[str, Any], terms: TermKeys) -> None:
        self.values, self.terms = ValueKeys.of(values), terms
        self._given, self._truths = values, None

    @property
    def truths(self) -> TruthKeys:
        if self._truths is None:
            self._truths = TruthKeys.of(self._given)
        return self._truths


def _nothing(_: Mapping[str, Any]) -> tuple[()]:
    return ()


def picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """A function picking the key parts of ``names`` from key parts (one part alone, not in a tuple; ``()`` for none).

    Keys built with one picker are comparable with each other; that is all a
    shared table needs, as each key also names its template or item.
    """
    return itemgetter(*names) if names else _nothing
