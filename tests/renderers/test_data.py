import json

import dealbook
import jsonschema
from dealbook.deal.answers import Answers, Deal
from dealbook.infra.schema import load_schema
from dealbook.renderers.data import evaluation_to_data


def test_json_matches_the_published_schema(mini):
    evaluation = dealbook.evaluate(mini, Answers(Deal("D", "V", currency="EUR"), {"deployment": "saas", "annual_value": 2_000_000, "personal_data": True, "regimes": ["gdpr"]}))
    for explain in (False, True):
        data = json.loads(json.dumps(evaluation_to_data(evaluation, explain=explain)))
        jsonschema.validate(data, load_schema("evaluation"))
    assert [item["id"] for item in data["items"]] == [result.id for result in evaluation.items]
    assert data["terms"][0]["display"] == {"target": "2%", "fallback": "3%", "walk_away": "7%"}
    assert data["approvers"][0]["reasons"] == [{"rule": "eu_rules", "reason": "EU personal data."}]
    assert any(entry["subject"] == "rule big_deal" and entry["reads"] == {"big": True} for entry in data["trace"])
