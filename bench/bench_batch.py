"""Batch speed over many deals of the bundled playbook, in one process.

Writes ``--deals`` generated answers files (default 10,000) into a temporary
folder, then prints two figures:

- **evaluate and summarise**: read every answers file once, check it,
  evaluate it and fold it into a portfolio summary (what ``dealbook
  portfolio`` does) — target at most 10 s for 10,000 deals;
- **read results**: for evaluations already made, read what a pack or a
  report reads — items with their opening summaries rendered, terms,
  approvers, flags — target at least 5,000 deals/s.

Both run inside :func:`dealbook.negotiation.batch.batch_collection`, as the
batch commands do.

With ``--parts``, also where reading one deal goes, part by part, over 2,000
deals of their own that nothing before has rendered for.

Run: ``python bench/bench_batch.py [--deals 10000] [--parts]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import tempfile
import time
from pathlib import Path

import yaml

os.environ.setdefault("DEALBOOK_CACHE", "off")

import dealbook  # noqa: E402
from dealbook.deal.answers import read_answers  # noqa: E402
from dealbook.playbook.model import Playbook, Question  # noqa: E402


def random_answer(question: Question, rng: random.Random) -> object:
    """One plausible answer for ``question``."""
    if question.type == "bool":
        return rng.random() < 0.5
    if question.type == "choice":
        return rng.choice(question.option_values)
    if question.type == "multi-choice":
        return rng.sample(list(question.option_values), rng.randint(1, len(question.options)))
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 5_000_000
    value = rng.uniform(low, min(high, low + 5_000_000))
    return int(value) if question.type in ("integer", "money") else round(value, 1)


def write_deals(folder: Path, playbook: Playbook, count: int, seed: int = 1) -> list[Path]:
    """``count`` answers files with random answers to every question."""
    rng = random.Random(seed)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    paths = []
    for number in range(count):
        content = {
            "deal": {"name": f"Deal {number}", "vendor": f"Vendor {number % 97}", "currency": "EUR"},
            "answers": {question.id: random_answer(question, rng) for question in playbook.questions},
        }
        path = folder / f"deal-{number:05d}.yaml"
        path.write_text(yaml.dump(content, Dumper=dumper, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths


def read_results(evaluation: dealbook.Evaluation) -> int:
    """What a report reads from one evaluation; returns a count so nothing is optimised away."""
    count = 0
    for result in evaluation.items:
        count += len(evaluation.render(result.opening.summary, result.opening.location))
        count += len(result.terms)
    count += len(evaluation.terms) + len(evaluation.approvals) + len(evaluation.flags)
    return count


def reading_parts(playbook: dealbook.Playbook, answers: list) -> dict[str, float]:
    """Microseconds per deal for each part a reader reads, in the order a report reads them."""
    from dealbook.negotiation.batch import batch_collection

    def openings(evaluation: dealbook.Evaluation) -> None:
        for result in evaluation.items:
            evaluation.render(result.opening.summary, result.opening.location)

    parts = {
        "effects folded": lambda evaluation: evaluation.outcome,
        "items": lambda evaluation: evaluation.items,
        "opening summaries": openings,
        "term sheet": lambda evaluation: evaluation.terms,
        "approvals": lambda evaluation: evaluation.approvals,
        "flags": lambda evaluation: evaluation.flags,
    }
    totals = dict.fromkeys(parts, 0.0)
    with batch_collection():
        for evaluation in [dealbook.evaluate(playbook, entry) for entry in answers]:
            for name, read in parts.items():  # in this order: each part reads what the ones before it made
                started = time.perf_counter()
                read(evaluation)
                totals[name] += time.perf_counter() - started
    return {name: seconds / len(answers) * 1e6 for name, seconds in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--parts", action="store_true", help="also say where a deal's reading time goes, part by part")
    options = parser.parse_args()
    from dealbook.negotiation.batch import batch_collection, evaluate_deals
    from dealbook.negotiation.portfolio import portfolio

    playbook = dealbook.load_playbook(None)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_deals(Path(folder), playbook, options.deals)
        answers = [read_answers(path, playbook) for path in paths]
        if options.parts:  # deals of their own, that no earlier step has rendered for
            (Path(folder) / "parts").mkdir()
            unseen = [read_answers(path, playbook) for path in write_deals(Path(folder) / "parts", playbook, 2000, seed=2)]
        started, cpu = time.perf_counter(), time.process_time()
        with batch_collection():  # as `dealbook portfolio` runs
            summary = portfolio(playbook, evaluate_deals(playbook, paths))  # streamed, as `dealbook portfolio` does
        batch, batch_cpu = time.perf_counter() - started, time.process_time() - cpu
    # The 10,000 parsed answers files are inputs, not part of reading: moved out of the cyclic collector's way
    # (gc.freeze), as a long-running service would after start-up, so that it does not re-scan them all the time.
    gc.collect()
    gc.freeze()
    reading, reading_cpu, count = 0.0, 0.0, 0
    with batch_collection():  # as the batch commands read results
        for start in range(0, len(answers), 1000):  # evaluations made ahead, a thousand at a time; only reading is timed
            fresh = [dealbook.evaluate(playbook, entry) for entry in answers[start:start + 1000]]
            started, cpu = time.perf_counter(), time.process_time()
            for evaluation in fresh:
                read_results(evaluation)
            reading += time.perf_counter() - started
            reading_cpu += time.process_time() - cpu
            count += len(fresh)
    if options.parts:
        parts = reading_parts(playbook, unseen)
        print("where reading one deal goes, µs: " + ", ".join(f"{name} {micros:.0f}" for name, micros in parts.items()))
    print(f"bundled playbook: {len(playbook.items)} items, {len(playbook.terms)} terms, {len(playbook.rules)} rules, "
          f"{len(playbook.questions)} questions")
    print("wall-clock time, and in brackets the process's own CPU time (the machine may be shared)")
    print(f"evaluate and summarise {len(paths):,} answers files (read, check, evaluate, portfolio): {batch:.2f} s [{batch_cpu:.2f} s CPU] "
          f"({len(paths) / batch:,.0f} deals/s; {summary.deals:,} summarised, {summary.states['cannot be evaluated']} not evaluable) — target <= 10 s for 10,000")
    print(f"read results (items with opening summaries, terms, approvers, flags): {count / reading:,.0f} deals/s [{count / reading_cpu:,.0f}/s CPU] "
          f"({reading / count * 1e6:.0f} µs each) — target >= 5,000 deals/s")


if __name__ == "__main__":
    main()
