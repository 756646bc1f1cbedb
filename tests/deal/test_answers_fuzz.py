"""Property-based: any answers file — valid or broken values of every question type, random text, huge numbers,
wrong types, YAML or JSON — gives an evaluation or located problems, never another exception."""

from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path

import dealbook
import pytest
import yaml

from ..contract import holds

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NUMBERS = st.one_of(
    st.integers(), st.integers(300, 4400).map(lambda digits: f"HUGE{digits}"), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["450,000", "$1.2m", "EUR 1,200.50", "1,5", "9" * 5000, "1e999", "-0", "€", "12k USD"]),
)
TEXT = st.text(max_size=200) | st.text(alphabet=st.characters(codec="utf-8"), max_size=50)
WRONG = st.one_of(st.none(), st.booleans(), st.lists(st.integers() | TEXT, max_size=5), st.dictionaries(TEXT, st.integers(), max_size=3))
BY_TYPE = {
    "choice": st.sampled_from(["saas", "on_prem", "SaaS", "Saas ", "cloud"]),
    "multi-choice": st.lists(st.sampled_from(["gdpr", "hipaa", "GDPR", "pci"]), max_size=4),
    "money": NUMBERS,
    "number": NUMBERS,
    "integer": NUMBERS,
    "percent": NUMBERS | st.sampled_from(["15%", "150 %", "%"]),
    "bool": st.sampled_from([True, False, "yes", "no", "Y", "nope", 1]),
    "date": st.sampled_from(["2026-03-31", "2026-02-30", "31/03/2026", "0000-01-01", "2026-13-01"]) | TEXT,
    "text": TEXT,
}
DEAL = st.fixed_dictionaries({}, optional={
    "name": TEXT | st.none(), "vendor": TEXT | st.none(), "currency": st.sampled_from(["EUR", "usd", "EURO", None]),
    "date": BY_TYPE["date"], "customer": TEXT | WRONG,
})


@st.composite
def answers_files(draw, playbook):
    questions = playbook.questions
    answers = {}
    for question in draw(st.lists(st.sampled_from(questions), max_size=len(questions), unique_by=lambda q: q.id)):
        answers[question.id] = draw(BY_TYPE.get(question.type, TEXT) | WRONG)
    if draw(st.booleans()):
        answers[draw(st.text(min_size=1, max_size=20))] = draw(TEXT)
    content = {"deal": draw(DEAL), "answers": answers}
    if draw(st.integers(0, 9)) == 0:
        content = draw(WRONG)
    fmt = draw(st.sampled_from(["yaml", "json", "mutated"]))
    if fmt == "json":
        text = json.dumps(content, default=str, ensure_ascii=draw(st.booleans()))
    else:
        text = yaml.safe_dump(content, allow_unicode=True, width=math.inf) if content is not None else ""
        if fmt == "mutated" and text:
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.text(max_size=5)) + text[at + draw(st.integers(0, 5)):]
    # integers of hundreds or thousands of digits, written unquoted (Hypothesis itself cannot print them)
    text = re.sub(r"""['"]?HUGE(\d+)['"]?""", lambda match: "9" * int(match[1]), text)
    return ("deal.json" if fmt == "json" else "deal.yaml"), text


@given(data=st.data())
def test_any_answers_file_gives_a_result_or_located_problems(mini, data):
    name, text = data.draw(answers_files(mini))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode("utf-8", "replace"))

        def evaluate():
            evaluation = dealbook.evaluate(mini, dealbook.load_answers(path, mini, require_complete=False))
            return [(result.item.id, result.priority) for result in evaluation.items], evaluation.flags, evaluation.approvals

        holds(evaluate, (str(path),))
