"""Schemas for editors: written to a folder, and narrowed to one playbook's questions and ids."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from dealbook.authoring.schemas import answers_schema, module_schema, write_schemas
from dealbook.cli import main
from dealbook.infra.schema import SCHEMA_KINDS, schema_text
from dealbook.infra.yamlfile import read_document
from jsonschema import Draft202012Validator

from ..conftest import REPO

DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))
CHECK_JSONSCHEMA = shutil.which("check-jsonschema")


def schema_errors(schema_path: Path, document: Path) -> list[str]:
    """What a real validator says about ``document``: check-jsonschema when installed, else jsonschema."""
    if CHECK_JSONSCHEMA:
        run = subprocess.run([CHECK_JSONSCHEMA, "--schemafile", str(schema_path), str(document)], capture_output=True, text=True, check=False)
        return [] if run.returncode == 0 else [run.stdout + run.stderr]
    validator = Draft202012Validator(json.loads(schema_path.read_text(encoding="utf-8")))
    return [error.message for error in validator.iter_errors(read_document(document).content)]


@pytest.fixture(scope="module")
def itam_schemas(tmp_path_factory, itam) -> Path:
    return write_schemas(tmp_path_factory.mktemp("schemas"), itam)[0].parent


@pytest.mark.parametrize("deal", DEALS, ids=[deal.stem for deal in DEALS])
def test_the_playbook_aware_answers_schema_accepts_every_example_deal(itam_schemas, deal):
    assert schema_errors(itam_schemas / "answers.schema.json", deal) == []


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [("deployment: saas", "deployment: sass", "sass"), ("deployment: saas", "deploymnt: saas", "deploymnt")],
    ids=["wrong-option", "unknown-question"],
)
def test_the_playbook_aware_answers_schema_rejects_a_wrong_option_or_question(itam_schemas, tmp_path, old, new, words):
    deal = tmp_path / "deal.yaml"
    text = (REPO / "examples" / "deals" / "eu-saas-crm.yaml").read_text(encoding="utf-8")
    assert old in text
    deal.write_text(text.replace(old, new), encoding="utf-8")
    errors = schema_errors(itam_schemas / "answers.schema.json", deal)
    assert errors and words in " ".join(errors)


def test_the_answers_schema_carries_question_text_options_and_labels(itam):
    answers = answers_schema(itam)["properties"]["answers"]
    assert set(answers["properties"]) == {question.id for question in itam.questions}
    assert answers["additionalProperties"] is False
    deployment = answers["properties"]["deployment"]
    question = next(question for question in itam.questions if question.id == "deployment")
    assert deployment["title"] == question.text
    (choices, _) = deployment["anyOf"]
    assert choices["enum"][: len(question.options)] == [option.value for option in question.options]
    assert choices["enumDescriptions"][: len(question.options)] == [option.label for option in question.options]


def test_the_module_schema_lists_the_playbooks_ids(itam):
    schema = module_schema(itam)
    definitions = schema["$defs"]
    assert definitions["department_id"]["enum"] == [department.id for department in itam.departments]
    assert definitions["item"]["properties"]["owner"] == {"$ref": "#/$defs/department_id"}
    assert definitions["effect"]["properties"]["include"]["items"] == {"$ref": "#/$defs/item_id"}
    assert definitions["effect"]["properties"]["set_term"]["properties"]["term"] == {"$ref": "#/$defs/term_id"}
    validator = Draft202012Validator(schema)
    for module in itam.modules:
        assert list(validator.iter_errors(read_document(Path(module.file)).content)) == [], module.file
    wrong = read_document(Path(itam.modules[0].file)).content
    wrong["items"][0]["owner"] = "purchasing"
    assert [error.message for error in validator.iter_errors(wrong)] == [f"'purchasing' is not one of {[d.id for d in itam.departments]}"]


def test_schema_write_puts_every_schema_in_a_folder(tmp_path):
    result = CliRunner().invoke(main, ["schema", "--write", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "schemas").iterdir()) == sorted(f"{kind}.schema.json" for kind in SCHEMA_KINDS)
    assert (tmp_path / "schemas" / "module.schema.json").read_text(encoding="utf-8") == schema_text("module")


def test_schema_answers_for_a_playbook_on_the_command_line(mini):
    result = CliRunner().invoke(main, ["schema", "answers", "-p", str(REPO / "tests" / "fixtures" / "mini")])
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)["properties"]["answers"]["properties"]) == {question.id for question in mini.questions}


def test_writing_schemas_again_keeps_a_changed_file_and_leaves_an_unchanged_one(tmp_path):
    folder = tmp_path / "schemas"
    write_schemas(folder)
    (folder / "module.schema.json").write_text("{}\n", encoding="utf-8")
    write_schemas(folder)
    assert (folder / "module.schema.json.bak").read_text(encoding="utf-8") == "{}\n"
    assert not (folder / "playbook.schema.json.bak").exists()
