"""Run the hostile corpus: inputs a careless or hostile user gives dealbook, each checked for a clean answer.

Every case runs the real ``dealbook`` command in a fresh scratch folder, with a
time limit and a memory limit. A case is *handled cleanly* when the command
ends by itself within the limits with exit code 0, 1, 2 or 130 (or is ended
by the Ctrl-C it was sent before Python could handle it), prints no
traceback, and the case's own check passes: no file of the user's lost or
overwritten, no mixed pack, no code run from the cache or a template. Prints
one line per case that is not clean, then::

    N cases, N handled cleanly, N tracebacks, N data-loss, N code execution

(a run that hangs or runs out of memory counts as a traceback). Run:
``python bench/hostile.py [-k SUBSTRING] [-v]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini"
DEALS = REPO / "examples" / "deals"
DEALBOOK = shutil.which("dealbook") or "dealbook"
TIME_LIMIT = 60
MEMORY_LIMIT = 2 * 1024**3
MINI_DEAL = """deal:
  name: Test deal
  vendor: Acme
  currency: EUR
answers:
  deployment: saas
  annual_value: 2000000
  personal_data: true
  regimes: [gdpr]
"""


@dataclass
class Run:
    code: int | None
    out: str
    err: str
    seconds: float


@dataclass
class Case:
    name: str
    act: Callable[[Path], list[Run]]
    #: returns "" when fine, else "data-loss: why" or "exec: why"
    check: Callable[[Path, list[Run]], str] = lambda folder, runs: ""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def dealbook(folder: Path, *arguments: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Run:
    environment = {**os.environ, "DEALBOOK_CACHE": str(folder / "cache"), **(env or {})}
    started = time.perf_counter()
    try:
        done = subprocess.run([DEALBOOK, *map(str, arguments)], cwd=folder, env=environment, input=stdin, capture_output=True,
                              text=True, timeout=TIME_LIMIT, preexec_fn=_limits)
        return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)
    except subprocess.TimeoutExpired as expired:
        return Run(None, str(expired.stdout or ""), f"timed out after {TIME_LIMIT}s", time.perf_counter() - started)


def mini(folder: Path, old: str = "", new: str = "", file: str = "modules/data.yaml") -> Path:
    """A copy of the test playbook, with ``old`` replaced by ``new`` in ``file``."""
    target = folder / "mini"
    if not target.exists():
        shutil.copytree(MINI, target)
    if old:
        path = target / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


CLAUSE = 'clause: "Notice within {{ terms.breach_hours.fallback }} hours."'


def clause_case(name: str, template: str, command: str = "validate") -> Case:
    def act(folder: Path) -> list[Run]:
        playbook = mini(folder, CLAUSE, f"clause: {json.dumps(template)}")
        if command == "validate":
            return [dealbook(folder, "validate", playbook)]
        deal = write(folder, "deal.yaml", MINI_DEAL)
        return [dealbook(folder, "brief", deal, "-p", playbook, "-o", "out", "--format", "md")]

    return Case(f"clause: {name}", act)


def condition_case(name: str, condition: str) -> Case:
    def act(folder: Path) -> list[Run]:
        return [dealbook(folder, "validate", mini(folder, "applies_when: personal_data", f"applies_when: {json.dumps(condition)}"))]

    return Case(f"condition: {name}", act)


def answers_case(name: str, text: str | bytes, file: str = "deal.yaml", command: str = "evaluate") -> Case:
    def act(folder: Path) -> list[Run]:
        deal = write(folder, file, text)
        extra = ["-o", "out", "--format", "md"] if command == "brief" else []
        return [dealbook(folder, command, deal, "-p", mini(folder), *extra)]

    return Case(f"answers: {name}", act)


def _pack_consistent(pack: Path) -> str:
    """"" if ``pack`` is absent or holds exactly the files its marker lists, with their hashes."""
    if not pack.exists():
        return ""
    try:
        marker = json.loads((pack / ".dealbook-pack.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"data-loss: {pack.name} has no readable marker"
    present = {path.name for path in pack.iterdir()} - {".dealbook-pack.json"}
    if present != set(marker["files"]):
        return f"data-loss: {pack.name} holds {sorted(present ^ set(marker['files']))} beyond one run"
    for name, digest in marker["files"].items():
        if hashlib.sha256((pack / name).read_bytes()).hexdigest() != digest:
            return f"data-loss: {pack.name}/{name} is from another run"
    return ""


# --- the cases ----------------------------------------------------------------------------------


class _Exploit:
    def __reduce__(self):  # noqa: ANN204
        return (os.system, ("touch PWNED",))


def planted_cache(folder: Path) -> list[Run]:
    from dealbook.infra.cache import content_key  # noqa: PLC0415
    from dealbook.playbook.load import cache_key  # noqa: PLC0415

    playbook = mini(folder)
    del content_key
    os.chdir(folder)
    try:
        key = cache_key(playbook / "playbook.yaml")
    finally:
        os.chdir(REPO)
    for name in (f"{key}.entry", f"{key}.pickle"):
        write(folder / "cache" / "playbooks", name, pickle.dumps(_Exploit()))
    bytecode = folder / "cache" / "templates"
    bytecode.mkdir(parents=True)
    for index in range(3):
        write(bytecode, f"__jinja2_{index}.cache", pickle.dumps(_Exploit()))
    os.chmod(folder / "cache", 0o700)
    return [dealbook(folder, "validate", playbook), dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p", playbook, "-o", "out")]


def no_pwned(folder: Path, runs: list[Run]) -> str:
    return "exec: a planted file ran" if any(path.name == "PWNED" for path in folder.rglob("*")) else ""


def unsafe_cache(kind: str) -> Callable[[Path], list[Run]]:
    def act(folder: Path) -> list[Run]:
        cache = folder / "cache"
        if kind == "777":
            cache.mkdir()
            cache.chmod(0o777)
        else:
            (folder / "elsewhere").mkdir(mode=0o700)
            cache.symlink_to(folder / "elsewhere")
        return [dealbook(folder, "validate", mini(folder))]

    return act


def unused_unsafe_cache(folder: Path, runs: list[Run]) -> str:
    written = [path for path in (folder / "elsewhere").rglob("*")] if (folder / "elsewhere").exists() else []
    if written or ((folder / "cache").is_dir() and not (folder / "cache").is_symlink() and any((folder / "cache").iterdir())):
        return "exec: an unsafe cache folder was used"
    return "" if "caching is off" in runs[0].err else "data-loss: no warning about the unsafe cache folder"


def big_override(folder: Path) -> list[Run]:
    write(folder, "templates/checklist.md.j2", "{% for i in range(100000) %}{{ 'x' * 999999 }}{% endfor %}")
    return [dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p", mini(folder), "--templates", "templates", "-o", "out")]


def small_outputs(folder: Path, runs: list[Run]) -> str:
    large = [path for path in folder.rglob("*") if path.is_file() and path.stat().st_size > 25 * 1024**2]
    return f"data-loss: wrote {large[0].name} of {large[0].stat().st_size >> 20} MB" if large else ""


def killed_writers(folder: Path) -> list[Run]:
    deal = write(folder, "deal.yaml", MINI_DEAL)
    command = [DEALBOOK, "brief", str(deal), "-p", str(mini(folder)), "-o", "out"]
    environment = {**os.environ, "DEALBOOK_CACHE": "off"}
    runs = [dealbook(folder, *command[1:])]
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):
        process = subprocess.Popen(command, cwd=folder, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        process.kill()
        process.wait()
        problem = _pack_consistent(folder / "out")
        if problem:
            runs.append(Run(1, "", problem, 0))
    runs.append(dealbook(folder, *command[1:]))
    return runs


def consistent_out(folder: Path, runs: list[Run]) -> str:
    mixed = [run.err for run in runs if run.err.startswith("data-loss")]
    stale = [path.name for path in folder.iterdir() if path.name.startswith(".out.")]
    return mixed[0] if mixed else f"data-loss: stale staging left: {stale}" if stale else _pack_consistent(folder / "out")


def concurrent_writers(folder: Path) -> list[Run]:
    deals = [write(folder, f"deal{number}.yaml", MINI_DEAL.replace("EUR", ["EUR", "USD"][number])) for number in range(2)]
    environment = {**os.environ, "DEALBOOK_CACHE": "off"}
    runs = []
    for _ in range(4):
        processes = [subprocess.Popen([DEALBOOK, "brief", str(deal), "-p", str(mini(folder)), "-o", "out", "--format", "md,html"],
                                      cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for deal in deals]
        for process in processes:
            out, err = process.communicate(timeout=TIME_LIMIT)
            runs.append(Run(process.returncode, out, err, 0))
        problem = _pack_consistent(folder / "out")
        if problem:
            runs.append(Run(1, "", problem, 0))
    return runs


def directory_in_pack(folder: Path) -> list[Run]:
    deal = write(folder, "deal.yaml", MINI_DEAL)
    first = dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "md")
    (folder / "out" / "redlines.md").unlink()
    (folder / "out" / "redlines.md").mkdir()
    return [first, dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "md")]


def kept_directory(folder: Path, runs: list[Run]) -> str:
    if not (folder / "out.bak" / "redlines.md").is_dir():
        return "data-loss: the folder inside the pack was not kept"
    return _pack_consistent(folder / "out")


def empty_output(folder: Path) -> list[Run]:
    write(folder, "checklist.md", "my own checklist\n")
    return [dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p", mini(folder), "-o", "")]


def own_checklist_kept(folder: Path, runs: list[Run]) -> str:
    return "" if (folder / "checklist.md").read_text() == "my own checklist\n" and runs[0].code == 2 else "data-loss: -o '' wrote into the folder"


def scripts(folder: Path) -> list[Run]:
    runs = []
    for name in ("Договор на поддержку", "Лицензии", "许可证续订", "Ｌｉｃｅｎｃｅ"):
        deal = write(folder, f"{len(runs)}.yaml", MINI_DEAL.replace("Test deal", name))
        runs.append(dealbook(folder, "brief", deal, "-p", mini(folder), "--format", "md"))
    return runs


def four_packs(folder: Path, runs: list[Run]) -> str:
    packs = [path for path in folder.iterdir() if path.name.endswith("-brief")]
    return "" if len(packs) == 4 else f"data-loss: {len(packs)} pack folders for 4 deals: {sorted(path.name for path in packs)}"


def fewer_formats(folder: Path) -> list[Run]:
    deal = write(folder, "deal.yaml", MINI_DEAL)
    return [dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out"),
            dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "md")]


def only_markdown(folder: Path, runs: list[Run]) -> str:
    names = {path.suffix for path in (folder / "out").iterdir() if path.name != ".dealbook-pack.json"}
    return "" if names == {".md"} else f"data-loss: stale files beside the new run: {sorted(names)}"


def hand_edits(folder: Path) -> list[Run]:
    deal = write(folder, "deal.yaml", MINI_DEAL)
    first = dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "md")
    checklist = folder / "out" / "checklist.md"
    checklist.write_text(checklist.read_text().replace("[ ]", "[x]"))
    return [first, dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "md")]


def edits_kept(folder: Path, runs: list[Run]) -> str:
    kept = folder / "out.bak" / "checklist.md"
    return "" if kept.exists() and "[x]" in kept.read_text() else "data-loss: the ticked checklist is gone"


def other_deal(folder: Path) -> list[Run]:
    first = write(folder, "a.yaml", MINI_DEAL)
    second = write(folder, "b.yaml", MINI_DEAL.replace("Test deal", "Another deal"))
    return [dealbook(folder, "brief", first, "-p", mini(folder), "-o", "out", "--format", "md"),
            dealbook(folder, "brief", second, "-p", mini(folder), "-o", "out", "--format", "md")]


def first_deal_kept(folder: Path, runs: list[Run]) -> str:
    marker = json.loads((folder / "out" / ".dealbook-pack.json").read_text())
    return "" if marker["deal"] == "Test deal" and runs[1].code == 1 else "data-loss: another deal's pack was replaced silently"


def startup_interrupt(delay: float) -> Callable[[Path], list[Run]]:
    def act(folder: Path) -> list[Run]:
        process = subprocess.Popen([DEALBOOK, "validate", str(mini(folder))], cwd=folder, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env={**os.environ, "DEALBOOK_CACHE": "off"})
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=TIME_LIMIT)
        return [Run(process.returncode, out, err, delay)]

    return act


def nul_title(folder: Path) -> list[Run]:
    deal = write(folder, "deal.yaml", MINI_DEAL.replace("name: Test deal", 'name: "Test\\0deal\\nwith a newline"'))
    return [dealbook(folder, "brief", deal, "-p", mini(folder), "-o", "out", "--format", "html")]


def clean_titles(folder: Path, runs: list[Run]) -> str:
    for page in (folder / "out").glob("*.html"):
        text = page.read_text()
        title = text[text.index("<title>"):text.index("</title>")]
        if "\0" in title or "\n" in title:
            return "data-loss: raw NUL or newline in <title>"
    return ""


def long_messages(folder: Path, runs: list[Run]) -> str:
    longest = max((len(line) for run in runs for line in (run.out + run.err).splitlines()), default=0)
    return f"data-loss: a message line of {longest:,} characters" if longest > 2000 else ""


HUGE = "9" * 4301
CASES = [
    Case("cache: planted pickles and bytecode", planted_cache, no_pwned),
    Case("cache: folder writable by others", unsafe_cache("777"), unused_unsafe_cache),
    Case("cache: symlinked folder", unsafe_cache("symlink"), unused_unsafe_cache),
    clause_case("'x' * 10**9", "{{ 'x' * 10**9 }}"),
    clause_case("'x' * 10**9 (brief)", "{{ 'x' * 10**9 }}", "brief"),
    clause_case("7**100000000", "{{ 7**100000000 }}"),
    clause_case("nested range(100000)", "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "brief"),
    clause_case("deal.vendor * 50000000", "{{ deal.vendor * 50000000 }}", "brief"),
    clause_case("'x'.ljust(10**9)", "{{ 'x'.ljust(10**9) }}", "brief"),
    clause_case("branching macro", "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", "brief"),
    clause_case("endless recursion", "{% macro f(n) %}{{ f(n+1) }}{% endmacro %}{{ f(0) }}", "brief"),
    clause_case("1/0", "{{ 1/0 }}", "brief"),
    clause_case("format ValueError", "{{ '{:d}'.format('x') }}", "brief"),
    clause_case("loop variable after its loop", "{% for x in regimes %}{% endfor %}{{ x }}"),
    clause_case("include a system file", "{% include '/etc/passwd' %}"),
    clause_case("attribute escape", "{{ deal.__class__.__mro__[1].__subclasses__() }}", "brief"),
    clause_case("format string escape", "{{ '{0.__class__}'.format(deal) }}", "brief"),
    clause_case("huge money", "{{ (10**400)|money }}", "brief"),
    Case("templates: a 1 GB checklist.md", big_override, small_outputs),
    condition_case("not x200", "not " * 200 + "personal_data"),
    condition_case("not ( x100", "not (" * 100 + "personal_data" + ")" * 100),
    condition_case("user_count > 1e999", "annual_value > 1e999"),
    condition_case("100 KB expression", "personal_data or " * 6000 + "x"),
    condition_case("attribute escape", "deal.__class__"),
    Case("pack: kill -9 while writing", killed_writers, consistent_out),
    Case("pack: two concurrent writers", concurrent_writers, consistent_out),
    Case("pack: a folder named redlines.md in the pack", directory_in_pack, kept_directory),
    Case("pack: -o '' beside my checklist.md", empty_output, own_checklist_kept),
    Case("pack: deal names in other scripts", scripts, four_packs),
    Case("pack: a re-run with fewer formats", fewer_formats, only_markdown),
    Case("pack: ticked boxes in checklist.md", hand_edits, edits_kept),
    Case("pack: another deal into the same folder", other_deal, first_deal_kept),
    Case("pack: unwritable output folder", lambda folder: [dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p",
                                                                    mini(folder), "-o", "/proc/dealbook-pack")]),
    Case("pack: output under a file", lambda folder: [dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p",
                                                                mini(folder), "-o", write(folder, "a-file", "x") / "pack")]),
    Case("pack: NUL and newline in the deal name (HTML title)", nul_title, clean_titles),
    Case("templates: missing include", lambda folder: [
        write(folder, "t/checklist.md.j2", "{% include 'nowhere.md.j2' %}") and
        dealbook(folder, "brief", write(folder, "deal.yaml", MINI_DEAL), "-p", mini(folder), "--templates", "t", "-o", "out")]),
    answers_case("4,301-digit integer (YAML)", MINI_DEAL.replace("2000000", HUGE)),
    answers_case("4,301-digit integer (JSON)", json.dumps({"deal": {"name": "D", "vendor": "V"}, "answers": {}})[:-2] + f'"big": {HUGE}}}}}', "deal.json"),
    answers_case("10**400 money", MINI_DEAL.replace("2000000", "1" + "0" * 400), command="brief"),
    answers_case("1e999 money", MINI_DEAL.replace("2000000", "1e999")),
    answers_case("2026-02-30", MINI_DEAL.replace("currency: EUR", "currency: EUR\n  date: 2026-02-30")),
    answers_case("JSON duplicate keys", '{"deal": {"name": "A", "vendor": "B"},\n "deal": {"name": "C"}}', "deal.json"),
    answers_case("900 KB choice value", MINI_DEAL.replace("deployment: saas", "deployment: " + "x" * 900_000)),
    answers_case("alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"),
    answers_case("a list", "- a\n- b\n"),
    answers_case("binary", bytes(range(256)) * 10),
    answers_case("empty", ""),
    answers_case("nesting 10,000 deep", "[" * 10000 + "]" * 10000, "deal.json"),
    answers_case("over 1 MiB", "deal:\n  name: " + "x" * (1024 * 1024 + 10) + "\n"),
    Case("answers: from standard input", lambda folder: [dealbook(folder, "brief", "-", "-p", mini(folder), "-o", "out", stdin=MINI_DEAL)]),
    Case("answers: a directory", lambda folder: [dealbook(folder, "evaluate", folder, "-p", mini(folder))]),
    Case("playbook: -p /etc/passwd", lambda folder: [dealbook(folder, "validate", "/etc/passwd")]),
    Case("playbook: not a mapping", lambda folder: [dealbook(folder, "validate", write(folder, "p/playbook.yaml", "- a\n").parent)]),
    Case("playbook: extends /etc/passwd", lambda folder: [dealbook(folder, "validate", write(folder, "p/playbook.yaml", "id: x\nextends: /etc/passwd\n").parent)]),
    Case("playbook: extends itself", lambda folder: [dealbook(folder, "validate", write(folder, "p/playbook.yaml", "id: x\nextends: .\n").parent)]),
    *(Case(f"Ctrl-C {int(delay * 1000)} ms into start-up", startup_interrupt(delay)) for delay in (0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.2)),
]


def clean(case: Case, folder: Path, runs: list[Run]) -> tuple[str, str]:
    """(category, why): category is "clean", "traceback", "data-loss" or "exec"."""
    for run in runs:
        # -2: ended by the SIGINT itself (a Ctrl-C before Python could handle it), like any program
        if run.code is None or run.code not in (0, 1, 2, 130, -signal.SIGINT):
            return "traceback", f"exit {run.code}: {run.err.strip()[-300:]}"
        if "Traceback" in run.err or "Traceback" in run.out:
            ours = any(marker in run.err for marker in ("/dealbook/", "/engine/", "/renderers/", "dealbook/__main__"))
            return "traceback", ("" if ours else "(in Python's own start-up, before dealbook's first line) ") + run.err.strip()[-600:]
    found = case.check(folder, runs) or long_messages(folder, runs)
    if found.startswith("exec"):
        return "exec", found
    if found:
        return "data-loss", found
    return "clean", ""


def main() -> None:
    global DEALBOOK  # noqa: PLW0603 - the command every case runs
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", default="", help="run only the cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="print every case with its outcome")
    parser.add_argument("--command", default=DEALBOOK, help="the dealbook command to run (default: the one on PATH)")
    options = parser.parse_args()
    DEALBOOK = options.command
    counts = {"clean": 0, "traceback": 0, "data-loss": 0, "exec": 0}
    startup = 0
    cases = [case for case in CASES if options.k in case.name]
    for case in cases:
        with tempfile.TemporaryDirectory(prefix="dealbook-hostile-") as scratch:
            folder = Path(scratch)
            try:
                runs = case.act(folder)
                category, why = clean(case, folder, runs)
            except Exception as error:  # noqa: BLE001 - a broken case is reported, not fatal
                category, why = "traceback", f"the case itself failed: {type(error).__name__}: {error}"
                runs = []
            counts[category] += 1
            startup += why.startswith("(in Python's own start-up")
            if category != "clean" or options.v:
                codes = ",".join(str(run.code) for run in runs)
                print(f"{category:9} {case.name} (exit {codes}) {why}".rstrip(), flush=True)
    outside = f" ({startup} of the tracebacks in Python's own start-up, before dealbook's first line)" if startup else ""
    print(f"{len(cases)} cases, {counts['clean']} handled cleanly, {counts['traceback']} tracebacks, "
          f"{counts['data-loss']} data-loss, {counts['exec']} code execution{outside}")


if __name__ == "__main__":
    sys.exit(main())
