"""Where the time of ``dealbook brief`` goes, against pandoc converting the same Markdown.

For each bundled example deal: the whole ``dealbook brief`` command as a new
process (every document in all three formats, warm cache and cold cache), the
in-process steps (imports, load and validate, evaluate, render Markdown,
parse, write HTML, write DOCX), and — when pandoc is installed — ``pandoc -f
gfm -t docx`` on the combined pack's Markdown (``briefing-pack.md``) and on
all the Markdown files, with the ratios. Target: the whole command for the
largest example at most 0.5x pandoc's time on the pack's Markdown.

Run: ``python bench/bench_brief.py [--runs 3]``.
"""

from __future__ import annotations

import argparse
import os
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
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def in_process_steps(deal: Path) -> dict[str, float]:
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
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
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
        print(f"{'deal':28} {'pack md':>8} {'brief warm':>11} {'brief cold':>11} {'pandoc pack':>12} {'ratio':>6} {'pandoc all':>11} {'ratio':>6}")
        for deal in DEALS:
            out = Path(scratch) / deal.stem
            brief = [dealbook_command, "brief", str(deal), "-o", str(out), "--format", "md,docx,html"]
            subprocess.run(brief, check=True, env=warm, stdout=subprocess.DEVNULL)  # fill the cache
            warm_time = timed(brief, warm, options.runs)
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
            print(f"{deal.stem:28} {pack.stat().st_size / 1024:6.0f}KB {warm_time:10.2f}s {cold_time:10.2f}s "
                  f"{columns[0]:>12} {columns[1]:>6} {columns[2]:>11} {columns[3]:>6}")
    largest = max(DEALS, key=lambda deal: deal.stat().st_size)
    print(f"\nin-process steps for {largest.stem} (fresh interpreter, warm cache):")
    for name, seconds in in_process_steps(largest).items():
        print(f"  {name:18} {seconds * 1000:7.0f} ms")
    print("target: brief (warm, every document in md, docx and html) <= 0.5x pandoc on the pack's Markdown")


if __name__ == "__main__":
    main()
