"""What a review finds, as frozen data: one :class:`Finding` per applicable item we look for.

Findings are data only; :mod:`.markup` turns them into Word comments and
tracked changes and :mod:`.issues` into the issues list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..deal.evaluation import Evaluation
from ..deal.tiers import Tier
from ..errors import Location
from .reading import Paper

__all__ = ["Anchor", "ValueRead", "FlagHit", "Finding", "Review"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """The exact words that triggered a finding: a paragraph and character offsets in its text."""

    paragraph: int  # index into Paper.paragraphs
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ValueRead:
    """A term value read from the vendor's words and placed against our positions."""

    term: str
    title: str
    value: float
    shown: str  # our reading in the term's unit: "60 days"
    words: str  # the vendor's words: "within 60 days"
    tier: Tier
    anchor: Anchor
    ask: str  # the value we open at, formatted: "14 days"
    pattern: Location


@dataclass(frozen=True, slots=True)
class FlagHit:
    """A red flag that matched, scored by its severity."""

    says: str
    severity: str
    tier: Tier
    anchor: Anchor
    pattern: Location


@dataclass(frozen=True, slots=True)
class Finding:
    """Where one applicable item stands in the vendor's paper."""

    item: str
    title: str
    module: str
    priority: str
    tier: Tier
    opening: int  # the tier we open at for this deal (0 = preferred)
    ask: str  # our opening position's summary, rendered for the deal
    clause: str | None  # our opening clause language, rendered, if the item has one
    owner: str  # department name
    approvers: tuple[str, ...]  # who must approve if we accept the vendor's text as it is
    reference: str = ""  # the clause as the document shows it: "5.5(b)"; "" when not found
    excerpt: str = ""  # the vendor's words around the match
    anchor: Anchor | None = None
    values: tuple[ValueRead, ...] = ()
    flags: tuple[FlagHit, ...] = ()
    pattern: Location | None = None  # the topic pattern that located the clause
    also: tuple[str, ...] = ()  # other clauses where the topic appears
    fallbacks: tuple[str, ...] = ()  # the fallbacks still open after our opening, rendered
    walk_away: str = ""
    rationale: str = ""
    section: str = ""  # where a missing clause goes: the section it belongs in ("3 Privacy & Security"), "" for Additional terms
    section_at: int | None = None  # that section's heading, as an index into Paper.paragraphs

    @property
    def found(self) -> bool:
        return self.anchor is not None

    @property
    def meets(self) -> bool:
        """The paper already gives us at least the position we open at."""
        return self.tier.scored and not self.tier.below(self.opening)

    @property
    def needs_change(self) -> bool:
        """The paper falls below our opening position (or lacks the clause): we propose our language."""
        return self.tier.below(self.opening) or self.tier.kind == "not_found"


@dataclass(frozen=True, slots=True)
class Review:
    """A vendor's paper reviewed against one deal."""

    paper: Paper
    evaluation: Evaluation
    findings: tuple[Finding, ...]  # sorted: priority, then gap severity, then playbook order
    unchecked: tuple[str, ...]  # applicable items the playbook has no patterns for (titles)

    @property
    def issues(self) -> tuple[Finding, ...]:
        """Findings where the paper falls short, lacks the clause, or could not be measured."""
        return tuple(finding for finding in self.findings if not finding.meets)

    @property
    def met(self) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.meets)

    @property
    def flag_hits(self) -> tuple[tuple[Finding, FlagHit], ...]:
        """Red flags that matched a clause with no term value read there."""
        hits = []
        for finding in self.findings:
            valued = {value.anchor.paragraph for value in finding.values}
            hits += [(finding, flag) for flag in finding.flags if flag.anchor.paragraph not in valued]
        return tuple(hits)
