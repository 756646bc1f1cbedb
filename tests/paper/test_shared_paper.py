"""Real vendor paper in ../shared/paper against expected-findings files written by reading it as a negotiator.

Precision is over the clauses the reviewer located (clause, item and tier must
all agree with the file); recall is over every expected entry, including the
items the file says the paper lacks. Skipped when ../shared/paper is absent.

``expected/*.yaml`` are the tuned documents: the patterns were developed on
them (three of them after a first, blind measurement), and they must reach
the targets. ``expected/held-out/blind/*.yaml`` were written and committed
before the reviewer had ever run on their documents, and the patterns are
not tuned on them: their figures are printed and held only to a floor that
catches a collapse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import dealbook
import pytest
import yaml
from dealbook.paper import review_file

REPO = Path(__file__).parents[2]
# the shared folder beside the repository checkout (one level further up from a worktree in /work/wt)
SHARED = next((path for path in (REPO / ".." / "shared" / "paper", REPO / ".." / ".." / "shared" / "paper") if path.is_dir()),
              REPO / ".." / "shared" / "paper")
EXPECTED = REPO / "tests" / "fixtures" / "paper" / "expected"
FILES = sorted(EXPECTED.glob("*.yaml"))
BLIND = sorted((EXPECTED / "held-out" / "blind").glob("*.yaml"))
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
TIER = r"^(meets-preferred|fallback-[1-9]|walk-away|beyond-walk-away|unscored)$"


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    loose_precision: float  # clause and item right, tier ignored
    loose_recall: float
    missed: set
    extra: set

    def line(self, name: str) -> str:
        return (f"{name}: precision {self.precision:.2f}, recall {self.recall:.2f} (tier ignored: {self.loose_precision:.2f} / "
                f"{self.loose_recall:.2f}); missed {sorted(self.missed)}; extra {sorted(self.extra)}")


def _share(part: set, whole: set) -> float:
    return len(part) / len(whole) if whole else 1.0


def score(expected_file: Path) -> Score:
    expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    review = review_file(dealbook.evaluate_file(REPO / expected["deal"]), SHARED / expected["document"])
    # clauses as the reviewer names them ("5.5(b)", "Fees › 2"), curly and straight quotes alike
    wanted = {(entry["clause"].translate(QUOTES), entry["item"], entry["tier"]) for entry in expected["findings"]}
    wanted |= {("-", item, "not-found") for item in expected["not_found"]}
    located = {(finding.reference.translate(QUOTES), finding.item, finding.tier.id) for finding in review.findings if finding.found}
    missing = {("-", finding.item, "not-found") for finding in review.findings if not finding.found}
    predicted = located | missing

    def pairs(entries: set) -> set:
        return {(clause, item) for clause, item, _ in entries}

    loose_located = {entry for entry in located if entry[:2] in pairs(wanted)}
    return Score(_share(located & wanted, located), _share(predicted & wanted, wanted),
                 _share(loose_located, located), _share(pairs(predicted) & pairs(wanted), pairs(wanted)),
                 wanted - predicted, located - wanted)


@pytest.mark.parametrize("expected_file", FILES, ids=[path.stem for path in FILES])
def test_precision_and_recall(expected_file: Path) -> None:
    if not SHARED.is_dir():
        pytest.skip("../shared/paper is not present")
    result = score(expected_file)
    print(result.line(f"{expected_file.stem} (tuned)"))
    assert result.recall >= 0.8, f"recall {result.recall:.2f}; missed {sorted(result.missed)}"
    assert result.precision >= 0.9, f"precision {result.precision:.2f}; not expected {sorted(result.extra)}"


@pytest.mark.parametrize("expected_file", FILES, ids=[path.stem for path in FILES])
def test_expected_files_are_well_formed(expected_file: Path) -> None:
    check_expected_file(yaml.safe_load(expected_file.read_text(encoding="utf-8")))


def check_expected_file(expected: dict) -> None:
    """The deal exists, every item named applies to it, every tier is one the reviewer can report."""
    applicable = {result.id for result in dealbook.evaluate_file(REPO / expected["deal"]).items}
    named = [entry["item"] for entry in expected["findings"]] + expected["not_found"]
    assert set(named) <= applicable, sorted(set(named) - applicable)
    assert all(re.match(TIER, entry["tier"]) for entry in expected["findings"])
    assert len({(entry["clause"], entry["item"]) for entry in expected["findings"]}) == len(expected["findings"])


@pytest.mark.parametrize("expected_file", BLIND, ids=[path.stem for path in BLIND])
def test_blind_documents(expected_file: Path) -> None:
    expected = yaml.safe_load(expected_file.read_text(encoding="utf-8"))
    assert expected["held_out"] is True and expected["blind"] is True
    check_expected_file(expected)
    if not SHARED.is_dir():
        pytest.skip("../shared/paper is not present")
    result = score(expected_file)
    print(result.line(f"{expected_file.stem} (blind)"))
    # the patterns are not tuned on these documents: the floor only catches a collapse (docs/review.md has the figures);
    # a paper with few clauses can have no tier right, so the floor is on locating the right clauses
    assert result.loose_precision > 0 and result.recall >= 0.15, f"blind figures collapsed: {result.line(expected_file.stem)}"
