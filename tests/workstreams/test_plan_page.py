import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import ActionFactory, MeasureFactory, OutcomeFactory
from tests.query_counts import assert_drawn_then_cached


def test_board_member_sees_what_is_done_about_mld_and_how_it_will_be_measured(
        client, essex, board_member):
    client.force_login(board_member)
    response = client.get(reverse("workstreams:plan", kwargs={"plan_slug": essex.slug}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "moderate learning difficulties" in page
    assert "ID1" in page and "ID8" in page
    assert "How we will know" in page
    assert "2471" in page
    assert "Inspectors’ feedback point" in page


def test_plan_page_links_every_action(client, essex, officer):
    client.force_login(officer)
    page = client.get(reverse("workstreams:plan", kwargs={"plan_slug": essex.slug})).content.decode()
    for ref in Action.objects.filter(plan=essex).values_list("ref", flat=True):
        assert reverse("actions:detail", args=[ref]) in page, ref


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
    assert_drawn_then_cached(client, reverse("workstreams:plan", kwargs={"plan_slug": plan.slug}), 14,
                             django_assert_max_num_queries)
