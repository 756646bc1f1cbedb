import json
from pathlib import Path

import dealbook
import pytest
from click.testing import CliRunner
from dealbook.cli import main
from dealbook.errors import ValidationErrors
from dealbook.intake.interview import HELP, SKIP, next_question, offer_pack, run_interview, sort_relevant, summary_lines
from dealbook.intake.questionnaire import AnswerSheet, load_sheet
from dealbook.renderers.pack import default_folder

from ..conftest import REPO, edit

ENTER = object()  # accept what is pre-filled
INTERRUPT = object()  # Ctrl-C
DEAL = ["Test deal", "Acme", "", "", "eur"]  # name, vendor, customer, product, currency
MINI_TEXTS = ["Where does it run?", "Annual value?", "Personal data?", "Which regimes?", "Go-live date?", "Anything else?"]


class ScriptedAsker:
    """An Asker that replies from a script and records what it was asked and told."""

    def __init__(self, *replies, watch: Path | None = None):
        self.replies = list(replies)
        self.asked: list[str] = []
        self.defaults: dict[str, object] = {}
        self.picks: dict[str, list[str]] = {}
        self.rejected: list[tuple[str, str]] = []
        self.told: list[str] = []
        self.watch, self.seen = watch, []

    def _reply(self, message, default):
        self.asked.append(message)
        self.defaults[message] = default
        if self.watch is not None:
            self.seen.append(self.watch.read_text(encoding="utf-8") if self.watch.exists() else None)
        assert self.replies, f"nothing scripted for {message!r}"
        reply = self.replies.pop(0)
        if reply is INTERRUPT:
            raise KeyboardInterrupt
        return default if reply is ENTER else reply

    def select(self, message, picks, default):
        self.picks[message] = [pick.value for pick in picks]
        reply = self._reply(message, default)
        assert reply in self.picks[message]
        return reply

    def checkbox(self, message, picks, checked):
        self.picks[message] = [pick.value for pick in picks]
        reply = self._reply(message, list(checked))
        assert set(reply) <= set(self.picks[message])
        return reply

    def text(self, message, default, check, hint=""):
        while True:
            reply = self._reply(message, default)
            reason = check(reply)
            if reason is None:
                return reply
            self.rejected.append((reply, reason))

    def confirm(self, message, default):
        return self._reply(message, default)

    def tell(self, message):
        self.told.append(message)

    def heard(self, text):
        return any(text in message for message in self.told)


@pytest.fixture
def deal(tmp_path):
    return tmp_path / "deal.yaml"


def interview(playbook, path, *replies, **options):
    asker = ScriptedAsker(*replies, watch=options.pop("watch", None))
    run_interview(playbook, path, asker, **options)
    assert asker.replies == [], "script not used up"
    return asker


def test_asks_only_the_questions_that_apply_in_playbook_order(mini, deal):
    asker = interview(mini, deal, *DEAL, "saas", "EUR 20k", "no", "", "", False)
    questions = [message for message in asker.asked if message in MINI_TEXTS]
    assert questions == ["Where does it run?", "Annual value?", "Personal data?", "Go-live date?", "Anything else?"]
    asker = interview(mini, deal.with_name("other.yaml"), *DEAL, "saas", "EUR 20k", "yes", ["gdpr"], "", "", False)
    assert [message for message in asker.asked if message in MINI_TEXTS] == MINI_TEXTS
    assert load_sheet(deal.with_name("other.yaml"), mini).answers["regimes"] == ["gdpr"]


def test_a_question_that_comes_to_apply_later_is_asked_then(mini_copy, deal):
    edit(mini_copy / "questions.yaml", "    help: ISO date.\n", '    help: ISO date.\n    when: notes == "late"\n')
    playbook = dealbook.load_playbook(mini_copy)
    asker = interview(playbook, deal, *DEAL, "saas", "1000", "no", "late", "2027-01-31", False)
    assert asker.asked[-3:] == ["Anything else?", "Go-live date?", "Write the briefing pack now?"]
    assert load_sheet(deal, playbook).answers["go_live"] == "2027-01-31"


