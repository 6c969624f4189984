"""Form definitions: the loader's checks (clear messages naming what is wrong), versions."""

import copy
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kith.eforms import selectors, services
from kith.eforms.models import FormDefinition, FormVersion
from kith.eforms.schema import DefinitionError
from tests.eforms.conftest import COMPLETE_ANSWERS, VISIT_FORM, verified

pytestmark = pytest.mark.django_db


def problems_for(data):
    return services.definition_problems(data)


def test_the_shipped_definitions_are_loaded_and_valid():
    for code in ("child-and-family-assessment", "care-act-needs-assessment"):
        definition = FormDefinition.objects.get(code=code)
        version = selectors.published_version(definition=definition)
        assert version is not None
        assert version.needs_approval
        assert problems_for(version.schema) == []


def test_a_good_definition_has_no_problems():
    assert problems_for(VISIT_FORM) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "title is missing"),
        (lambda d: d.update(code="Not A Slug"), "code is missing or not a slug"),
        (lambda d: d.update(sections=[]), "sections: a form needs at least one section"),
        (
            lambda d: d["sections"][0]["questions"][2].update(type="dropdown"),
            'sections[1] ("visit").questions[3] ("seen_alone"): type \'dropdown\' is not one of',
        ),
        (
            lambda d: d["sections"][0]["questions"][1].update(key="child_name"),
            'key "child_name" is used twice',
        ),
        (
            lambda d: d["sections"][0]["questions"][5].pop("options"),
            '("outcome"): a single_choice question needs a list of options',
        ),
        (
            lambda d: d["sections"][0]["questions"][6].update(code_list="no_such_list"),
            "there is no code list called 'no_such_list'",
        ),
        (
            lambda d: d["sections"][0]["questions"][3]["show_if"].update(question="nowhere"),
            "show_if names question 'nowhere', which is not in this form",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(prefill="person.shoe_size"),
            "prefill 'person.shoe_size' is not one of",
        ),
        (
            lambda d: d["sections"][0]["questions"][2].update(maps_to="date_seen"),
            "maps_to date_seen needs a question of type date, not yes_no",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(colour="red"),
            '("child_name"): unknown keys: colour',
        ),
        (
            lambda d: d["sections"][0]["questions"][7]["questions"].append(
                {"key": "nested", "label": "Nested", "type": "repeating", "questions": []}
            ),
            "a repeating group cannot be inside another",
        ),
    ],
)
def test_each_mistake_is_named_with_where_it_is(change, message):
    data = copy.deepcopy(VISIT_FORM)
    change(data)
    problems = problems_for(data)
    assert any(message in p for p in problems), problems


def test_load_form_command_loads_yaml_and_json(tmp_path):
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(VISIT_FORM))
    out = StringIO()
    call_command("load_form", str(path), stdout=out)
    assert "Test visit record, version 1 (published)" in out.getvalue()
    yaml_form = {**VISIT_FORM, "code": "test-visit-yaml"}
    import yaml

    yaml_path = tmp_path / "visit.yaml"
    yaml_path.write_text(yaml.safe_dump(yaml_form))
    call_command("load_form", str(yaml_path), stdout=StringIO())
    assert selectors.definition_by_code(code="test-visit-yaml") is not None
    # loading the same file again changes nothing
    call_command("load_form", str(path), stdout=StringIO())
    assert FormVersion.objects.filter(definition__code="test-visit").count() == 1


def test_load_form_command_lists_every_problem_and_loads_nothing(tmp_path):
    bad = copy.deepcopy(VISIT_FORM)
    bad["code"] = "bad-form"
    bad["sections"][0]["questions"][2]["type"] = "dropdown"
    del bad["title"]
    path = tmp_path / "bad.yaml"
    import yaml

    path.write_text(yaml.safe_dump(bad))
    err = StringIO()
    with pytest.raises(CommandError, match="1 of 1 file"):
        call_command("load_form", str(path), stdout=StringIO(), stderr=err)
    assert "bad.yaml: not loaded, 2 problem(s)" in err.getvalue()
    assert "title is missing" in err.getvalue()
    assert "type 'dropdown' is not one of" in err.getvalue()
    assert not FormDefinition.objects.filter(code="bad-form").exists()


def test_a_file_that_is_not_json_or_yaml_says_where(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"code": "x",\n "title": }')
    with pytest.raises(DefinitionError) as raised:
        services.read_definition_file(broken)
    assert "broken.json is not valid JSON" in raised.value.problems[0]
    assert "line 2" in raised.value.problems[0]
    yaml_file = tmp_path / "broken.yaml"
    yaml_file.write_text("code: x\ntitle: [unclosed\n")
    with pytest.raises(DefinitionError, match=r"broken\.yaml is not valid YAML"):
        services.read_definition_file(yaml_file)
    text_file = tmp_path / "x.txt"
    text_file.write_text("code: x")
    with pytest.raises(DefinitionError, match=r"a \.json, \.yaml or \.yml file"):
        services.read_definition_file(text_file)
    with pytest.raises(DefinitionError, match="does not exist"):
        services.read_definition_file(tmp_path / "missing.yaml")


def test_published_versions_never_change_and_past_submissions_keep_theirs(world, visit_form):
    # given a submission completed on version 1
    submission = services.submission_start(
        actor=verified(world.worker), person=world.own, version=visit_form
    )
    services.submission_save(actor=world.worker, submission=submission, answers=COMPLETE_ANSWERS)
    submitted = services.submission_submit(actor=world.worker, submission=submission)
    answers_before = copy.deepcopy(submitted.answers)
    schema_before = copy.deepcopy(visit_form.schema)
    # when the definition changes: a question relabelled, one removed, one added
    changed = copy.deepcopy(VISIT_FORM)
    changed["title"] = "Test visit record (2027)"
    changed["sections"][0]["questions"][0]["label"] = "Name of the child"
    del changed["sections"][0]["questions"][4]
    changed["sections"][0]["questions"].append(
        {"key": "new_question", "label": "New", "type": "text", "required": True}
    )
    version_2 = services.definition_load(actor=None, data=changed)
    # then it is a new version, and the old one and the submission are as they were
    assert version_2.number == 2
    assert version_2.status == "published"
    visit_form.refresh_from_db()
    submitted.refresh_from_db()
    assert visit_form.status == "retired"
    assert visit_form.schema == schema_before
    assert submitted.version_id == visit_form.pk
    assert submitted.answers == answers_before
    assert submitted.answers["rooms"] == "2"
    # a published version cannot be edited in place
    with pytest.raises(Exception, match="published version cannot be changed"):
        services.version_save_draft(actor=None, version=version_2, schema=changed)
    # new forms use version 2
    new = services.submission_start(actor=world.worker, person=world.own, version=version_2)
    assert new.version.number == 2
    assert dt.date.today()  # noqa: DTZ011 - the test ran today


def test_editing_makes_one_new_draft_then_publishing_retires_the_old(visit_form):
    draft = services.version_new_draft(actor=None, definition=visit_form.definition)
    assert draft.number == 2
    assert draft.status == "draft"
    assert services.version_new_draft(actor=None, definition=visit_form.definition) == draft
    schema = copy.deepcopy(draft.schema)
    schema["sections"][0]["title"] = "The home visit"
    services.version_save_draft(actor=None, version=draft, schema=schema)
    published = services.version_publish(actor=None, version=draft)
    assert published.status == "published"
    statuses = dict(
        FormVersion.objects.filter(definition=visit_form.definition).values_list("number", "status")
    )
    assert statuses == {1: "retired", 2: "published"}
