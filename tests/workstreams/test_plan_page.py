import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    OutcomeFactory,
    Role,
    UserFactory,
    member,
)
from tests.query_counts import assert_drawn_then_cached


def plan_url(plan) -> str:
    return reverse("workstreams:plan", kwargs={"plan_slug": plan.slug})


def test_board_member_sees_what_is_done_about_mld_and_how_it_will_be_measured(client, essex):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    response = client.get(plan_url(essex))
    assert response.status_code == 200
    page = response.content.decode()
    assert "moderate learning difficulties" in page
    assert "ID1" in page and "ID8" in page
    assert "How we will know" in page
    assert "2471" in page
    assert "Inspectors’ feedback point" in page


def test_plan_page_links_every_action(client, essex):
    client.force_login(member(UserFactory(username="essex-officer"), essex, Role.OFFICER))
    page = client.get(plan_url(essex)).content.decode()
    for ref in Action.objects.filter(plan=essex).values_list("ref", flat=True):
        assert reverse("actions:detail", kwargs={"plan_slug": essex.slug, "ref": ref}) in page, ref


def test_plan_page_of_a_plan_the_reader_holds_no_role_in_is_not_found(client, essex, plan,
                                                                      board_member):
    client.force_login(board_member)
    assert client.get(plan_url(plan)).status_code == 200
    assert client.get(plan_url(essex)).status_code == 404


def _grow(plan, workstream, n):
    outcome = OutcomeFactory(plan=plan, workstream=workstream)
    for _ in range(n):
        action = ActionFactory(plan=plan, workstream=workstream)
        outcome.actions.add(action)
        MeasureFactory(plan=plan, outcome=outcome)


@pytest.mark.parametrize("size", [2, 40])
def test_plan_page_runs_a_fixed_number_of_queries(client, jc, board_member, size,
                                                  django_assert_max_num_queries, plan):
    _grow(jc.plan, jc, size)
    client.force_login(board_member)
    assert_drawn_then_cached(client, plan_url(plan), 14, django_assert_max_num_queries)