def test_a_bad_value_is_re_asked_with_the_reason(mini, deal):
    asker = interview(mini, deal, *DEAL, "saas", "lots", "-5", "USD 10", "1,5", "EUR 2.5m", "no", "31/12/2026", "2026-02-30",
                      "2026-12-31", "", False)
    assert [reply for reply, _ in asker.rejected] == ["lots", "-5", "USD 10", "1,5", "31/12/2026", "2026-02-30"]
    reasons = [reason for _, reason in asker.rejected]
    assert reasons[0].startswith("expected an amount such as 450000")
    assert reasons[1] == "must be at least 0"
    assert reasons[2] == "amount is in USD but the deal currency is EUR"
    assert reasons[4] == "expected a date as YYYY-MM-DD, e.g. 2026-03-31"
    assert "is not a real calendar date" in reasons[5]
    assert load_sheet(deal, mini).answers == {"deployment": "saas", "annual_value": 2500000, "personal_data": False,
                                              "go_live": "2026-12-31"}


def test_the_default_is_pre_filled_and_enter_accepts_it(mini_copy, deal):
    edit(mini_copy / "questions.yaml", "    help: Free text.\n", "    help: Free text.\n    default: none yet\n")
    playbook = dealbook.load_playbook(mini_copy)
    asker = interview(playbook, deal, *DEAL, "saas", "1000", ENTER, ENTER, ENTER, False)
    assert asker.defaults["Personal data?"] == "no" and asker.defaults["Anything else?"] == "none yet"
    assert asker.defaults["Where does it run?"] is None
    answers = load_sheet(deal, playbook).answers
    assert answers["personal_data"] is False and answers["notes"] == "none yet" and "go_live" not in answers


def test_help_is_shown_on_request_and_the_question_asked_again(mini, deal):
    asker = interview(mini, deal, *DEAL, HELP, "saas", "?", "100", "yes", ["gdpr", HELP], ["gdpr"], "", "", False)
    assert asker.asked.count("Where does it run?") == 2 and asker.asked.count("Annual value?") == 2
    assert "Ours or theirs." in asker.told and "Per year." in asker.told and "Pick." in asker.told
    assert asker.defaults["Which regimes?"] == ["gdpr"]  # ticks survive asking for help
    assert HELP in asker.picks["Personal data?"] and SKIP in asker.picks["Personal data?"]


def test_every_answer_is_saved_before_the_next_question(mini, deal):
    asker = interview(mini, deal, *DEAL, "saas", "EUR 2m", "yes", ["hipaa"], "", "", False, watch=deal)
    seen = dict(zip(asker.asked, asker.seen, strict=True))
    assert seen["What do we call this deal? (e.g. CRM renewal 2027)"] is None
    assert 'name: "Test deal"' in seen["What is the vendor's name, as the contract should say it?"]
    assert "deployment: saas" not in seen["Where does it run?"]
    assert "deployment: saas" in seen["Annual value?"] and "annual_value: 2000000" in seen["Personal data?"]
    assert "regimes: [hipaa]" in seen["Go-live date?"]


def test_an_interrupted_interview_loses_nothing_and_resumes_at_the_first_unanswered_question(mini, deal):
    with pytest.raises(KeyboardInterrupt):
        interview(mini, deal, *DEAL, "saas", INTERRUPT)
    sheet = load_sheet(deal, mini)
    assert sheet.deal == {"name": "Test deal", "vendor": "Acme", "currency": "EUR"}
    assert sheet.answers == {"deployment": "saas"}
    asker = interview(mini, deal, "EUR 2m", "no", "", "", False)
    assert asker.asked[0] == "Annual value?"  # the deal block is complete, so it is not asked again
    assert asker.heard("== Basics ==")
    assert load_sheet(deal, mini).answers == {"deployment": "saas", "annual_value": 2000000, "personal_data": False}


def test_an_interruption_says_where_the_answers_are(mini, deal):
    asker = ScriptedAsker(*DEAL, INTERRUPT)
    with pytest.raises(KeyboardInterrupt):
        run_interview(mini, deal, asker)
    assert asker.told[-1] == f"\nStopped. Every answer so far is saved in {deal}; run the same command again to carry on."


def test_the_file_as_the_session_found_it_is_kept_as_bak(mini, deal, write_answers):
    path = write_answers({"deployment": "on_prem"})
    original = path.read_text(encoding="utf-8")
    interview(mini, path, "EUR 2m", "no", "2026-01-01", "", False)
    assert path.with_name("deal.yaml.bak").read_text(encoding="utf-8") == original
    assert load_sheet(path, mini).answers["go_live"] == "2026-01-01"


