"""The installed layout: one import package, data read through importlib.resources."""

import importlib.metadata
import importlib.resources

import dealbook
from dealbook.infra.schema import SCHEMA_KINDS, load_schema
from dealbook.playbook.sources import bundled_playbooks


def test_only_the_dealbook_package_is_installed():
    # The installed distribution's record (a build may also leave an in-tree
    # egg-info on sys.path; that one describes the source tree, not the install).
    installed = [
        dist for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] == "dealbook" and str(getattr(dist, "_path", "")).endswith(".dist-info")
    ]
    assert installed
    top_level = {file.parts[0] for dist in installed for file in dist.files or []}
    assert not top_level & {"engine", "renderers", "schemas", "playbooks"}, top_level


def test_schemas_and_playbooks_ship_as_package_data():
    for kind in SCHEMA_KINDS:
        schema = load_schema(kind)
        assert schema["$id"] == f"urn:dealbook:schema:{kind}"
        assert schema["$schema"].endswith("2020-12/schema")
    assert "itam" in bundled_playbooks()
    itam = importlib.resources.files("dealbook.playbooks") / "itam" / "playbook.yaml"
    assert itam.is_file()


def test_public_api():
    assert set(dealbook.__all__) >= {"load_playbook", "load_answers", "evaluate", "Evaluation", "DealbookError"}
    assert dealbook.__version__ == importlib.metadata.version("dealbook")
