"""Evaluations per second and load+validate time for a synthetic playbook.

Target: at least 20,000 evaluations/s on one core for 50 items and
150 conditions. Run: ``python bench/bench_evaluate.py [--items 50 --rules 100]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import dealbook  # noqa: E402
from dealbook.deal.answers import Answers, Deal  # noqa: E402
from synthetic import random_answers, write_playbook  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=2.0, help="how long to run the evaluation loop")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = write_playbook(Path(folder), items=options.items, rules=options.rules)
        loads, cached = [], []
        for _ in range(5):
            started = time.perf_counter()
            playbook = dealbook.load_playbook(root, use_cache=False)
            loads.append(time.perf_counter() - started)
        dealbook.load_playbook(root)  # fills the cache
        for _ in range(5):
            started = time.perf_counter()
            dealbook.load_playbook(root)
            cached.append(time.perf_counter() - started)
    conditions = sum(item.applies_when is not None for item in playbook.items) + len(playbook.rules)
    rng = random.Random(1)
    deals = [Answers(Deal("Bench", "Vendor"), random_answers(rng)) for _ in range(1000)]
    dealbook.evaluate(playbook, deals[0])  # build the per-playbook plan once

    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < options.seconds:
        for answers in deals:
            dealbook.evaluate(playbook, answers)
        count += len(deals)
    elapsed = time.perf_counter() - started

    count_full, started = 0, time.perf_counter()
    while time.perf_counter() - started < options.seconds / 2:
        for answers in deals[:200]:
            evaluation = dealbook.evaluate(playbook, answers)
            evaluation.outcome, evaluation.items, evaluation.terms, evaluation.approvals  # noqa: B018
        count_full += 200
    elapsed_full = time.perf_counter() - started

    print(f"playbook: {len(playbook.items)} items, {len(playbook.rules)} rules, {conditions} item/rule conditions, "
          f"{len(playbook.facts)} facts, {len(playbook.questions)} questions")
    print(f"load + validate, no cache: best {min(loads) * 1000:.1f} ms, median {sorted(loads)[2] * 1000:.1f} ms (5 runs)")
    print(f"load from the content-keyed cache: median {sorted(cached)[2] * 1000:.1f} ms")
    print(f"evaluate (questions, facts, item and rule conditions): {count / elapsed:,.0f} evaluations/s "
          f"({elapsed / count * 1e6:.1f} µs each, one process, one core)")
    print(f"evaluate + fold rule effects + build item, term and approver results: {count_full / elapsed_full:,.0f} evaluations/s "
          f"({elapsed_full / count_full * 1e6:.1f} µs each)")
    print("target: >= 20,000 evaluations/s")


if __name__ == "__main__":
    main()
