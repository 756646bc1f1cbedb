"""The contract every fuzz test checks: a result, or a DealbookError whose every line is located — nothing else."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

from dealbook.errors import DealbookError

#: Most memory one example may allocate at its peak.
MAX_PEAK_BYTES = 200 * 1024 * 1024


def holds(action: Callable[[], Any], located_in: tuple[str, ...]) -> Any:
    """Run ``action``: it returns, or raises a DealbookError located in one of ``located_in``; memory stays bounded."""
    tracemalloc.start()
    try:
        return action()
    except DealbookError as error:
        for line in error.lines():
            assert line.startswith(located_in) or line.endswith("problem(s) found"), line
            assert len(line) < 1000, line[:200]
        return error
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MAX_PEAK_BYTES, f"peak memory {peak / 2**20:.0f} MB"
