"""A synthetic playbook of a given size, written as real YAML files.

Used by the benchmarks (and usable by tests): ``write_playbook(folder,
items=50, rules=100)`` gives 50 items with an ``applies_when`` each and 100
rules, so 150 conditions, over 25 questions and 10 facts.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

CHOICES = ["alpha", "beta", "gamma", "delta"]


def _questions() -> dict:
    questions = []
    for number in range(10):
        questions.append({"id": f"choice_{number}", "text": f"Choice {number}?", "help": "Pick one.", "type": "choice",
                          "options": [{"value": value, "label": value.title()} for value in CHOICES]})
    for number in range(10):
        questions.append({"id": f"flag_{number}", "text": f"Flag {number}?", "help": "Yes or no.", "type": "bool", "default": False})
    for number in range(5):
        questions.append({"id": f"amount_{number}", "text": f"Amount {number}?", "help": "A number.", "type": "money", "minimum": 0})
    facts = [
        {"id": f"fact_{number}", "description": f"Fact {number}.",
         "expr": f'flag_{number} and choice_{number} in ["alpha", "beta"] or amount_{number % 5} >= {number * 100000}'}
        for number in range(10)
    ]
    return {"id": "synthetic", "title": "Synthetic", "questions": questions, "facts": facts}


def _condition(rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:
        return f'choice_{rng.randrange(10)} == "{rng.choice(CHOICES)}" and flag_{rng.randrange(10)}'
    if kind == 1:
        return f"amount_{rng.randrange(5)} >= {rng.randrange(1, 20) * 50000} or fact_{rng.randrange(10)}"
    if kind == 2:
        return f'choice_{rng.randrange(10)} in ["{rng.choice(CHOICES)}", "{rng.choice(CHOICES)}"] and not flag_{rng.randrange(10)}'
    return f"fact_{rng.randrange(10)} and amount_{rng.randrange(5)} < {rng.randrange(1, 20) * 50000}"


def _module(number: int, items: int, rules: int, rng: random.Random, first_item: int) -> dict:
    item_ids = [f"item_{first_item + index}" for index in range(items)]
    return {
        "id": f"module_{number}",
        "number": number + 1,
        "title": f"Module {number}",
        "summary": "Synthetic module.",
        "terms": [{"id": f"term_{number}", "title": f"Term {number}", "unit": "days", "better": "higher",
                   "target": 90, "fallback": 60, "walk_away": 30, "owner": "legal"}],
        "items": [
            {
                "id": item_id, "title": f"Item {item_id}", "objective": "Objective.", "applies_when": _condition(rng),
                "owner": "legal", "priority": rng.choice(["critical", "high", "medium", "low"]), "covers": ["M1.1"],
                "terms": [f"term_{number}"],
                "positions": {
                    "preferred": {"summary": "Preferred {{ terms.term_" + str(number) + " }}.", "clause": "{{ deal.vendor }} shall give {{ terms.term_" + str(number) + " }}."},
                    "fallbacks": [{"summary": "Fallback one."}, {"summary": "Fallback two."}],
                    "walk_away": {"summary": "Walk away."},
                },
                "rationale": "Rationale.",
            }
            for item_id in item_ids
        ],
        "rules": [
            {
                "id": f"rule_{number}_{index}", "when": _condition(rng), "because": "Because.",
                "then": rng.choice([
                    [{"raise_priority": {"items": [rng.choice(item_ids)], "to": "critical"}}],
                    [{"open_at": {"items": [rng.choice(item_ids)], "tier": 1}}],
                    [{"set_term": {"term": f"term_{number}", "target": 120}}],
                    [{"flag": {"severity": "high", "message": "Flag."}}, {"require_approver": {"approver": "legal", "reason": "Reason."}}],
                    [{"include": [rng.choice(item_ids)]}],
                    [{"exclude": [rng.choice(item_ids)]}],
                ]),
            }
            for index in range(rules)
        ],
    }


def write_playbook(folder: Path, items: int = 50, rules: int = 100, modules: int = 5, seed: int = 7) -> Path:
    """Write a synthetic playbook into ``folder`` and return the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "modules").mkdir(exist_ok=True)
    manifest = {
        "id": "synthetic", "title": "Synthetic playbook", "version": "1.0.0", "description": "Benchmark playbook.",
        "departments": [{"id": "legal", "name": "Legal"}],
        "questionnaire": ["questions.yaml"],
        "modules": [f"modules/module_{number}.yaml" for number in range(modules)],
    }
    (folder / "playbook.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    (folder / "questions.yaml").write_text(yaml.safe_dump(_questions(), sort_keys=False))
    for number in range(modules):
        module = _module(number, items // modules, rules // modules, rng, number * (items // modules))
        (folder / "modules" / f"module_{number}.yaml").write_text(yaml.safe_dump(module, sort_keys=False, width=200))
    return folder


def random_answers(rng: random.Random) -> dict:
    """One random, valid set of answers for the synthetic playbook."""
    answers: dict = {f"choice_{number}": rng.choice(CHOICES) for number in range(10)}
    answers.update({f"flag_{number}": rng.random() < 0.5 for number in range(10)})
    answers.update({f"amount_{number}": rng.randrange(0, 2_000_000) for number in range(5)})
    return answers