def test_a_review_that_changes_nothing_rewrites_nothing(mini, deal):
    interview(mini, deal, *DEAL, "saas", "EUR 2m", "yes", ["gdpr"], "2026-01-01", "notes", False)
    before = deal.read_text(encoding="utf-8")
    asker = interview(mini, deal, *[ENTER] * 5, *[ENTER] * 6, False, review=True)
    assert [message for message in asker.asked if message in MINI_TEXTS] == MINI_TEXTS
    assert deal.read_text(encoding="utf-8") == before and not deal.with_name("deal.yaml.bak").exists()


def test_an_answer_that_no_longer_applies_is_parked_and_comes_back(mini, deal):
    interview(mini, deal, *DEAL, "saas", "EUR 2m", "yes", ["gdpr"], "", "", False)
    asker = interview(mini, deal, *[ENTER] * 5, ENTER, ENTER, "no", ENTER, ENTER, False, review=True)
    assert "Which regimes?" not in asker.asked
    assert asker.heard("Note: 'Which regimes?' no longer applies (asked only when personal_data). Your answer ([gdpr])")
    sheet = load_sheet(deal, mini)
    assert sheet.parked == {"regimes": ["gdpr"]} and "regimes" not in sheet.answers
    assert "\nparked:\n" in deal.read_text(encoding="utf-8")
    asker = interview(mini, deal, *[ENTER] * 5, ENTER, ENTER, "yes", ENTER, ENTER, ENTER, False, review=True)
    assert asker.heard("Note: your earlier answer to 'Which regimes?' ([gdpr]) applies again and is back.")
    assert asker.defaults["Which regimes?"] == ["gdpr"]
    sheet = load_sheet(deal, mini)
    assert sheet.answers["regimes"] == ["gdpr"] and sheet.parked == {}
    assert "parked:" not in deal.read_text(encoding="utf-8")


def test_a_hand_edited_answer_that_does_not_apply_is_parked_at_the_start(mini, write_answers):
    path = write_answers({"deployment": "saas", "annual_value": 5, "personal_data": "no", "regimes": ["hipaa"]})
    asker = ScriptedAsker(INTERRUPT)
    with pytest.raises(KeyboardInterrupt):
        run_interview(mini, path, asker)
    assert asker.heard("'Which regimes?' no longer applies")
    assert load_sheet(path, mini).parked == {"regimes": ["hipaa"]}


def test_a_file_with_problems_is_refused_before_any_question(mini, write_answers):
    path = write_answers({"deploymnt": "saas"})
    asker = ScriptedAsker()
    with pytest.raises(ValidationErrors) as raised:
        run_interview(mini, path, asker)
    assert "unknown question 'deploymnt' (did you mean 'deployment'?)" in str(raised.value)
    assert asker.asked == []


def test_sort_relevant_parks_and_restores_by_the_answers_it_depends_on(mini):
    sheet = AnswerSheet({}, {"personal_data": False, "regimes": ["gdpr"], "notes": "x"})
    parked, moved_away, back = sort_relevant(mini, sheet)
    assert (parked.answers, parked.parked, moved_away, back) == ({"personal_data": False, "notes": "x"}, {"regimes": ["gdpr"]}, ("regimes",), ())
    restored, moved_away, back = sort_relevant(mini, parked.answered("personal_data", True))
    assert (restored.answers["regimes"], restored.parked, moved_away, back) == (["gdpr"], {}, (), ("regimes",))


def test_next_question_skips_answered_passed_and_irrelevant_questions(mini):
    sheet = AnswerSheet({}, {"deployment": "saas"})
    assert next_question(mini, sheet).id == "annual_value"
    assert next_question(mini, sheet, {"annual_value", "personal_data"}).id == "go_live"
    assert next_question(mini, sheet.answered("personal_data", True), {"annual_value"}).id == "regimes"
    full = AnswerSheet({}, {"deployment": "saas", "annual_value": 1, "personal_data": False, "go_live": "2026-01-01", "notes": ""})
    assert next_question(mini, full) is None


class FakePack:
    def __init__(self):
        self.calls = []

    def __call__(self, evaluation, folder):
        self.calls.append((evaluation, folder))
        return [folder / "briefing.md"]


