"""A lead's own page ("Your actions"): exactly the actions of the workstreams they lead that
need something from them, in the right groups on the right day; and a refusal that says
whose action it is."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from actions.selectors import worklist
from tests.factories import (
    ActionFactory,
    MilestoneFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    member,
)

Q3 = (dt.date(2020, 7, 1), dt.date(2020, 9, 30))
Q4 = (dt.date(2020, 10, 1), dt.date(2020, 12, 31))


@pytest.fixture
def quarters(plan):
    return (ReportingPeriodFactory(plan=plan, label="2020-Q3", start=Q3[0], end=Q3[1]),
            ReportingPeriodFactory(plan=plan, label="2020-Q4", start=Q4[0], end=Q4[1]))


def _refs(rows) -> list[str]:
    return [row["ref"] for row in rows]


def test_a_leads_worklist_holds_only_their_workstreams_actions_in_the_right_groups(
        plan, jc, ehc, quarters):
    q3, q4 = quarters
    updated = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.GREEN,
                            current_due_date=dt.date(2021, 6, 30))
    ProgressUpdateFactory(action=updated, period=q4, date=dt.date(2020, 10, 5))
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.AMBER,
                  current_due_date=dt.date(2020, 10, 20))
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.RED,
                  current_due_date=dt.date(2020, 9, 30))
    ActionFactory(plan=plan, workstream=jc, ref="JC4", ref_number=4, rag=Rag.BLUE,
                  current_due_date=dt.date(2020, 9, 1))
    ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, rag=Rag.GREEN,
                  current_due_date=dt.date(2020, 11, 30))
    theirs = ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.RED,
                           current_due_date=dt.date(2020, 9, 1))
    MilestoneFactory(action=updated, title="Draft agreed", due_date=dt.date(2020, 10, 1))
    MilestoneFactory(action=updated, title="Signed off", due_date=dt.date(2020, 10, 30))
    MilestoneFactory(action=updated, title="Next year", due_date=dt.date(2021, 3, 1))
    MilestoneFactory(action=updated, title="Already done", due_date=dt.date(2020, 10, 1),
                     done_date=dt.date(2020, 9, 28))
    MilestoneFactory(action=theirs, title="Not theirs", due_date=dt.date(2020, 10, 1))

    work = worklist(plan, dt.date(2020, 10, 15), [jc.pk])

    assert work.period == q4
    # JC1 has its Q4 update; JC4 is Blue; EHC1 is led by someone else.
    assert _refs(work.needs_update) == ["JC2", "JC3", "JC5"]
    assert _refs(work.overdue) == ["JC3"]
    # Due by 14 November: JC2 (20 October), not JC5 (30 November) nor the Blue JC4.
    assert _refs(work.due_soon) == ["JC2"]
    assert [(m["title"], m["overdue"]) for m in work.milestones_due] == [
        ("Draft agreed", True), ("Signed off", False)]


def test_the_worklist_moves_with_the_calendar(plan, jc, quarters):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.GREEN,
                  current_due_date=dt.date(2020, 11, 30))

    in_september = worklist(plan, dt.date(2020, 9, 1), [jc.pk])
    in_november = worklist(plan, dt.date(2020, 11, 10), [jc.pk])
    in_december = worklist(plan, dt.date(2020, 12, 1), [jc.pk])

    assert (in_september.period.label, _refs(in_september.due_soon)) == ("2020-Q3", [])
    assert (in_november.period.label, _refs(in_november.due_soon)) == ("2020-Q4", ["JC1"])
    assert (_refs(in_december.due_soon), _refs(in_december.overdue)) == ([], ["JC1"])


def test_a_lead_lands_on_their_own_actions_and_sees_what_needs_an_update(client, plan, jc,
                                                                         jc_lead):
    today = timezone.localdate()
    ReportingPeriodFactory(plan=plan, label="This quarter", start=today - dt.timedelta(days=10),
                           end=today + dt.timedelta(days=80))
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER,
                  title="Joint commissioning strategy",
                  current_due_date=today + dt.timedelta(days=5))
    client.force_login(jc_lead)

    landing = client.get(reverse("plans"))
    assert landing.url == reverse("your_actions", kwargs={"plan_slug": plan.slug})
    page = client.get(landing.url).content.decode()

    assert 'data-needs-update="JC1"' in page
    assert 'data-due-soon="JC1"' in page
    assert reverse("actions:update_new", kwargs={"plan_slug": plan.slug, "ref": "JC1"}) in page
    assert ">Your actions<" in page  # in the navigation


def test_a_board_member_keeps_the_dashboard_and_has_no_worklist(client, plan, jc, board_member):
    client.force_login(board_member)

    landing = client.get(reverse("plans"))
    assert landing.url == reverse("dashboard:home", kwargs={"plan_slug": plan.slug})
    page = client.get(reverse("your_actions", kwargs={"plan_slug": plan.slug}))
    assert "You do not update any actions in this plan" in page.content.decode()
    assert ">Your actions<" not in client.get(landing.url).content.decode()


def test_a_refused_update_says_whose_action_it_is(client, plan, jc, ehc, ehc_lead):
    lead = UserFactory(username="jo", first_name="Jo", last_name="Lee")
    member(lead, plan, Role.LEAD, jc)
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    client.force_login(ehc_lead)

    response = client.get(reverse("actions:update_new",
                                  kwargs={"plan_slug": plan.slug, "ref": "JC1"}))

    page = response.content.decode()
    assert response.status_code == 403
    assert "You lead EHC. JC1 belongs to JC, led by Jo Lee." in page
    assert reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"}) in page
