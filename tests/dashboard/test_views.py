import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from plans.models import BoardMeeting
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)
from workstreams.selectors import SESSION_PLAN_KEY


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def signed_in(client, board_member):
    client.force_login(board_member)
    return client


def test_dashboard_shows_each_workstreams_rag_counts_in_words_and_numbers(signed_in, plan, jc,
                                                                          ehc):
    for rag in [Rag.BLUE, Rag.RED, Rag.RED, ""]:
        ActionFactory(plan=plan, workstream=jc, rag=rag)
    response = signed_in.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'data-workstream="JC">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r'data-rag="blue">1<', row)
    assert re.search(r'data-rag="red">2<', row)
    assert re.search(r'data-rag="not-reported">1<', row)
    assert "25%" in row
    assert reverse("workstreams:detail", args=["JC"]) in row
    text = _text(response)
    for word in ("Blue", "Green", "Amber", "Red", "Not reported"):
        assert word in text


def test_dashboard_lists_what_changed_since_the_last_board_meeting(signed_in, plan, jc):
    today = timezone.localdate()
    period = ReportingPeriodFactory(plan=plan, label="now", start=today - dt.timedelta(days=60),
                                    end=today + dt.timedelta(days=30))
    BoardMeeting.objects.create(plan=plan, date=today - dt.timedelta(days=20))
    after = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED)
    ProgressUpdateFactory(action=after, period=period, rag=Rag.GREEN,
                          date=today - dt.timedelta(days=40))
    ProgressUpdateFactory(action=after, period=period, rag=Rag.RED,
                          date=today - dt.timedelta(days=5))
    before = ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.RED)
    ProgressUpdateFactory(action=before, period=period, rag=Rag.RED,
                          date=today - dt.timedelta(days=30))

    html = signed_in.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()

    worsened = re.search(r'data-changes="worsened">(.*?)</table>', html, re.S).group(1)
    assert ">JC1<" in worsened
    assert ">JC2<" not in worsened


def test_dashboard_says_when_no_board_meeting_is_recorded(signed_in, plan, jc):
    assert "No board meeting has been recorded yet" in _text(
        signed_in.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})))


def test_plan_choice_is_hidden_with_one_plan_and_shown_with_two(signed_in, plan):
    assert reverse("dashboard:select_plan", kwargs={"plan_slug": plan.slug}) not in signed_in.get(
        reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()
    PlanFactory(slug="other-area", local_area="Other Area")
    html = signed_in.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()
    assert reverse("dashboard:select_plan", kwargs={"plan_slug": plan.slug}) in html
    assert "Other Area" in html


def test_choosing_a_plan_keeps_it_in_the_session(signed_in, plan):
    PlanFactory(slug="other-area", local_area="Other Area")
    response = signed_in.post(reverse("dashboard:select_plan", kwargs={"plan_slug": plan.slug}), {"plan": "other-area"})
    assert response.status_code == 302
    assert signed_in.session[SESSION_PLAN_KEY] == "other-area"
    assert "Other Area" in _text(signed_in.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})))


def test_choosing_an_unknown_plan_is_refused_naming_the_field(signed_in, plan):
    PlanFactory(slug="other-area", local_area="Other Area")
    response = signed_in.post(reverse("dashboard:select_plan", kwargs={"plan_slug": plan.slug}), {"plan": "nowhere"})
    assert response.status_code == 400
    assert SESSION_PLAN_KEY not in signed_in.session
    assert "<title>Error:" in response.content.decode()


def test_board_pack_has_a_section_per_workstream_with_plan_name_and_date(signed_in, plan, jc,
                                                                         ehc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1)
    html = signed_in.get(reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})).content.decode()
    sections = re.findall(r'data-workstream-section="(\w+)"', html)
    assert sections == ["JC", "EHC"]
    # One running header, which print styles repeat on every page.
    assert html.count('class="app-running-header"') == 1
    assert html.count("app-print-page-break") >= len(sections)
    assert f"{plan.local_area}: {plan.title}" in html
