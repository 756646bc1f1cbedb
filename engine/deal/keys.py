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

from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import Any

from ..playbook.clauses import COMPARISONS

__all__ = ["DealKeys", "ValueKeys", "TruthKeys", "TermKeys", "picker", "tuple_picker", "value_part"]

_YES, _NO = (bool, True), (bool, False)


def value_part(value: Any) -> Any:
    """One value as a key part (see above)."""
    kind = type(value)
    if kind is int or kind is str or value is None or kind is float and not value.is_integer():
        return value  # nothing else it could be mistaken for
    if kind is bool:
        return _YES if value else _NO
    if kind is list:
        return (list, tuple(value))
    return (kind, value)


class _Parts(dict):
    """Key parts of one deal's values, by name: those of ``names`` made at once, any other when first picked."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any], names: Iterable[str] = ()) -> None:
        super().__init__()
        self._values = values
        self._make(names)

    def _make(self, names: Iterable[str]) -> None:
        raise NotImplementedError

    def __missing__(self, name: str) -> Any:
        self._make((name,))
        return dict.__getitem__(self, name)


class ValueKeys(_Parts):
    """Each answer, fact and deal field of one deal as a key part (see above); one with no value reads as ``None``."""

    __slots__ = ()

    def _make(self, names: Iterable[str]) -> None:
        get = self._values.get
        for name in names:  # value_part, written out: a batch makes a few dozen per deal
            value = get(name)
            kind = type(value)
            if kind is int or kind is str or value is None or kind is float and not value.is_integer():
                self[name] = value
            else:
                self[name] = value_part(value)


class TruthKeys(_Parts):
    """Each answer, fact and deal field of one deal as a test reads it: ``None`` when not given, else true or
    false — and, for a name the playbook compares with constants, whether each comparison holds."""

    __slots__ = ("_compared",)

    def __init__(self, values: Mapping[str, Any], names: Iterable[str] = (),
                 compared: Mapping[str, tuple[tuple[str, Any], ...]] | None = None) -> None:
        self._compared = compared or {}
        super().__init__(values, names)

    def _make(self, names: Iterable[str]) -> None:
        get, compared = self._values.get, self._compared
        for name in names:
            value = get(name)
            if value is None:
                self[name] = None
            elif name in compared:  # given: how it compares, too
                self[name] = (bool(value), *(_holds(value, operator, constant) for operator, constant in compared[name]))
            else:
                self[name] = bool(value)


def _holds(value: Any, operator: str, constant: Any) -> bool | str:
    try:
        return bool(COMPARISONS[operator](value, constant))
    except TypeError:  # as the template's own comparison fails (a list against a number)
        return "fails"


class TermKeys(dict):
    """Each term's values for one deal as a key part: its :class:`~.result.TermResult` itself.

    Deals whose rules set a term alike share one result (and results hash as objects, which is quick), so
    the result stands for its values; two equal results that are different objects only cost a render more.
    """

    __slots__ = ()

    def __missing__(self, term_id: str) -> None:
        return None


class DealKeys:
    """One deal's key parts: its values (:class:`ValueKeys`), their truth (:class:`TruthKeys`, made when first
    read) and its terms (:class:`TermKeys`).

    ``value_names`` and ``truth_names`` are the names the playbook's templates read and test: made at once,
    in one go (any other name when it is first picked); ``compared`` the constants they compare names with.
    """

    __slots__ = ("values", "terms", "_given", "_truth_names", "_compared", "_truths")

    def __init__(self, values: Mapping[str, Any], terms: TermKeys, value_names: Iterable[str] = (),
                 truth_names: Iterable[str] = (), compared: Mapping[str, tuple[tuple[str, Any], ...]] | None = None) -> None:
        self.values, self.terms = ValueKeys(values, value_names), terms
        self._given, self._truth_names, self._compared, self._truths = values, truth_names, compared, None

    @property
    def truths(self) -> TruthKeys:
        if self._truths is None:
            self._truths = TruthKeys(self._given, self._truth_names, self._compared)
        return self._truths


def _nothing(_: Mapping[str, Any]) -> tuple[()]:
    return ()


def picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """A function picking the key parts of ``names`` from key parts (one part alone, not in a tuple; ``()`` for none).

    Keys built with one picker are comparable with each other; that is all a
    shared table needs, as each key also names its template or item.
    """
    return itemgetter(*names) if names else _nothing


def tuple_picker(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function picking the entries of ``names`` from a mapping, always as a tuple (one entry too)."""
    if len(names) == 1:
        name = names[0]
        return lambda mapping: (mapping[name],)
    return itemgetter(*names) if names else _nothing
