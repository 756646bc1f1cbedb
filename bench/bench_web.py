"""Load test of the web workspace on localhost: concurrent clients saving answers through ``dealbook serve``.

    python bench/bench_web.py [--clients 20] [--saves 50]

Starts ``dealbook serve`` (waitress) on a free 127.0.0.1 port over a scratch
workspace of copies of an example deal, and runs three bounded scenarios, each
``clients`` threads × ``saves`` saves, every save a real HTTP round trip as
htmx sends it (the whole form, the field's version, the CSRF token):

- one client alone: the round trip of a save without other clients;
- different deals: each client saves one answer on its own deal;
- same deals: five clients per deal, each saving its own answer;
- same answer: every client saves the same answer of one deal, so most saves
  are refused as stale (optimistic concurrency) and retried from the version
  the refusal returns.

Afterwards the files are read back with the engine. A lost update is an
accepted save whose value is not in the file although no later accepted save
replaced it: for the first two scenarios, each (deal, answer) must hold its
client's last accepted value; for the third, every accepted save must have
been based on the version the previous accepted save produced (no two based on
one version) and the file must hold the last one. Prints figures; asserts nothing.
Only loopback is ever contacted, and every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEAL = REPO / "examples" / "deals" / "eu-saas-crm.yaml"
#: Answers asked for the example deal, with the values a client cycles through.
QUESTIONS = {
    "user_count": lambda client, number: str(1000 + client * 100 + number),
    # never the example's own value (4): a save back to a version seen before would read as two saves on one version
    "business_units": lambda client, number: str(1000 + client * 100 + number),
    "user_growth_pct": lambda client, number: str(number),
    "annual_value": lambda client, number: f"EUR {400_000 + client * 1000 + number}",
    "term_years": lambda client, number: str(number % 10 + 1),
}
_VERSION = re.compile(r'name="version\.answer\.(?P<question>[a-z_]+)" value="(?P<version>[0-9a-f]+)"')
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TIMEOUT = 10.0


@dataclass
class Client:
    """One browser: its own connection, cookie and CSRF token."""

    port: int
    deal: str
    question: str
    number: int
    cookie: str = ""
    csrf: str = ""
    version: str = ""
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    accepted: list[tuple[str, str, str]] = field(default_factory=list)  # (base, value, new version)
    refused: int = 0

    def __post_init__(self) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)

    def request(self, method: str, path: str, body: str = "") -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"})
        self.connection.request(method, path, body=body or None, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8")
        cookie = response.getheader("Set-Cookie")
        if cookie and "dealbook_csrf=" in cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, text

    def open(self) -> None:
        status, page = self.request("GET", f"/deals/{self.deal}")
        if status != 200:
            raise RuntimeError(f"GET /deals/{self.deal}: {status}")
        self.csrf = _CSRF.search(page)[1]
        self.version = {match["question"]: match["version"] for match in _VERSION.finditer(page)}[self.question]

    def save(self, value: str) -> None:
        key = f"answer.{self.question}"
        body = urllib.parse.urlencode({"csrf": self.csrf, f"version.{key}": self.version, key: value})
        start = time.perf_counter()
        try:
            status, text = self.request("POST", f"/deals/{self.deal}/fields/{key}", body)
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{type(error).__name__}: {error}")
            self.connection.close()
            return
        self.latencies.append(time.perf_counter() - start)
        versions = {match["question"]: match["version"] for match in _VERSION.finditer(text)}
        if status != 200 or self.question not in versions:
            self.errors.append(f"HTTP {status}: {text[:120]!r}")
            return
        base, self.version = self.version, versions[self.question]
        if "changed elsewhere" in text:
            self.refused += 1
        elif "Not saved" in text:
            self.errors.append(f"refused value {value!r}: {text[:160]!r}")
        else:
            self.accepted.append((base, value, self.version))


def run(clients: list[Client], saves: int) -> float:
    def work(client: Client) -> None:
        try:
            client.open()
        except (OSError, RuntimeError, http.client.HTTPException, TypeError, KeyError) as error:
            client.errors.append(f"open: {error}")
            return
        for number in range(1, saves + 1):
            client.save(QUESTIONS[client.question](client.number, number))
        client.connection.close()  # as a browser closes an idle connection: the server keeps none open between scenarios

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=saves * TIMEOUT)
    return time.perf_counter() - start


def lost_updates(clients: list[Client], folder: Path, playbook, shared: bool) -> int:
    from dealbook.deal.answers import coerce_answer
    from dealbook.intake.questionnaire import load_sheet
    from dealbook.web.workspace import field_version

    lost = 0
    if not shared:
        for client in clients:
            if not client.accepted:
                continue
            stored = load_sheet(folder / f"{client.deal}.yaml", playbook).answers.get(client.question)
            expected = coerce_answer(playbook.questions_by_id[client.question], client.accepted[-1][1], "EUR")
            lost += stored != expected
        return lost
    accepted = [entry for client in clients for entry in client.accepted]
    bases = [base for base, _, _ in accepted]
    lost += len(bases) - len(set(bases))  # two saves accepted on one version: one overwrote the other unseen
    produced = {version for _, _, version in accepted}
    ends = [entry for entry in accepted if entry[2] not in set(bases)]  # versions no accepted save was based on
    client = clients[0]
    stored = load_sheet(folder / f"{client.deal}.yaml", playbook).answers.get(client.question)
    lost += len(ends) != 1 or field_version(stored) != ends[0][2] or not produced
    return lost


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user and system) of the server and its workers, or of this load generator; 0 where /proc is missing."""
    if pid is None:
        times = os.times()
        return times.user + times.system
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):  # the server and its worker processes
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def report(name: str, clients: list[Client], seconds: float, lost: int, used: tuple[float, float]) -> None:
    latencies = sorted(latency for client in clients for latency in client.latencies)
    errors = [error for client in clients for error in client.errors]
    accepted = sum(len(client.accepted) for client in clients)
    refused = sum(client.refused for client in clients)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000 if len(latencies) > 1 else float("nan")
    per_save = [f"{1000 * part / max(len(latencies), 1):.2f} ms" for part in used]
    print(f"| {name} | {len(latencies)} | {p50:.1f} ms | {p95:.1f} ms | {len(latencies) / seconds:.0f}/s | "
          f"{accepted} | {refused} | {len(errors)} | {lost} | {per_save[0]} | {per_save[1]} |")
    for error in errors[:5]:
        print(f"    error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--saves", type=int, default=50)
    parser.add_argument("--workers", type=int, default=None, help="server processes (default: dealbook serve's own)")
    options = parser.parse_args()

    import dealbook

    playbook = dealbook.load_playbook("itam")
    with tempfile.TemporaryDirectory(prefix="dealbook-bench-web-") as scratch:
        folder = Path(scratch) / "deals"
        folder.mkdir()
        for number in range(options.clients):
            shutil.copy(DEAL, folder / f"deal-{number:02d}.yaml")
        workers = ["--workers", str(options.workers)] if options.workers else []
        process = subprocess.Popen([sys.executable, "-m", "dealbook.cli", "serve", "--deals", str(folder), "--port", "0", *workers],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first_line = process.stdout.readline()
            port = int(re.search(r"127\.0\.0\.1:(\d+)", first_line)[1])
            # Drain the server's output (waitress logs a queue warning under load): a full pipe would stop the server.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            names = list(QUESTIONS)
            print(f"dealbook serve (waitress) on 127.0.0.1:{port}; {options.clients} clients × {options.saves} saves each")
            print(f"server: {first_line.strip()}\n")
            print("| scenario | saves | p50 | p95 | throughput | accepted | refused as stale | errors | lost updates "
                  "| server CPU per save | load generator CPU per save |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            scenarios = {
                "one client alone (the round trip without queueing)": [Client(port, "deal-18" if options.clients > 18 else "deal-00", "user_count", 0)],
                "different deals": [Client(port, f"deal-{number:02d}", "user_count", number) for number in range(options.clients)],
                "same deals (5 clients each, own answers)": [
                    Client(port, f"deal-{number // len(names):02d}", names[number % len(names)], number) for number in range(options.clients)],
                "same answer of one deal": [Client(port, "deal-19" if options.clients > 19 else "deal-00", "business_units", number)
                                            for number in range(options.clients)],
            }
            for name, clients in scenarios.items():
                used = cpu_seconds(process.pid), cpu_seconds()
                seconds = run(clients, options.saves)
                used = cpu_seconds(process.pid) - used[0], cpu_seconds() - used[1]
                report(name, clients, seconds, lost_updates(clients, folder, playbook, shared=name.startswith("same answer")), used)
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
