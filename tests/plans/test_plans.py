"""Plans side by side: each at its own address, in its own words, with its own calendar;
a plan's slug never hides a page of the site; a closed plan is kept for reading only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from plans.models import Plan
from plans.permissions import can_edit_workstream, can_enter_readings, can_read_plan
from plans.services import plan_create
from tests.factories import (
    ActionFactory,
    LocalAreaFactory,
    PlanFactory,
    Role,
    UserFactory,
    WeaknessFactory,
    WorkstreamFactory,
    member,
)


@pytest.mark.parametrize("slug", ["accounts", "admin", "public", "static", "media", "healthz",
                                  "accessibility", "actions", "Audit"])
def test_a_slug_that_would_hide_a_site_page_is_refused_by_name(db, slug):
    plan = Plan(slug=slug, local_area=LocalAreaFactory(), title="Plan")

    with pytest.raises(ValidationError) as refused:
        plan.full_clean()

    assert f"“{slug}” is a path the site already uses" in str(refused.value.message_dict["slug"])


def test_a_new_plan_has_its_reporting_periods_from_the_start(db):
    plan = plan_create(slug="norfolk", local_area=LocalAreaFactory(name="Norfolk"),
                       title="Norfolk WSOA", reason="A new area", starts_on=dt.date(2020, 10, 1),
                       ends_on=dt.date(2021, 6, 30))

    assert [p.label for p in plan.periods.order_by("start")] == ["2020-Q4", "2021-Q1", "2021-Q2"]


def test_an_accelerated_progress_plan_carries_forward_only_the_unresolved_weaknesses(db):
    area = LocalAreaFactory(name="Thurrock")
    wsoa = PlanFactory(slug="thurrock-wsoa", local_area=area)
    WeaknessFactory(plan=wsoa, number=1, summary="Resolved",
                    revisit_judgement="Sufficient progress")
    unresolved = WeaknessFactory(plan=wsoa, number=2, summary="Waiting times",
                                 revisit_judgement="Insufficient progress")

    app = plan_create(slug="thurrock-app", local_area=area, title="Thurrock APP",
                      reason="Revisit found insufficient progress", kind=Plan.Kind.APP,
                      follows=wsoa)

    carried = list(app.weaknesses.all())
    assert [(w.number, w.summary, w.carried_from) for w in carried] == [
        (1, "Waiting times", unresolved)]
    assert app.follows == wsoa


@pytest.mark.parametrize("kind,heading", [
    (Plan.Kind.WSOA, "Significant weakness 1: Joint commissioning"),
    (Plan.Kind.APP, "Significant weakness 1: Joint commissioning"),
    (Plan.Kind.PAP, "Area for priority action 1: Joint commissioning"),
    (Plan.Kind.STRATEGIC, "Area for improvement 1: Joint commissioning"),
])
def test_each_kind_of_plan_names_its_parts_in_its_own_words(client, plan, board_member, kind,
                                                           heading):
    plan.kind = kind
    plan.save()
    weakness = WeaknessFactory(plan=plan, number=1, summary="Joint commissioning")
    WorkstreamFactory(plan=plan, code="JC", weakness=weakness)
    client.force_login(board_member)

    plan_page = client.get(reverse("workstreams:plan", kwargs={"plan_slug": plan.slug}))
    workstream_page = client.get(reverse("workstreams:detail",
                                         kwargs={"plan_slug": plan.slug, "code": "JC"}))

    assert heading in plan_page.content.decode()
    assert heading in workstream_page.content.decode()
    assert Plan.Kind(kind).label.split(" (")[0] in plan_page.content.decode()


def test_a_closed_plan_is_kept_for_reading_and_nothing_in_it_can_be_changed(
        client, plan, jc, jc_lead, officer, administrator):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    plan.status = Plan.Status.CLOSED
    plan.save()

    for person in (jc_lead, officer, administrator):
        assert can_read_plan(person, plan)
        assert not can_edit_workstream(person, plan, jc.pk)
        assert not can_enter_readings(person, plan, jc.pk)
    client.force_login(jc_lead)
    page = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"}))
    assert "This plan is closed" in page.content.decode()
    assert "Add a progress update" not in page.content.decode()
    update = reverse("actions:update_new", kwargs={"plan_slug": plan.slug, "ref": "JC1"})
    assert client.get(update).status_code == 403


def test_your_plans_lists_only_the_plans_you_hold_a_role_in(client, plan, other_plan):
    third = PlanFactory(slug="third-area", local_area__name="Third Area")
    person = member(member(UserFactory(username="two-plans"), plan, Role.BOARD),
                    third, Role.ADVISER)
    client.force_login(person)

    page = client.get("/").content.decode()

    assert "Test Area" in page and "Third Area" in page
    assert "Other Area" not in page


def test_with_one_plan_you_go_straight_to_it(client, plan, board_member):
    client.force_login(board_member)

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/test-area/"


def test_with_no_role_anywhere_you_are_told_whom_to_ask(client, plan, no_role_user):
    client.force_login(no_role_user)

    page = client.get("/").content.decode()

    assert "You do not hold a role in any plan yet" in page
    assert "Test Area" not in page


@pytest.mark.parametrize("old,new", [
    ("/actions/JC10/", "/essex/actions/JC10/"),
    ("/actions/?rag=red&workstream=JC", "/essex/actions/?rag=red&workstream=JC"),
    ("/workstreams/JC/", "/essex/workstreams/JC/"),
    ("/measures/12/", "/essex/measures/12/"),
    ("/plan/", "/essex/plan/"),
    ("/board-pack/", "/essex/board-pack/"),
    ("/audit/?action=JC10", "/essex/audit/?action=JC10"),
])
def test_an_old_bookmark_moves_to_the_essex_plan_for_good(client, board_member, old, new):
    client.force_login(board_member)

    response = client.get(old)

    assert response.status_code == 301
    assert response.url == new


def test_a_plan_that_does_not_exist_is_a_styled_page_not_found(client, board_member):
    client.force_login(board_member)

    response = client.get("/nowhere/actions/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_plan_you_hold_no_role_in_looks_the_same_as_one_that_does_not_exist(
        client, plan, other_plan, board_member):
    client.force_login(board_member)

    theirs = client.get("/other-area/")
    nowhere = client.get("/nowhere/")

    assert theirs.status_code == nowhere.status_code == 404
    assert "Other Area" not in theirs.content.decode()


def test_a_closed_plans_records_are_refused_by_the_services_too(plan, jc, jc_lead, officer,
                                                               period):
    from actions import services as action_services
    from actions.models import Rag
    from measures.services import readings_record
    from tests.factories import MeasureFactory

    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    measure = MeasureFactory(plan=plan)
    plan.status = Plan.Status.CLOSED
    plan.save()

    with pytest.raises(ValidationError, match="The Test Area plan is closed"):
        action_services.progress_update_create(
            action=action, user=jc_lead, expected_version=action.version, rag=Rag.GREEN,
            narrative="On track.", period=period, date=period.start)
    with pytest.raises(ValidationError, match="The Test Area plan is closed"):
        readings_record(measure=measure, period=period, values_by_area={None: "12"},
                        user=officer)
    assert not action.progress_updates.exists()
    assert not measure.readings.exists()


def test_every_page_of_a_plan_with_demo_data_says_so(client, plan, jc, board_member):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    plan.has_demo_data = True
    plan.save()
    client.force_login(board_member)

    for name, kwargs in [("workstreams:plan", {}), ("workstreams:detail", {"code": "JC"}),
                         ("actions:list", {}), ("audit:list", {})]:
        page = client.get(reverse(name, kwargs={"plan_slug": plan.slug, **kwargs}))
        assert "illustrative demo data, not real Test Area figures" in page.content.decode(), \
            name


def test_a_plan_that_follows_another_does_not_name_it_to_readers_of_this_one(
        client, plan, board_member):
    earlier = PlanFactory(slug="earlier", local_area=plan.local_area,
                          title="The earlier statement nobody here may read")
    plan.kind = Plan.Kind.APP
    plan.follows = earlier
    plan.save()
    client.force_login(board_member)

    page = client.get(reverse("workstreams:plan", kwargs={"plan_slug": plan.slug}))

    text = page.content.decode()
    assert "following the area’s earlier Written Statement of Action" in text
    assert "The earlier statement nobody here may read" not in text
    assert "/earlier/" not in text
