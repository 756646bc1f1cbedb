"""dealbook new: the scaffold validates, lints, tests and checks clean; and eight typical mistakes in it, reported in one run."""

import re
from pathlib import Path

import dealbook
import pytest
from click.testing import CliRunner
from dealbook.authoring.exhaustive import check_exhaustive
from dealbook.authoring.lint import lint_playbook
from dealbook.authoring.scaffold import SCAFFOLD_FILES, scaffold_playbook
from dealbook.authoring.unlisted import unlisted_files
from dealbook.cli import main
from dealbook.cli.authoring import scenario_report
from dealbook.errors import InputFileError, ValidationErrors

from ..conftest import edit


@pytest.fixture
def scaffolded(tmp_path: Path) -> Path:
    folder = tmp_path / "saas-renewals"
    scaffold_playbook(folder)
    return folder


def test_the_new_playbook_validates_lints_tests_and_checks_clean(scaffolded):
    playbook = dealbook.load_playbook(scaffolded, use_cache=False)
    assert (playbook.id, playbook.title) == ("saas-renewals", "Saas renewals playbook")
    assert lint_playbook(playbook) == []
    text, failed = scenario_report(scaffolded)
    assert not failed and "3 scenarios: 3 passed, 0 failed" in text
    assert "condition outcomes:     8/8    100.0%" in text
    assert list(check_exhaustive(playbook).findings) == []
    assert unlisted_files(playbook) == []


def test_every_modeline_names_a_schema_the_scaffold_wrote(scaffolded):
    for name in SCAFFOLD_FILES:
        first = (scaffolded / name).read_text(encoding="utf-8").splitlines()[0]
        (target,) = re.findall(r"\$schema=(\S+)", first)
        assert ((scaffolded / name).parent / target).is_file(), (name, target)


def test_the_command_writes_the_scaffold_and_says_what_next(tmp_path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "pb")])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == f"next: dealbook validate {tmp_path / 'pb'} && dealbook lint {tmp_path / 'pb'} && dealbook test {tmp_path / 'pb'}"
    assert CliRunner().invoke(main, ["lint", str(tmp_path / "pb"), "--strict"]).exit_code == 0
    assert CliRunner().invoke(main, ["test", str(tmp_path / "pb")]).exit_code == 0


def test_a_folder_with_files_in_it_is_refused(scaffolded):
    with pytest.raises(InputFileError, match="already exists and is not empty"):
        scaffold_playbook(scaffolded)


MODULE = "modules/01-commercial.yaml"
QUESTIONS = "questions/deal.yaml"
#: Eight mistakes authors make, each with the line it must produce (files relative to the playbook).
MISTAKES = [
    (MODULE, "    when: renewal and not large_deal", "    when: renewal && !large_deal",
     "modules/01-commercial.yaml:71:11: invalid condition 'renewal && !large_deal': write 'and' instead of '&&' (conditions use and, or, not and ==) [rule 'large_deal_controls', when]"),
    (MODULE, "    owner: legal\n    priority: high", "    owner: purchasing\n    priority: high",
     "modules/01-commercial.yaml:49:12: unknown department 'purchasing'; the departments are legal, procurement [item 'hosting_terms', owner]"),
    (MODULE, "{{ deal.vendor }} shall host", "{{ deal.supplier }} shall host",
     "modules/01-commercial.yaml:54:17: unknown deal field 'deal.supplier'; the deal fields are deal.name, deal.vendor, deal.customer, deal.product, deal.currency, deal.date, deal.negotiator [item 'hosting_terms', positions/preferred/clause]"),
    (MODULE, "summary: Increases capped at {{ terms.price_increase_cap }} a year.", "summary: Increases capped at {{ terms.price_increase_cap | currency }} a year.",
     "modules/01-commercial.yaml:25:18: unknown filter 'currency' in template; dealbook's own filters are money, number, label, and Jinja's built-in ones (upper, join, default, ...) work too [item 'price_protection', positions/preferred/summary]"),
    (MODULE, "    objective: Fees rise at most", "    objective: Fees for {{ deal.product }} rise at most",
     "modules/01-commercial.yaml:19:16: 'objective' is printed as written, so '{{ … }}' would appear literally in the pack; only position summaries, clauses, rationales, talking points and flag messages are templates [item 'price_protection', objective]"),
    (MODULE, "      - open_at: {items: [price_protection], tier: 1}", "      - open_at: {items: [price_protections], tier: 1}",
     "modules/01-commercial.yaml:74:9: unknown item 'price_protections' (did you mean 'price_protection'?) [rule 'large_deal_controls', effect 1]"),
    (QUESTIONS, "    expr: annual_value >= 250000", "    expr: annual_value >= 250000 and delivery == \"hostd\"",
     "questions/deal.yaml:28:11: 'hostd' is not an option of question 'delivery' (did you mean 'hosted'?) [fact 'large_deal', expr]"),
    (MODULE, "  - id: renewal_leverage", "  - id: large_deal_controls",
     "modules/01-commercial.yaml:70:9: duplicate rule id 'large_deal_controls' (first defined on line 63) [rule 'large_deal_controls', id]"),
]


def test_eight_typical_mistakes_are_all_reported_in_one_run(scaffolded):
    for file, old, new, _ in MISTAKES:
        edit(scaffolded / file, old, new)
    with pytest.raises(ValidationErrors) as raised:
        dealbook.load_playbook(scaffolded, use_cache=False)
    reported = [str(problem).replace(f"{scaffolded}/", "") for problem in raised.value.problems]
    assert sorted(reported) == sorted(line for *_, line in MISTAKES)
