"""``dealbook new``: a minimal playbook to start from, valid, lint-clean and tested as created.

The scaffold has everything a playbook has, once: ``playbook.yaml`` with two
departments, one questions file (a choice, a yes/no and a money question, one
fact), one module (a term, two items with positions and clause language, two
rules), one scenario file whose scenarios exercise every condition both ways,
and the JSON Schemas — narrowed to the new playbook — in ``schemas/``, named
by the modeline at the top of every file so that an editor completes and
checks while the author types.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputFileError, Location
from ..infra.files import write_atomic
from ..playbook.load import load_playbook
from ..playbook.sources import PLAYBOOK_FILE
from .schemas import write_schemas

__all__ = ["SCAFFOLD_FILES", "scaffold_playbook"]

_PLAYBOOK = """\
# yaml-language-server: $schema=schemas/playbook.schema.json
id: {id}
title: {title}
version: 0.1.0
description: >-
  What this playbook is for: the kind of contract, the organisation that
  negotiates it, and who keeps the playbook up to date.
departments:
  - {{id: procurement, name: Procurement, description: Runs the negotiation and owns the commercial terms.}}
  - {{id: legal, name: Legal, description: Owns the contract language and signs off deviations.}}
questionnaire:
  - questions/deal.yaml
modules:
  - modules/01-commercial.yaml
"""

_QUESTIONS = """\
# yaml-language-server: $schema=../schemas/questions.schema.json
id: deal
title: The deal
description: What we buy, how it is delivered and what it is worth.
questions:
  - id: delivery
    text: How is the service delivered?
    help: Hosted means the vendor runs it for us; on-premises means we run it ourselves.
    type: choice
    options:
      - {value: hosted, label: Hosted by the vendor}
      - {value: on_prem, label: On our own servers}
    required: true
  - id: annual_value
    text: What is the deal worth per year?
    help: The total yearly fees in the deal currency, before any discount is applied.
    type: money
    minimum: 0
    required: true
  - id: renewal
    text: Is this a renewal of an existing contract?
    help: Answer yes when we already use the product under a contract that is ending.
    type: bool
    default: false
facts:
  - id: large_deal
    description: A deal large enough to need the executive sponsor's attention.
    expr: annual_value >= 250000
"""

_MODULE = """\
# yaml-language-server: $schema=../schemas/module.schema.json
id: commercial
number: 1
title: Commercial terms
summary: Price, price increases and who signs off a large commitment.
terms:
  - id: price_increase_cap
    title: Yearly price increase cap
    unit: "%"
    better: lower
    target: 3
    fallback: 5
    walk_away: 7
    owner: procurement
    description: The most the vendor may raise the fees from one contract year to the next.
items:
  - id: price_protection
    title: Price protection on renewal
    objective: Fees rise at most by an agreed cap each year, for the whole term.
    owner: procurement
    priority: medium
    terms: [price_increase_cap]
    positions:
      preferred:
        summary: Increases capped at {{ terms.price_increase_cap }} a year.
        clause: >-
          {{ deal.vendor }} shall not increase the Fees by more than
          {{ terms.price_increase_cap.target }}% in any contract year.
      fallbacks:
        - summary: Increases capped at {{ terms.price_increase_cap.fallback }}% a year.
          clause: >-
            Any increase of the Fees is limited to {{ terms.price_increase_cap.fallback }}%
            per contract year.
        - summary: Increases up to {{ terms.price_increase_cap.walk_away }}% a year, announced 90 days ahead.
          clause: >-
            The Fees may increase by at most {{ terms.price_increase_cap.walk_away }}% per contract
            year, on at least 90 days' written notice before the renewal date.
      walk_away:
        summary: Uncapped increases, or a cap above {{ terms.price_increase_cap.walk_away }}%.
    red_flags:
      - Prices "in effect at the time of renewal" with no cap.
    rationale: Without a cap, the discount won in the first year is taken back at the first renewal.
    talking_points:
      - We plan budgets years ahead; a predictable price is worth more to us than a deeper first-year discount.
  - id: hosting_terms
    title: Hosting and service commitments
    objective: The vendor commits to where it hosts our data and how available the service is.
    applies_when: delivery == "hosted"
    owner: legal
    priority: high
    positions:
      preferred:
        summary: Hosting location and availability are written into the contract.
        clause: >-
          {{ deal.vendor }} shall host the Service in the locations listed in the Order
          and make it available as set out in the Service Levels.
      fallbacks:
        - summary: Hosting location in the contract; availability in a referenced policy.
      walk_away:
        summary: Hosting location and availability left to the vendor's discretion.
    rationale: A hosted service we cannot hold to a location or an availability is a risk we cannot price.
rules:
  - id: large_deal_controls
    when: large_deal
    because: A large commitment deserves the tightest cap and the sponsor's sign-off.
    then:
      - raise_priority: {items: [price_protection], to: high}
      - set_term: {term: price_increase_cap, target: 2, fallback: 3}
      - require_approver: {approver: legal, reason: "A yearly value of 250,000 or more."}
  - id: renewal_leverage
    when: renewal and not large_deal
    because: On a small renewal our leverage is switching away; open at the fallback to close quickly.
    then:
      - open_at: {items: [price_protection], tier: 1}
"""

_TESTS = """\
# yaml-language-server: $schema=../schemas/scenarios.schema.json
scenarios:
  - name: Large hosted deal
    answers: {delivery: hosted, annual_value: 400000, renewal: false}
    expect:
      items: [price_protection, hosting_terms]
      priorities: {price_protection: high}
      terms: {price_increase_cap: {target: 2, fallback: 3}}
      approvers: [legal]
  - name: Small on-premises renewal
    answers: {delivery: on_prem, annual_value: 40000, renewal: true}
    expect:
      items: [price_protection]
      not_items: [hosting_terms]
      tiers: {price_protection: 1}
      not_approvers: [legal]
  - name: Large renewal keeps the preferred opening
    answers: {delivery: hosted, annual_value: 300000, renewal: true}
    expect:
      tiers: {price_protection: 0}
"""

#: The files the scaffold writes (schemas aside), by path inside the new folder.
SCAFFOLD_FILES: dict[str, str] = {
    PLAYBOOK_FILE: _PLAYBOOK,
    "questions/deal.yaml": _QUESTIONS,
    "modules/01-commercial.yaml": _MODULE,
    "tests/basics.yaml": _TESTS,
}


def _playbook_id(folder: Path) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", folder.resolve().name.lower()).strip("-_")
    return name if re.match(r"^[a-z]", name) else f"playbook-{name}".rstrip("-")


def scaffold_playbook(folder: Path) -> list[Path]:
    """Write a new playbook into ``folder`` (absent or empty), load it, and write its schemas; returns every file written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputFileError(Location(str(folder)), "already exists and is not empty; dealbook new writes a playbook into a new or empty folder")
    identifier = _playbook_id(folder)
    title = identifier.replace("-", " ").replace("_", " ").capitalize() + " playbook"
    written = []
    for name, text in SCAFFOLD_FILES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        written.append(write_atomic(path, text.format(id=identifier, title=title) if name == PLAYBOOK_FILE else text))
    playbook = load_playbook(folder, use_cache=False)
    return [*written, *write_schemas(folder / "schemas", playbook)]
