"""``cached_property`` without a lock: a value worked out on first read and kept on the instance.

Python 3.11's :class:`functools.cached_property` takes one lock per class on
every first read of every instance (Python 3.12 dropped it: it serialised
all instances, gh-87634). A batch reads a dozen such values for each of
thousands of evaluations, so the lock is a measurable share of reading one
(``bench/bench_batch.py``). Values kept this way are pure: two threads that
race on a first read compute the same value, and one of them is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["cached_property"]

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 - named as the functools one it stands in for
    """Like :class:`functools.cached_property` (the instance needs a ``__dict__``), without its lock."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.attrname: str | None = None
        self.__doc__ = func.__doc__
        self.__module__ = func.__module__

    def __set_name__(self, owner: type, name: str) -> None:
        self.attrname = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        # a non-data descriptor: once the value is in the instance's __dict__, reads find it there, not here
        value = instance.__dict__[self.attrname] = self.func(instance)
        return value
