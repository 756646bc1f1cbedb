"""The exact wording and location of the messages authors meet most, one case each."""

from pathlib import Path

import dealbook
import pytest
from dealbook.errors import ValidationErrors

from ..conftest import edit


def reported(root: Path) -> list[str]:
    """Every problem of the playbook at ``root`` as printed, with file names relative to ``root``."""
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(root, use_cache=False)
    return [str(problem).replace(f"{root}/", "") for problem in raised.value.problems]


MESSAGES = [
    ("modules/commercial.yaml", "applies_when: big", "applies_when: big && annual_value > 5",
     "modules/commercial.yaml:37:19: invalid condition 'big && annual_value > 5': write 'and' instead of '&&' (conditions use and, or, not and ==) [item 'exec_signoff', applies_when]"),
    ("modules/commercial.yaml", "when: annual_value < 50000", "when: annual_value = 50000",
     "modules/commercial.yaml:55:11: invalid condition 'annual_value = 50000': write '==' instead of '=' (conditions use and, or, not and ==) [rule 'small_deal', when]"),
    ("modules/commercial.yaml", "when: annual_value < 50000", "when: big || personal_data",
     "modules/commercial.yaml:55:11: invalid condition 'big || personal_data': write 'or' instead of '||' (conditions use and, or, not and ==) [rule 'small_deal', when]"),
    ("modules/commercial.yaml", "when: annual_value < 50000", "when: '!big'",
     "modules/commercial.yaml:55:11: invalid condition '!big': write 'not' instead of '!' (conditions use and, or, not and ==) [rule 'small_deal', when]"),
    ("modules/commercial.yaml", "when: annual_value < 50000", "when: annual_value | attr('x')",
     "modules/commercial.yaml:55:11: invalid condition \"annual_value | attr('x')\": filter 'attr' not allowed in conditions (allowed: abs, float, int, length, lower, round, upper) [rule 'small_deal', when]"),
    ("modules/commercial.yaml", "owner: exec\n    priority: high", "owner: purchasing\n    priority: high",
     "modules/commercial.yaml:38:12: unknown department 'purchasing'; the departments are exec, legal, privacy, procurement [item 'exec_signoff', owner]"),
    ("modules/commercial.yaml", "when: annual_value < 50000", "when: deal.region == 'EU'",
     "modules/commercial.yaml:55:11: unknown deal field 'deal.region'; the deal fields are deal.name, deal.vendor, deal.customer, deal.product, deal.currency, deal.date, deal.negotiator [rule 'small_deal', when]"),
    ("modules/data.yaml", "id: hosting_review", "id: dpa",
     "modules/data.yaml:33:9: duplicate item id 'dpa' (first defined on line 16) [item 'dpa', id]"),
    ("modules/data.yaml", "id: hosting_review", "id: price_protection",
     "modules/data.yaml:33:9: duplicate item id 'price_protection' (first defined at modules/commercial.yaml:16) [item 'price_protection', id]"),
    ("playbook.yaml", "  - modules/data.yaml", "  - modules/dat.yaml",
     "playbook.yaml:15:5: file not found: modules/dat.yaml (did you mean 'modules/data.yaml'?) [modules/1]"),
    ("modules/commercial.yaml", "objective: Get the sponsor's approval.", "objective: Get {{ deal.vendor }}'s approval.",
     "modules/commercial.yaml:36:16: 'objective' is printed as written, so '{{ … }}' would appear literally in the pack; only position summaries, clauses, rationales, talking points and flag messages are templates [item 'exec_signoff', objective]"),
    ("modules/commercial.yaml", "summary: Cap at {{ terms.price_cap }}.", "summary: Cap at {{ terms.price_cap | currency }}.",
     "modules/commercial.yaml:25:18: unknown filter 'currency' in template; dealbook's own filters are money, number, label, and Jinja's built-in ones (upper, join, default, ...) work too [item 'price_protection', positions/preferred/summary]"),
    ("modules/commercial.yaml", "      - open_at: {items: [price_protection], tier: 1}", "      - open_at: {items: [price_protektion], tier: 1}",
     "modules/commercial.yaml:58:9: unknown item 'price_protektion' (did you mean 'price_protection'?) [rule 'small_deal', effect 1]"),
]


@pytest.mark.parametrize(("file", "old", "new", "line"), MESSAGES, ids=[case[3].split(": ", 1)[1][:50] for case in MESSAGES])
def test_message_wording_and_location(mini_copy, file, old, new, line):
    edit(mini_copy / file, old, new)
    assert line in reported(mini_copy)


@pytest.fixture
def itam_copy(tmp_path: Path) -> Path:
    import shutil

    from ..conftest import REPO

    shutil.copytree(REPO / "playbooks" / "itam", tmp_path / "itam")
    return tmp_path / "itam"


def test_covers_is_checked_against_the_outline_of_a_playbook_that_has_one(itam_copy):
    edit(itam_copy / "modules/01-scope.yaml", "    covers: [M1.1]\n", "    covers: [M1.7]\n")
    edit(itam_copy / "modules/01-scope.yaml", "    covers: [M1.1]\n", "")
    lines = (itam_copy / "modules/01-scope.yaml").read_text(encoding="utf-8").splitlines()
    covers, item = lines.index("    covers: [M1.7]") + 1, lines.index("  - id: dispute_escalation") + 1
    assert reported(itam_copy) == [
        f"modules/01-scope.yaml:{covers}:14: 'M1.7' is not a topic of this playbook's outline (did you mean 'M1.6'?) [item 'signoff_authority', covers/0]",
        f"modules/01-scope.yaml:{item}:5: item 'dispute_escalation' names no outline topic; add 'covers:' with the codes it addresses, e.g. [M1.1] [item 'dispute_escalation']",
    ]


def test_covers_is_optional_for_a_playbook_without_an_outline(mini_copy):
    edit(mini_copy / "modules/commercial.yaml", "    covers: [M3.2]\n", "")
    edit(mini_copy / "modules/commercial.yaml", "    covers: [M1.1]\n", "    covers: [pricing]\n")
    assert [item.covers for item in dealbook.load_playbook(mini_copy, use_cache=False).items][:2] == [(), ("pricing",)]
