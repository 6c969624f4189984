"""Administration › Forms: build a form in the page, see its JSON, publish; load a file."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kith.eforms import selectors
from kith.eforms.models import FormDefinition, FormVersion
from tests.eforms.conftest import VISIT_FORM

pytestmark = pytest.mark.django_db


def test_an_administrator_builds_and_publishes_a_form(world, signed_in_client):
    client = signed_in_client(user=world.admin)
    response = client.post(
        reverse("eforms:definition-new"),
        {"title": "Home visit", "code": "home-visit", "service_area": "children"},
    )
    version = FormVersion.objects.get(definition__code="home-visit")
    url = reverse("eforms:version", args=[version.pk])
    assert response.url == url
    client.post(url, {"op": "add-section", "section_title": "The visit"})
    client.post(url, {"op": "add-section", "section_title": "Next steps"})
    client.post(
        url,
        {
            "op": "add-question",
            "section": "0",
            "key": "seen",
            "label": "Was the child seen?",
            "type": "yes_no",
            "required": "yes",
        },
    )
    client.post(
        url,
        {
            "op": "add-question",
            "section": "0",
            "key": "why_not",
            "label": "Why not?",
            "type": "long_text",
            "required": "yes",
            "show_if_question": "seen",
            "show_if_equals": "no",
        },
    )
    client.post(
        url,
        {
            "op": "add-question",
            "section": "1",
            "key": "next",
            "label": "Next step",
            "type": "single_choice",
            "options": "Close\nvisit_again|Visit again",
        },
    )
    # reorder: the second section first, then back
    client.post(url, {"op": "section-up", "section": "1"})
    version.refresh_from_db()
    assert [s["title"] for s in version.schema["sections"]] == ["Next steps", "The visit"]
    client.post(url, {"op": "section-down", "section": "0"})
    client.post(url, {"op": "question-down", "section": "0", "question": "0"})
    version.refresh_from_db()
    visit = version.schema["sections"][0]
    assert [q["key"] for q in visit["questions"]] == ["why_not", "seen"]
    assert visit["questions"][0]["show_if"] == {"question": "seen", "equals": "no"}
    options = version.schema["sections"][1]["questions"][0]["options"]
    assert options == [
        {"value": "close", "label": "Close"},
        {"value": "visit_again", "label": "Visit again"},
    ]
    page = client.get(url).content.decode()
    assert "&#34;why_not&#34;" in page or "&quot;why_not&quot;" in page  # the JSON preview
    # a question with a bad key is refused with a message
    response = client.post(
        url, {"op": "add-question", "section": "0", "key": "Bad Key", "label": "X", "type": "text"}
    )
    assert response.status_code == 400
    assert "Enter a key" in response.content.decode()
    response = client.post(url, {"op": "publish"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == "published"
    # a published version cannot be changed; editing makes version 2
    assert client.post(url, {"op": "add-section", "section_title": "X"}).status_code == 400
    client.post(reverse("eforms:definition", args=[version.definition_id]))
    draft = selectors.draft_version(definition=version.definition)
    assert draft.number == 2
    assert draft.schema == version.schema


def test_publishing_a_broken_draft_lists_the_problems(world, signed_in_client):
    client = signed_in_client(user=world.admin)
    client.post(
        reverse("eforms:definition-new"),
        {"title": "Empty", "code": "empty-form", "service_area": "any"},
    )
    version = FormVersion.objects.get(definition__code="empty-form")
    url = reverse("eforms:version", args=[version.pk])
    response = client.post(url, {"op": "publish"})
    assert response.status_code == 400
    assert "a form needs at least one section" in response.content.decode()
    # the JSON can be pasted in
    data = {**VISIT_FORM, "code": "empty-form", "title": "Now full"}
    response = client.post(url, {"op": "replace-json", "json": json.dumps(data)})
    assert response.status_code == 302
    assert client.post(url, {"op": "publish"}).status_code == 302
    assert FormDefinition.objects.get(code="empty-form").title == "Now full"


def test_a_file_is_loaded_as_a_draft_or_its_problems_listed(world, signed_in_client):
    client = signed_in_client(user=world.admin)
    good = SimpleUploadedFile("visit.json", json.dumps(VISIT_FORM).encode())
    response = client.post(reverse("eforms:definitions"), {"file": good})
    version = FormVersion.objects.get(definition__code="test-visit")
    assert response.url == reverse("eforms:version", args=[version.pk])
    assert version.status == "draft"
    bad = SimpleUploadedFile("bad.yaml", b"code: bad\nsections: []\n")
    response = client.post(reverse("eforms:definitions"), {"file": bad})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The file was not loaded" in page
    assert "title is missing" in page


def test_only_administrators_build_forms(world, signed_in_client):
    client = signed_in_client(user=world.manager)
    assert client.get(reverse("eforms:definitions")).status_code == 403
    assert client.post(reverse("eforms:definition-new"), {}).status_code == 403
