import pytest

from kith.eforms import services
from tests.access import world as world_module

# A small form with every kind of question, approved by a manager.
VISIT_FORM = {
    "code": "test-visit",
    "title": "Test visit record",
    "service_area": "children",
    "needs_approval": True,
    "sections": [
        {
            "key": "visit",
            "title": "The visit",
            "questions": [
                {
                    "key": "child_name",
                    "label": "Child's name",
                    "type": "text",
                    "prefill": "person.full_name",
                    "required": True,
                },
                {
                    "key": "date_seen",
                    "label": "Date seen",
                    "type": "date",
                    "required": True,
                    "maps_to": "date_seen",
                },
                {"key": "seen_alone", "label": "Seen alone?", "type": "yes_no", "required": True},
                {
                    "key": "why_not_alone",
                    "label": "Why not alone",
                    "type": "long_text",
                    "required": True,
                    "show_if": {"question": "seen_alone", "equals": "no"},
                },
                {"key": "rooms", "label": "Bedrooms", "type": "number", "min": 0, "max": 20},
                {
                    "key": "outcome",
                    "label": "Outcome",
                    "type": "single_choice",
                    "required": True,
                    "maps_to": "outcome",
                    "options": [
                        {"value": "nfa", "label": "No further action"},
                        {"value": "plan", "label": "Child in need plan"},
                    ],
                },
                {
                    "key": "factors",
                    "label": "Factors",
                    "type": "code_list",
                    "code_list": "cin_assessment_factors",
                    "multiple": True,
                    "maps_to": "factors",
                },
                {
                    "key": "household",
                    "label": "People in the household",
                    "type": "repeating",
                    "item_label": "Person",
                    "questions": [
                        {"key": "member_name", "label": "Name", "type": "text", "required": True},
                        {"key": "is_parent", "label": "A parent?", "type": "yes_no"},
                        {
                            "key": "parent_role",
                            "label": "Parental responsibility",
                            "type": "yes_no",
                            "required": True,
                            "show_if": {"question": "is_parent", "equals": "yes"},
                        },
                    ],
                },
                {
                    "key": "photo",
                    "label": "Photo of the room",
                    "type": "file",
                    "max_size_kb": 1,
                    "accept": ["png", "pdf"],
                },
            ],
        }
    ],
}

COMPLETE_ANSWERS = {
    "child_name": "Olivia Owncase",
    "date_seen": {"day": "3", "month": "11", "year": "2026"},
    "seen_alone": "yes",
    "rooms": "2",
    "outcome": "plan",
    "factors": ["2A", "3A"],
    "household": [{"member_name": "Parent One", "is_parent": "yes", "parent_role": "yes"}],
}


@pytest.fixture
def world(db):
    return world_module.build()


@pytest.fixture
def visit_form(db):
    return services.definition_load(actor=None, data=VISIT_FORM)


def verified(user):
    user.is_verified = lambda: True
    return user
