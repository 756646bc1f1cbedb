"""Benchmark dealbook review: whole process on the CSA .docx vs brief --format docx, time per 10,000 words, linearity.

    python bench/bench_review.py                   # the playbook cache as the user has it
    DEALBOOK_CACHE=off python bench/bench_review.py  # every process validates the playbook

Needs ../shared/paper (the shared folder beside the checkout). Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (REPO / ".." / "shared" / "paper", REPO / ".." / ".." / "shared" / "paper") if p.is_dir()), None)
DEAL = REPO / "examples" / "deals" / "eu-saas-crm.yaml"
SMALL = REPO / "examples" / "deals" / "small-desktop-subscription.yaml"


def _once(args: list[str]) -> tuple[float, float]:
    """One whole process: (wall seconds, CPU seconds of the child)."""
    with tempfile.TemporaryDirectory() as out:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dealbook.cli", *args, "-o", out], check=True, capture_output=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def _compare(runs: int = 7) -> None:
    """Review and brief alternately (a busy machine slows both alike); medians of wall and CPU time."""
    review_args = ["review", str(DEAL), str(SHARED / "commonpaper-csa.docx")]
    brief_args = ["brief", str(SMALL), "--format", "docx"]
    _once(review_args), _once(brief_args)  # warm the file cache (and the playbook cache, when it is on)
    reviews, briefs = [], []
    for _ in range(runs):
        reviews.append(_once(review_args))
        briefs.append(_once(brief_args))
    cache = os.environ.get("DEALBOOK_CACHE", "default folder")
    for what, index in (("wall", 0), ("CPU", 1)):
        review = statistics.median(sample[index] for sample in reviews)
        brief = statistics.median(sample[index] for sample in briefs)
        print(f"whole process ({what}, median of {runs}, playbook cache {cache}): review CSA .docx {review:.2f} s; "
              f"brief --format docx (small deal) {brief:.2f} s; ratio {review / brief:.2f}x (target <= 1.5x)")


def main() -> None:
    if SHARED is None:
        sys.exit("../shared/paper not found")
    _compare()

    import dealbook
    from dealbook.paper import read_paper, render_review
    from dealbook.paper.reading import Paper
    from dealbook.paper.scoring import review_paper

    evaluation = dealbook.evaluate_file(DEAL)
    for name in ("commonpaper-csa.md", "commonpaper-csa.docx", "github-corporate-terms.md"):
        paper = read_paper(SHARED / name)
        start = time.perf_counter()
        result = review_paper(paper, evaluation)
        match = time.perf_counter() - start
        start = time.perf_counter()
        render_review(result)
        render = time.perf_counter() - start
        print(f"{name}: {paper.words} words, {len(result.findings)} items, {sum(f.found for f in result.findings)} located; "
              f"matching {match * 1000:.0f} ms ({match * 1000 * 10000 / paper.words:.0f} ms per 10,000 words), rendering {render * 1000:.0f} ms")
    base = read_paper(SHARED / "commonpaper-csa.md")
    for factor in (1, 10):
        paragraphs = tuple(p for _ in range(factor) for p in base.paragraphs)
        paper = Paper(base.path, base.format, paragraphs)
        start = time.perf_counter()
        review_paper(paper, evaluation)
        elapsed = time.perf_counter() - start
        print(f"linearity: CSA x{factor}: {paper.words} words, matching {elapsed * 1000:.0f} ms ({elapsed * 1000 * 10000 / paper.words:.0f} ms per 10,000 words)")


if __name__ == "__main__":
    main()
