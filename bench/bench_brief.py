"""Where the time of ``dealbook brief`` goes, against pandoc converting the same Markdown.

For each bundled example deal: the whole ``dealbook brief`` command as a new
process (every document in all three formats, warm cache and cold cache; the
warm one also with the CPU time of its two processes, and in one process,
``DEALBOOK_PROCESSES=1``), the in-process steps (imports, load and validate, evaluate, render Markdown,
parse, write HTML, write DOCX), and — when pandoc is installed — ``pandoc -f
gfm -t docx`` on the combined pack's Markdown (``briefing-pack.md``) and on
all the Markdown files, with the ratios. Target: the whole command for the
largest example at most 0.5x pandoc's time on the pack's Markdown.

Run: ``python bench/bench_brief.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))


def timed(command: list[str], env: dict[str, str], runs: int) -> float:
    return timed_with_cpu(command, env, runs)[0]


def timed_with_cpu(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall-clock time, and median CPU time (user + system, the command's processes together)."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times), statistics.median(cpu)


def in_process_steps(deal: Path, environment: dict[str, str]) -> dict[str, float]:
    """One run of each step inside a fresh interpreter, so imports are counted."""
    script = f"""
import time, json
t = [time.perf_counter()]
import dealbook
from dealbook.renderers.pack import build_documents
from dealbook.renderers.view import build_view
t.append(time.perf_counter())
playbook = dealbook.load_playbook("itam")
t.append(time.perf_counter())
evaluation = dealbook.evaluate(playbook, dealbook.load_answers({str(deal)!r}, playbook))
t.append(time.perf_counter())
documents = build_documents(build_view(evaluation))
t.append(time.perf_counter())
for document in documents:
    document.tokens
t.append(time.perf_counter())
from dealbook.renderers.html import tokens_to_html
for document in documents:
    tokens_to_html(document.tokens, title=document.title)
t.append(time.perf_counter())
from dealbook.renderers.docx import tokens_to_docx
for document in documents:
    tokens_to_docx(document.tokens)
t.append(time.perf_counter())
names = ["imports", "load + validate", "evaluate", "render Markdown", "parse (once each)", "write HTML", "write DOCX"]
print(json.dumps(dict(zip(names, [b - a for a, b in zip(t, t[1:])]))))
"""
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, env=environment).stdout
    import json

    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    dealbook_command = shutil.which("dealbook") or "dealbook"
    pandoc = shutil.which("pandoc")
    # An installed dealbook runs from compiled bytecode (pip compiles it); a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every run compile the sources again, which no user pays.
    base = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as scratch:
        warm = {**base, "DEALBOOK_CACHE": str(Path(scratch) / "cache")}
        cold = {**base, "DEALBOOK_CACHE": "off"}
        alone = {**warm, "DEALBOOK_PROCESSES": "1"}
        print(f"{'deal':28} {'pack md':>8} {'brief warm':>11} {'(CPU)':>7} {'1 process':>10} {'brief cold':>11} {'pandoc pack':>12} {'ratio':>6} {'pandoc all':>11} {'ratio':>6}")
        for deal in DEALS:
            out = Path(scratch) / deal.stem
            brief = [dealbook_command, "brief", str(deal), "-o", str(out), "--format", "md,docx,html"]
            subprocess.run(brief, check=True, env=warm, stdout=subprocess.DEVNULL)  # fill the cache
            warm_time, warm_cpu = timed_with_cpu(brief, warm, options.runs)
            alone_time = timed(brief, alone, options.runs)
            cold_time = timed(brief, cold, 1)
            markdown = sorted(out.glob("*.md"))
            pack = out / "briefing-pack.md"
            columns = ["n/a", "n/a", "n/a", "n/a"]
            if pandoc:
                def pandoc_time(path: Path) -> float:
                    return timed([pandoc, "-f", "gfm", "-t", "docx", "-o", str(path.with_suffix(".pandoc.docx")), str(path)], warm, options.runs)
                pack_time = pandoc_time(pack)
                all_time = sum(pandoc_time(path) for path in markdown)
                columns = [f"{pack_time:.2f}s", f"{warm_time / pack_time:.2f}x", f"{all_time:.2f}s", f"{warm_time / all_time:.2f}x"]
            print(f"{deal.stem:28} {pack.stat().st_size / 1024:6.0f}KB {warm_time:10.2f}s {warm_cpu:6.2f}s {alone_time:9.2f}s {cold_time:10.2f}s "
                  f"{columns[0]:>12} {columns[1]:>6} {columns[2]:>11} {columns[3]:>6}")
        largest = max(DEALS, key=lambda deal: deal.stat().st_size)
        print("\nbrief warm: every document in md, docx and html, Word written by a helper process (see dealbook.infra.helper);"
              "\n(CPU): both processes' CPU time together; 1 process: the same with DEALBOOK_PROCESSES=1")
        print(f"\nin-process steps for {largest.stem} (fresh interpreter, warm cache, one process):")
        for name, seconds in in_process_steps(largest, warm).items():
            print(f"  {name:18} {seconds * 1000:7.0f} ms")
    print("target: brief (warm, every document in md, docx and html) <= 0.5x pandoc on the pack's Markdown")


if __name__ == "__main__":
    main()
