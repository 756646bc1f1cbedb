"""The cache and the start-up path, measured whole-process, against pandoc, and for scaling.

1. ``dealbook brief`` (md, docx, html) on the largest example deal as a new
   process: cache off, empty cache (a fresh folder each run: the first run a
   user pays), and warm cache. Target: empty cache no slower than cache off.
2. Cache off against ``pandoc -f gfm -t docx`` converting the pack's four
   Markdown documents (one pandoc process each, as a user would run it).
   Target: at most 1.0x.
3. Cold load and validation (no cache) of a synthetic playbook of 500 and of
   5,000 items, each in a fresh interpreter with the command's garbage
   collector settings, and the cost per item. Target: per-item cost at 5,000
   within 1.2x of that at 500.

Run: ``python bench/bench_cache.py [--runs 5]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEAL = REPO / "examples" / "deals" / "enterprise-agreement.yaml"
sys.path.insert(0, str(REPO / "bench"))

from synthetic import write_playbook  # noqa: E402


def seconds(command: list[str], env: dict[str, str], before=None) -> float:  # noqa: ANN001
    if before is not None:
        before()
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


_LOAD = """
import gc, json, sys, time
gc.set_threshold(20_000, 50, 100)  # as the dealbook command sets it
import dealbook
started = time.perf_counter()
dealbook.load_playbook(sys.argv[1], use_cache=False)
print(json.dumps(time.perf_counter() - started))
"""


def cold_load(folder: Path, runs: int) -> float:
    times = [json.loads(subprocess.run([sys.executable, "-c", _LOAD, str(folder)], check=True, capture_output=True, text=True,
                                       env={**os.environ, "DEALBOOK_CACHE": "off"}).stdout) for _ in range(runs)]
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    dealbook = shutil.which("dealbook") or "dealbook"
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        out = scratch_path / "pack"
        brief = [dealbook, "brief", str(DEAL), "-o", str(out), "--format", "md,docx,html"]
        off = {**os.environ, "DEALBOOK_CACHE": "off"}
        cache = scratch_path / "cache"
        cached = {**os.environ, "DEALBOOK_CACHE": str(cache)}
        markdown_folder = scratch_path / "markdown"
        subprocess.run([dealbook, "brief", str(DEAL), "-o", str(markdown_folder), "--format", "md"], check=True, env=off,
                       stdout=subprocess.DEVNULL)
        markdown = sorted(markdown_folder.glob("*.md"))
        pandoc_commands = [[pandoc, "-f", "gfm", "-t", "docx", "-o", str(scratch_path / f"{path.stem}.docx"), str(path)]
                           for path in markdown] if pandoc else []
        seconds(brief, off)  # warm the file system
        seconds(brief, cached)
        times: dict[str, list[float]] = {"off": [], "empty": [], "warm": [], "pandoc": []}
        for _ in range(runs):  # interleaved, so a busy machine slows every variant alike
            times["off"].append(seconds(brief, off))
            times["empty"].append(seconds(brief, cached, before=lambda: shutil.rmtree(cache, ignore_errors=True)))
            times["warm"].append(seconds(brief, cached))
            if pandoc_commands:
                times["pandoc"].append(sum(seconds(command, off) for command in pandoc_commands))
        off_time, empty_time, warm_time = (statistics.median(times[name]) for name in ("off", "empty", "warm"))
        print(f"dealbook brief {DEAL.name} (md, docx, html), median of {runs} whole-process runs, interleaved:")
        print(f"  cache off     {off_time:6.2f} s")
        print(f"  empty cache   {empty_time:6.2f} s   ({empty_time / off_time:4.2f}x cache off; target <= 1.00x)")
        print(f"  warm cache    {warm_time:6.2f} s   ({warm_time / off_time:4.2f}x cache off)")
        entries = list((cache / "playbooks").glob("*.entry"))
        print(f"  cache entry   {len(entries)} file, {sum(path.stat().st_size for path in entries) / 1024:.0f} KB")
        if pandoc_commands:
            pandoc_time = statistics.median(times["pandoc"])
            print(f"  pandoc -f gfm -t docx on the pack's {len(markdown)} Markdown files: {pandoc_time:.2f} s")
            print(f"  cache off / pandoc = {off_time / pandoc_time:4.2f}x (target <= 1.00x)")
        else:
            print("  pandoc not installed: no ratio")
        print("\ncold load + validate, no cache (fresh interpreter each run):")
        per_item = {}
        for items in (500, 5000):
            folder = write_playbook(scratch_path / f"synthetic-{items}", items=items, rules=items, modules=max(1, items // 100))
            load = cold_load(folder, runs)
            per_item[items] = load / items
            print(f"  {items:5} items  {load:6.2f} s  {per_item[items] * 1e6:6.0f} us per item")
        print(f"  per-item cost at 5,000 / at 500 = {per_item[5000] / per_item[500]:4.2f}x (target <= 1.20x)")


if __name__ == "__main__":
    main()
