"""Administration › Timescales: administrators see the rules in force, add a local rule and end
a rule, without code; nobody else may."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from kith.core.calendar import clear_holiday_cache
from kith.work import timescales
from kith.work.models import TimescaleRule, WorkItemType

pytestmark = pytest.mark.django_db

LIST = "/administration/timescales"
ADD = "/administration/timescales/add"


@pytest.fixture(autouse=True)
def fresh_holiday_cache():
    clear_holiday_cache()
    yield
    clear_holiday_cache()


@pytest.fixture
def admin(signed_in_client):
    return signed_in_client(role="system_administrator")


def cin_visit() -> WorkItemType:
    return WorkItemType.objects.get(code="cin-visit")


def local_cin_rule_form(**changes) -> dict[str, str]:
    data = {
        "item_type": str(cin_visit().pk),
        "description": "Visit a child in need at least every 15 working days",
        "starts": "previous_completed",
        "first_length": "",
        "first_unit": "",
        "second_length": "",
        "second_unit": "",
        "length": "15",
        "unit": "working_days",
        "recurs": "on",
        "effective_from-day": "1",
        "effective_from-month": "4",
        "effective_from-year": "2026",
        "source": "Children's services practice standards, March 2026",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_urls_are_under_administration():
    assert reverse("work:timescales") == LIST
    assert reverse("work:timescale-add") == ADD
    rule_id = uuid.uuid4()
    assert reverse("work:timescale-end", args=[rule_id]) == f"{LIST}/{rule_id}/end"


def test_an_administrator_sees_the_rules_in_force_by_service_area(admin):
    response = admin.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("Children&#39;s social care", "Adult social care", "Finance"):
        assert heading in page
    assert "Child and family assessment" in page
    assert "45 working days" in page
    assert "Working Together to Safeguard Children 2023" in page
    assert "20 working days, then 3 months, then every 6 months" in page
    assert "Statutory" in page
    assert "15 December 2023" in page
    # the administration navigation links here
    assert f'href="{LIST}" aria-current="page">Timescales</a>' in page


def test_an_administrator_adds_a_local_cin_visit_rule_of_15_working_days(admin):
    # given the shipped local standard: every 20 working days
    assert timescales.rule_for(cin_visit(), dt.date(2026, 4, 1)).length == 20
    # when an administrator adds the council's own rule from 1 April 2026
    response = admin.post(ADD, local_cin_rule_form())
    # then it is saved as a local rule and wins from that date
    assert response.status_code == 302
    assert response["Location"] == LIST
    rule = TimescaleRule.objects.get(code="local-cin-visit")
    assert (rule.length, rule.unit, rule.local, rule.recurs) == (15, "working_days", True, True)
    assert rule.effective_from == dt.date(2026, 4, 1)
    assert rule.created_by == admin.user
    assert timescales.rule_for(cin_visit(), dt.date(2026, 4, 1)) == rule
    assert timescales.rule_for(cin_visit(), dt.date(2026, 3, 31)).length == 20
    # and the list says so
    page = admin.get(LIST).content.decode()
    assert "The local rule for Child in need visit has been added: every 15 working days." in page


def test_the_add_form_is_filled_in_for_the_type_chosen_from_the_list(admin):
    response = admin.get(f"{ADD}?type={cin_visit().pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{cin_visit().pk}" selected>' in page
    assert '<option value="previous_completed" selected>' in page
    # a made-up type is ignored
    assert admin.get(f"{ADD}?type=not-a-uuid").status_code == 200


def test_the_form_names_what_is_missing(admin):
    response = admin.post(ADD, {})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    for message in (
        "Select the type of work",
        "Enter a description of the rule, as staff will see it",
        "Enter the regular length",
        "Select the unit of the regular length",
        "Enter the date the rule applies from",
    ):
        assert message in page, message
    assert "<title>Error: " in page
    assert not TimescaleRule.objects.filter(local=True, code__startswith="local-").exists()


def test_the_form_names_what_is_wrong(admin):
    cases = [
        ({"length": "-3"}, "The regular length must be 1 or more"),
        ({"length": "fifteen"}, "The regular length must be a whole number, like 15"),
        ({"first_unit": "weeks"}, "Enter the first length, or leave its unit blank"),
        ({"first_length": "20"}, "Select the unit of the first length"),
        (
            {"first_length": "20", "first_unit": "working_days", "recurs": None},
            "Only a step that recurs can have first and second lengths",
        ),
        ({"effective_from-month": "13"}, "Applies from must be a real date"),
        ({"effective_from-year": ""}, "Applies from must include a year"),
    ]
    for changes, message in cases:
        response = admin.post(ADD, local_cin_rule_form(**changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert not TimescaleRule.objects.filter(code="local-cin-visit").exists()


def test_a_second_local_rule_from_the_same_day_is_refused_on_the_form(admin):
    assert admin.post(ADD, local_cin_rule_form()).status_code == 302
    response = admin.post(ADD, local_cin_rule_form(length="12"))
    assert response.status_code == 200
    assert "There is already a local rule for Child in need visit from 1 April 2026" in (
        response.content.decode()
    )


def test_an_administrator_ends_a_rule_from_a_date(admin):
    admin.post(ADD, local_cin_rule_form())
    rule = TimescaleRule.objects.get(code="local-cin-visit")
    url = reverse("work:timescale-end", args=[rule.pk])
    page = admin.get(url).content.decode()
    assert "End this local rule" in page
    assert "After the last day, the local rule applies: every 20 working days" in page
    # a last day before it started is refused
    response = admin.post(
        url, {"effective_to-day": "31", "effective_to-month": "3", "effective_to-year": "2026"}
    )
    assert "The last day must be on or after the day the rule started, 1 April 2026" in (
        response.content.decode()
    )
    # no date at all
    assert "Enter the last day the rule applies" in admin.post(url, {}).content.decode()
    # a good one
    response = admin.post(
        url, {"effective_to-day": "30", "effective_to-month": "9", "effective_to-year": "2026"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.effective_to == dt.date(2026, 9, 30)
    assert timescales.rule_for(cin_visit(), dt.date(2026, 10, 1)).length == 20


def test_ending_an_unknown_rule_is_not_found(admin):
    assert admin.get(reverse("work:timescale-end", args=[uuid.uuid4()])).status_code == 404


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "auditor"])
def test_nobody_but_an_administrator_may_see_or_change_timescales(signed_in_client, role):
    client = signed_in_client(role=role)
    rule = TimescaleRule.objects.get(code="cin-visit", effective_to__isnull=True)
    end = reverse("work:timescale-end", args=[rule.pk])
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, local_cin_rule_form()).status_code == 403
    assert client.get(end).status_code == 403
    response = client.post(
        end, {"effective_to-day": "1", "effective_to-month": "1", "effective_to-year": "2026"}
    )
    assert response.status_code == 403
    assert not TimescaleRule.objects.filter(code="local-cin-visit").exists()
    rule.refresh_from_db()
    assert rule.effective_to is None