def test_the_end_shows_a_summary_and_writes_the_pack_on_request(mini, deal):
    writer = FakePack()
    asker = ScriptedAsker(*DEAL, "saas", "EUR 2m", "yes", ["gdpr"], "", "", True, ENTER)
    run_interview(mini, deal, asker, pack_writer=writer)
    summary = next(message for message in asker.told if message.startswith("Summary:"))
    assert summary.splitlines() == [
        "Summary: Test deal with Acme",
        "4 checklist items apply (1 critical, 2 high, 1 low); 0 do not.",
        "  CRITICAL  Price protection",
        "  HIGH      Executive sign-off; Data processing agreement",
        "  LOW       Hosting review",
        "Risk flags: 1 high",
        "  HIGH      EU personal data hosted by Acme.",
        "Approvers required: Privacy officer, Executive sponsor",
    ]
    ((evaluation, folder),) = writer.calls
    assert folder == Path("test-deal-brief") == default_folder(evaluation)  # the same folder `dealbook brief` writes
    assert evaluation.answers.values["regimes"] == ["gdpr"]
    assert asker.told[-1] == f"Briefing pack written:\n  {folder / 'briefing.md'}"


def test_the_pack_is_not_written_when_declined_or_answers_are_missing(mini, deal):
    writer = FakePack()
    interview(mini, deal, *DEAL, "saas", "EUR 2m", "no", "", "", False, pack_writer=writer)
    asker = interview(mini, deal.with_name("b.yaml"), *DEAL, "saas", SKIP, "no", "", "", pack_writer=writer)
    assert writer.calls == [] and "Write the briefing pack now?" not in asker.asked
    assert asker.heard("Still to answer before the briefing pack:\n  - Annual value?")
    quiet = ScriptedAsker()
    assert offer_pack(quiet, None, deal, None) == []
    assert quiet.told == ["The briefing pack writer is not available in this installation."] and quiet.asked == []


def test_summary_fits_one_screen_for_a_large_deal(itam):
    answers = dealbook.load_answers(REPO / "examples/deals/enterprise-agreement.yaml", itam)
    evaluation = dealbook.evaluate(itam, answers)
    lines = summary_lines(evaluation, width=100)
    assert len(lines) <= 24 and all(len(line) <= 100 for line in lines)
    critical = [result for result in evaluation.items if result.priority == "critical"]
    assert f"{len(evaluation.items)} checklist items apply ({len(critical)} critical" in lines[1]
    approvers = " ".join(line.strip() for line in lines[next(i for i, line in enumerate(lines) if line.startswith("Approvers required: ")):])
    assert approvers == "Approvers required: " + ", ".join(approval.department.name for approval in evaluation.approvals)
    assert len(evaluation.approvals) >= 6 and not lines[-1].startswith("Approvers")  # wrapped, not cut


def test_the_interview_command_without_a_terminal_fails_clearly(tmp_path):
    result = CliRunner().invoke(main, ["interview", str(tmp_path / "deal.yaml")])
    assert result.exit_code == 1
    assert result.output.startswith("error: the interview needs an interactive terminal")
    assert "Traceback" not in result.output and not (tmp_path / "deal.yaml").exists()


def test_a_json_answers_file_stays_json(mini, tmp_path):
    path = tmp_path / "deal.json"
    asker = ScriptedAsker(*DEAL, "on_prem", "5", INTERRUPT)
    with pytest.raises(KeyboardInterrupt):
        run_interview(mini, path, asker)
    assert json.loads(path.read_text(encoding="utf-8"))["answers"]["annual_value"] == 5
    assert load_sheet(path, mini).answers == {"deployment": "on_prem", "annual_value": 5}


@pytest.mark.parametrize(
    ("titles", "width", "expected"),
    [
        (["Alpha", "Beta", "Gamma"], 40, "Alpha; Beta; Gamma"),
        (["Alpha", "Beta", "Gamma", "Delta"], 21, "Alpha; Beta (+2 more)"),
        (["Alpha", "Beta", "Gamma"], 16, "Alpha (+2 more)"),
        (["A very long title indeed", "Beta"], 20, "A very lo… (+1 more)"),
    ],
    ids=["all-fit", "two-fit", "one-fits", "first-too-long"],
)
def test_item_titles_are_cut_to_the_line_with_a_count_of_the_rest(titles, width, expected):
    from dealbook.intake.interview import fit_titles

    assert fit_titles(titles, width) == expected and len(expected) <= width
