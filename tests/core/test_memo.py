"""The memo kept for one request (or one history the seed writes): answers are worked out once
inside it, and a write that changes them is seen at once."""

import datetime as dt

import pytest

from kith.access import services as access
from kith.access.policy import Do, decide, scope_for
from kith.accounts import services as accounts
from kith.accounts.models import Role
from kith.core import codelists
from kith.core.memo import memo_forget, memo_scope, memoised
from tests.access import world as world_module

pytestmark = pytest.mark.django_db


def verified(user):
    user.is_verified = lambda: True
    return user


def test_outside_a_scope_nothing_is_kept_and_inside_each_key_is_worked_out_once():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert memoised("k", compute) == 1
    assert memoised("k", compute) == 2
    with memo_scope():
        assert memoised("k", compute) == 3
        assert memoised("k", compute) == 3
        with memo_scope():  # a nested scope shares the outer one
            assert memoised("k", compute) == 3
        memo_forget()
        assert memoised("k", compute) == 4
    assert memoised("k", compute) == 5


def test_a_decision_sees_a_module_taken_away_in_the_same_request(django_assert_max_num_queries):
    world = world_module.build()
    worker = verified(world.worker)
    with memo_scope():
        assert decide(worker, world.own.pk, Do.EDIT).allowed
        # asked again: the user's modules and scope come from the memo
        with django_assert_max_num_queries(6):
            assert decide(worker, world.own.pk, Do.EDIT).allowed
        role = Role.objects.get(code="social_worker")
        for module in ("children", "adults", "people"):
            access.module_grant_set(
                actor=world.admin, role=role, module=module, view=True, edit=False
            )
        decision = decide(worker, world.own.pk, Do.EDIT)
        assert (decision.allowed, decision.rule) == (False, "no_edit")


def test_a_membership_ended_in_the_same_request_leaves_the_scope():
    world = world_module.build()
    outsider = verified(world.outsider)
    today = dt.date.today()  # noqa: DTZ011 - the policy's own "today"
    with memo_scope():
        assert world.south.pk in scope_for(outsider).team_ids
        assert decide(outsider, world.other.pk).allowed
        membership = outsider.memberships.get(team=world.south)
        accounts.membership_end(
            actor=None, membership=membership, end_date=today - dt.timedelta(days=1), reason="Moved"
        )
        assert world.south.pk not in scope_for(outsider).team_ids
        assert not decide(outsider, world.other.pk).allowed


def test_a_code_added_by_a_reload_is_valid_in_the_same_request(tmp_path):
    directory = tmp_path / "lists"
    directory.mkdir()
    (directory / "manifest.csv").write_text(
        "name,title,valid_from,valid_to,applies_to,source\ncolours,Colours,,,test,test\n",
        encoding="utf-8",
    )
    (directory / "colours.csv").write_text("code,description\nRED,Red\n", encoding="utf-8")
    with memo_scope():
        codelists.code_lists_load(lists=codelists.read_code_lists(directory))
        assert codelists.is_valid("colours", "RED")
        assert not codelists.is_valid("colours", "BLUE")
        (directory / "colours.csv").write_text(
            "code,description\nRED,Red\nBLUE,Blue\n", encoding="utf-8"
        )
        codelists.code_lists_load(lists=codelists.read_code_lists(directory))
        assert codelists.is_valid("colours", "BLUE")
