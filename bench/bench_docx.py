"""Time Markdown -> Word on a large briefing-pack-like document, against pandoc when it is installed.

The document (generated, deterministic) has about 60 headings, 300 list
items (nested, numbered and task items), 3 tables of 30 rows and 60 block
quotes of clause language. Timed:

- ``markdown_to_docx`` in process (imports warm), best and median of N runs;
- the same as a fresh ``python -c`` process, so interpreter start and the
  python-docx / markdown-it-py imports are counted as a user feels them;
- ``pandoc -f gfm -t docx`` on the same Markdown (a whole process, as pandoc
  is always run), and the ratio.

Run: ``python bench/bench_docx.py [--runs 10] [--keep DIR]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_VENDORS = ("Northwind Cloud Ltd", "Contoso | Data & AI", "Fabrikam *Platform*", "Tailspin <Systems>")
_MODULES = ("Scope", "Licensing", "Financial", "Service levels", "Audit", "Data protection", "Exit", "Governance")
_TOPICS = ("cap", "notice", "credit", "scope")
_FLAGS = ("Unilateral price changes on renewal", "Audit on less than 30 days' notice",
          "Data returned only in a proprietary format", "Liability capped below one year's fees")


def briefing_markdown(items_per_module: int = 6, clauses: int = 44) -> str:
    """A Markdown document shaped like a briefing pack: cover, checklist, term sheet, redline guidance.

    Defaults: 60 headings, 323 list items (nested and task items), 3 tables of
    30 rows, 60 block quotes.
    """
    lines = ["# Briefing pack — Customer engagement platform 2027-2029", "",
             "**Vendor:** Northwind Cloud Ltd · **Date:** 2026-03-31 · **Negotiator:** A. Negotiator", "",
             "## Executive summary", ""]
    lines += [f"- **{level}**: {count} items" for level, count in (("Must", 14), ("Should", 20), ("Could", 9))]
    lines += ["", "## Checklist", ""]
    for module, title in enumerate(_MODULES, 1):
        lines += [f"### Module {module}: {title}", ""]
        for item in range(items_per_module):
            box = "x" if (module + item) % 4 == 1 else " "
            lines += [f"- [{box}] Item {module}.{item + 1}: agree the *{_TOPICS[item % 4]}* with "
                      f"{_VENDORS[item % 4]} — owner `procurement`",
                      f"  - because: deployment is `saas` and annual value is **EUR {420 + item},000**",
                      "    - see [the policy](https://intranet.example/policies/itam#section-4)"]
        lines.append("")
    lines += ["## Term sheet", ""]
    for table in range(3):
        lines += [f"### Terms, part {table + 1}", "", "| Term | Unit | Target | Fallback | Walk-away | Owner |",
                  "|:-----|:----:|-------:|---------:|----------:|-------|"]
        lines += [f"| Price increase cap {row} \\| index | % | {row % 5 + 1} | {row % 5 + 3} | {row % 5 + 7} "
                  "| Finance |" for row in range(30)]
        lines.append("")
    lines += ["## Redline guidance", ""]
    for number in range(clauses):
        lines += [f"#### {number + 1}. Clause {number + 1}", "", "Red flags:", ""]
        lines += [f"{flag}. {_FLAGS[flag - 1]}" for flag in range(1, 5)]
        lines += ["", f"> The Supplier shall not increase the Charges by more than {number % 5 + 2}% in any Contract "
                  "Year, and any increase requires ninety (90) days' prior written notice to the Customer.", ""]
        if number < 60 - clauses:
            lines += ["Fallback:", "", "> Any increase is capped at the change in the consumer price index.", ""]
    return "\n".join(lines) + "\n"


def _best_and_median(times: list[float]) -> str:
    return f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="also write the Markdown and both .docx files here")
    options = parser.parse_args()
    markdown = briefing_markdown()
    print(f"document: {len(markdown):,} characters, {_shape(markdown)}")

    started = time.perf_counter()
    from dealbook.renderers.docx import DocumentProperties, markdown_to_docx
    imports = time.perf_counter() - started
    properties = DocumentProperties(title="Briefing pack", author="A. Negotiator", created="2026-03-31")
    times, data = [], b""
    for _ in range(options.runs):
        started = time.perf_counter()
        data = markdown_to_docx(markdown, properties=properties)
        times.append(time.perf_counter() - started)
    print(f"import dealbook.renderers.docx (python-docx, markdown-it-py): {imports * 1000:.0f} ms")
    print(f"markdown_to_docx in process: {_best_and_median(times)} ({len(data):,} bytes)")

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "pack.md"
        source.write_text(markdown, encoding="utf-8")
        script = ("import sys; from pathlib import Path; from dealbook.renderers.docx import markdown_to_docx; "
                  "Path(sys.argv[2]).write_bytes(markdown_to_docx(Path(sys.argv[1]).read_text()))")
        ours = _process_times([sys.executable, "-c", script, str(source), str(Path(folder) / "ours.docx")],
                              options.runs)
        print(f"python process (start + imports + convert + write): {_best_and_median(ours)}")
        pandoc = shutil.which("pandoc")
        if pandoc:
            theirs = _process_times([pandoc, "-f", "gfm", "-t", "docx", "-o", str(Path(folder) / "pandoc.docx"),
                                     str(source)], options.runs)
            version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
            print(f"{version} -f gfm -t docx: {_best_and_median(theirs)}")
            baseline = statistics.median(theirs)
            print(f"ratio, in-process conversion / pandoc (medians): {statistics.median(times) / baseline:.2f}")
            print(f"ratio, python process / pandoc (medians): {statistics.median(ours) / baseline:.2f}")
        else:
            print("pandoc not installed: no comparison (apt-get install pandoc)")
        if options.keep:
            options.keep.mkdir(parents=True, exist_ok=True)
            for name in ("pack.md", "ours.docx", "pandoc.docx"):
                if (Path(folder) / name).exists():
                    shutil.copy(Path(folder) / name, options.keep / name)


def _shape(markdown: str) -> str:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    count = {kind: sum(token.type == kind for token in tokens)
             for kind in ("heading_open", "list_item_open", "blockquote_open", "table_open", "tr_open")}
    tasks = sum(token.type == "inline" and token.content[:4] in ("[ ] ", "[x] ") for token in tokens)
    return (f"{count['heading_open']} headings, {count['list_item_open']} list items ({tasks} tasks), "
            f"{count['blockquote_open']} block quotes, {count['table_open']} tables ({count['tr_open']} rows)")


def _process_times(command: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    main()
