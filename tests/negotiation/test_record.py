"""The record file: written records validate and round-trip; an edited history is found."""

import json

import pytest
import yaml
from dealbook.errors import ValidationErrors
from dealbook.infra.schema import check_document
from dealbook.infra.yamlfile import read_document
from dealbook.negotiation.record import read_record, record_path, verify_chain, write_record
from dealbook.negotiation.report import verify_record
from dealbook.negotiation.session import approve, correct, open_session, record_position, respond


def negotiated(deal, vendor_paper):
    """Two rounds: 30 days (walk-away) from the paper, then 45 days on a call, accepted and approved."""
    session = open_session(deal)
    session, _ = record_position(session, "payment_days", "within 30 days of receipt", document=vendor_paper, date="2026-03-01")
    session = respond(session, "payment_days", "ask")
    session, _ = record_position(session, "payment_days", "45 days", note="call with their sales director", date="2026-03-08")
    session = respond(session, "payment_days", "accept")
    session = approve(session, "payment_days", "finance", "Dana Finance")
    write_record(session.record)
    return session


def test_a_written_record_validates_and_round_trips(deal, vendor_paper):
    session = negotiated(deal, vendor_paper)
    path = record_path(deal)
    assert path.name == "crm.negotiation.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=") and "negotiation.schema.json" in text.splitlines()[0]
    document = read_document(path)
    assert check_document(document, "negotiation") == []
    assert document.content == json.loads(json.dumps(session.record.data))
    assert read_record(path).data == document.content
    assert verify_chain(read_record(path)) == []
    kinds = [entry["kind"] for entry in document.content["entries"]]
    assert kinds == ["round", "position", "response", "round", "position", "response", "approval"]
    first_round = document.content["entries"][0]
    assert first_round["source"]["type"] == "document" and len(first_round["source"]["sha256"]) == 64
    assert document.content["entries"][3]["source"] == {"type": "call", "note": "call with their sales director"}


def _tamper(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(("change", "message", "where"), [
    (lambda data: data["entries"][4].update(text="60 days"), "entry 5 (position) was edited after it was written", "entries/4/hash"),
    (lambda data: data["entries"][4].update(tier="meets-preferred", hash=__import__("dealbook.negotiation.record", fromlist=["x"]).entry_hash({**data["entries"][4], "tier": "meets-preferred"})),
     "entry 6 does not follow on: entry 5 before it was changed or removed", "entries/5/previous"),
    (lambda data: data["entries"].pop(2), "entry 3 is numbered 4", "entries/2/n"),
    (lambda data: data["playbook"].update(version="9.9.9"), "the record's header (deal or playbook pin) was changed", "entries/0/previous"),
], ids=["edited-text", "rehashed-entry", "removed-entry", "header"])
def test_an_edited_history_is_detected_where_it_was_edited(deal, vendor_paper, change, message, where):
    negotiated(deal, vendor_paper)
    path = record_path(deal)
    _tamper(path, change)
    problems = verify_chain(read_record(path))
    assert any(message in problem.message and problem.location.path == where and problem.location.line > 0 for problem in problems), problems


def test_verify_rechecks_each_recorded_tier_under_the_pinned_playbook(deal, vendor_paper):
    from dealbook.negotiation.record import entry_hash

    negotiated(deal, vendor_paper)
    path = record_path(deal)

    def retier(data):
        # a consistent chain with a typed tier: every hash recomputed after the edit
        data["entries"][1]["tier"] = "meets-preferred"
        previous = data["entries"][0]["hash"]
        for entry in data["entries"][1:]:
            entry["previous"] = previous
            entry["hash"] = previous = entry_hash(entry)

    _tamper(path, retier)
    problems = verify_record(open_session(deal))
    assert [problem.message for problem in problems] == ["entry 2 records meets-preferred, but the vendor's words give walk-away"]


def test_corrections_are_new_entries(deal, vendor_paper):
    session = negotiated(deal, vendor_paper)
    before = [dict(entry) for entry in session.record.entries]
    session = correct(session, 7, "approved by mistake before the call notes were in")
    assert session.record.entries[:7] == before and session.record.entries[7]["corrects"] == 7
    assert session.negotiation.by_subject["payment_days"].missing == ("finance",)
    write_record(session.record)
    assert verify_chain(read_record(record_path(deal))) == []


def test_a_record_that_breaks_the_schema_is_reported_located(deal, vendor_paper):
    negotiated(deal, vendor_paper)
    path = record_path(deal)
    _tamper(path, lambda data: data["entries"][2].update(response="maybe"))
    with pytest.raises(ValidationErrors) as raised:
        read_record(path)
    assert any("'maybe' is not one of" in str(problem) and "entries/2/response" in str(problem) for problem in raised.value.problems)
