import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from plans.models import BoardMeeting
from tests.factories import (
    ActionFactory,
    AreaFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    member,
)


def dashboard_url(plan) -> str:
    return reverse("dashboard:home", kwargs={"plan_slug": plan.slug})


def board_pack_url(plan) -> str:
    return reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _count_in(row: str, key: str) -> str:
    """The count a sighted reader sees in the RAG table cell `key` of `row`."""
    cell = re.search(rf'data-rag="{key}">(.*?)</td>', row, re.S).group(1)
    return re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', "", cell).strip()


@pytest.fixture
def signed_in(client, board_member):
    client.force_login(board_member)
    return client


def test_dashboard_shows_each_workstreams_rag_counts_in_words_and_numbers(signed_in, plan, jc,
                                                                          ehc):
    for rag in [Rag.BLUE, Rag.RED, Rag.RED, ""]:
        ActionFactory(plan=plan, workstream=jc, rag=rag)
    response = signed_in.get(dashboard_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(r'data-workstream="JC">(.*?)</tr>', html, re.S).group(1)
    assert [_count_in(row, key) for key in ("blue", "green", "amber", "red", "not-reported")
            ] == ["1", "0", "0", "2", "1"]
    assert "25%" in row
    assert reverse("workstreams:detail", kwargs={"plan_slug": plan.slug, "code": "JC"}) in row
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

    html = signed_in.get(dashboard_url(plan)).content.decode()

    worsened = re.search(r'data-changes="worsened">(.*?)</table>', html, re.S).group(1)
    assert ">JC1<" in worsened
    assert ">JC2<" not in worsened


def test_dashboard_says_when_no_board_meeting_is_recorded(signed_in, plan, jc):
    assert "No board meeting has been recorded yet" in _text(
        signed_in.get(dashboard_url(plan)))


@pytest.fixture
def reads_both(plan, other_plan):
    """A board member of both plans."""
    reader = member(UserFactory(username="reads-both"), plan, Role.BOARD)
    return member(reader, other_plan, Role.BOARD)


def test_each_plans_dashboard_is_at_its_own_address_and_shows_only_its_own_plan(
        client, reads_both, plan, jc, other_plan, other_jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED,
                  title="Ours is red")
    for number in (1, 2):
        ActionFactory(plan=other_plan, workstream=other_jc, ref=f"JC{number}",
                      ref_number=number, rag=Rag.RED, title=f"Theirs is red {number}")
    assert dashboard_url(plan) == "/test-area/"
    assert dashboard_url(other_plan) == "/other-area/"
    client.force_login(reads_both)

    ours = client.get(dashboard_url(plan))
    theirs = client.get(dashboard_url(other_plan))

    assert ours.status_code == theirs.status_code == 200
    ours_html, theirs_html = ours.content.decode(), theirs.content.decode()
    assert "Test Area" in _text(ours) and "Other Area" not in _text(ours)
    assert "Other Area" in _text(theirs) and "Test Area" not in _text(theirs)
    assert "Ours is red" in ours_html and "Theirs is red" not in ours_html
    assert "Theirs is red 1" in theirs_html and "Ours is red" not in theirs_html
    ours_row = re.search(r'data-workstream="JC">(.*?)</tr>', ours_html, re.S).group(1)
    theirs_row = re.search(r'data-workstream="JC">(.*?)</tr>', theirs_html, re.S).group(1)
    assert _count_in(ours_row, "red") == "1"
    assert _count_in(theirs_row, "red") == "2"
    # Every link of a plan's dashboard stays within that plan.
    assert "/test-area/actions/JC1/" in ours_html and "/other-area/" not in ours_html
    assert "/other-area/actions/JC1/" in theirs_html and "/test-area/" not in theirs_html


def test_the_dashboard_of_a_plan_the_reader_holds_no_role_in_is_not_found(signed_in, plan,
                                                                          other_plan):
    assert signed_in.get(dashboard_url(plan)).status_code == 200
    for url in (dashboard_url(other_plan), board_pack_url(other_plan)):
        response = signed_in.get(url)
        assert response.status_code == 404, url
        assert "Other Area" not in response.content.decode()


def test_an_unknown_plans_address_is_a_page_not_found(signed_in, plan):
    response = signed_in.get("/nowhere/")
    assert response.status_code == 404
    assert "<title>Page not found" in response.content.decode()


def test_your_plans_lists_the_plans_the_user_holds_a_role_in(client, reads_both, plan,
                                                             other_plan):
    PlanFactory(slug="third-area", local_area__name="Third Area")
    client.force_login(reads_both)
    response = client.get(reverse("plans"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{dashboard_url(plan)}"' in html
    assert f'href="{dashboard_url(other_plan)}"' in html
    text = _text(response)
    assert f"Test Area: {plan.title}" in text and f"Other Area: {other_plan.title}" in text
    assert "Third Area" not in text and "third-area" not in html


def test_your_plans_goes_straight_to_the_plan_when_the_user_holds_a_role_in_one(
        signed_in, plan, other_plan):
    response = signed_in.get(reverse("plans"))
    assert response.status_code == 302
    assert response["Location"] == dashboard_url(plan)


def test_your_plans_says_so_when_the_user_holds_no_role_in_any_plan(client, no_role_user, plan):
    client.force_login(no_role_user)
    response = client.get(reverse("plans"))
    assert response.status_code == 200
    assert "You do not hold a role in any plan" in _text(response)
    assert "Test Area" not in _text(response)
    assert client.get(dashboard_url(plan)).status_code == 404


def test_a_site_administrator_is_offered_every_plan(client, administrator, plan, other_plan):
    client.force_login(administrator)
    html = client.get(reverse("plans")).content.decode()
    assert f'href="{dashboard_url(plan)}"' in html
    assert f'href="{dashboard_url(other_plan)}"' in html
    assert client.get(dashboard_url(other_plan)).status_code == 200


def test_board_pack_has_a_section_per_workstream_with_plan_name_and_date(signed_in, plan, jc,
                                                                         ehc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1)
    html = signed_in.get(board_pack_url(plan)).content.decode()
    sections = re.findall(r'data-workstream-section="(\w+)"', html)
    assert sections == ["JC", "EHC"]
    # One running header, which print styles repeat on every page.
    assert html.count('class="app-running-header"') == 1
    assert html.count("app-print-page-break") >= len(sections)
    assert f"{plan.local_area}: {plan.title}" in html


def _count_link(row: str, key: str) -> tuple[str, str] | None:
    """The address and the words read out of the count's link in cell `key` of `row`."""
    cell = re.search(rf'data-rag="{key}">(.*?)</td>', row, re.S).group(1)
    link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', cell, re.S)
    if link is None:
        return None
    return (link.group(1).replace("&amp;", "&"),
            " ".join(re.sub(r"<[^>]+>", " ", link.group(2)).split()))


def _listed_refs(client, url: str) -> set[str]:
    html = client.get(url).content.decode()
    table = re.search(r"<table.*?</table>", html, re.S).group(0)
    return set(re.findall(r'/actions/([A-Z]+\d+)/"', table))


def test_each_rag_count_links_to_the_list_of_exactly_the_actions_it_counts(signed_in, plan,
                                                                           jc, ehc):
    for number, rag in enumerate([Rag.RED, Rag.RED, Rag.AMBER, Rag.BLUE, ""], start=1):
        ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number, rag=rag)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.RED)
    html = signed_in.get(dashboard_url(plan)).content.decode()
    jc_row = re.search(r'data-workstream="JC">(.*?)</tr>', html, re.S).group(1)
    totals = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)

    url, name = _count_link(jc_row, "red")
    assert name == "2 Red actions in workstream JC"
    assert _listed_refs(signed_in, url) == {"JC1", "JC2"}
    url, name = _count_link(jc_row, "not-reported")
    assert name == "1 action not reported in workstream JC"
    assert _listed_refs(signed_in, url) == {"JC5"}
    url, name = _count_link(totals, "red")
    assert name == "3 Red actions in the whole plan"
    assert _listed_refs(signed_in, url) == {"JC1", "JC2", "EHC1"}
    assert _count_link(jc_row, "green") is None and _count_in(jc_row, "green") == "0"


def test_board_pack_shows_each_measures_trend_against_baseline_and_target_and_variation(
        signed_in, plan, jc, ehc):
    q3 = ReportingPeriodFactory(plan=plan, label="2020-Q3", start=dt.date(2020, 7, 1),
                                end=dt.date(2020, 9, 30))
    q4 = ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                end=dt.date(2020, 12, 31))
    wait = MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=jc),
                          title="ASD waiting time", kind="duration", unit="weeks",
                          direction="lower", area_breakdown="ccg", baseline=30, target=18)
    MeasureReadingFactory(measure=wait, period=q3, value=28)
    MeasureReadingFactory(measure=wait, period=q4, value=21)
    for area, first, latest in [("Mid Essex", 20, 19), ("West Essex", 35, 24)]:
        area = AreaFactory(plan=plan, name=area)
        MeasureReadingFactory(measure=wait, period=q3, area=area, value=first)
        MeasureReadingFactory(measure=wait, period=q4, area=area, value=latest)
    MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=ehc),
                   title="EHC plans on time", kind="percentage", direction="higher")

    text = _text(signed_in.get(board_pack_url(plan)))

    trends = text[text.index("Outcome measures: trend against baseline and target"):]
    jc_table = trends[trends.index("Measures of workstream JC"):
                      trends.index("Measures of workstream EHC")]
    assert ("ASD waiting time 30 weeks 21 weeks (2020-21 Q3) 18 weeks "
            "Down 7 weeks from 28 weeks in 2020-21 Q2 Improved") in jc_table
    assert "EHC plans on time Not published No reading yet" in trends
    variation = text[text.index("Spread between areas, first reporting period against latest"):]
    assert "Mid Essex 20 weeks, West Essex 35 weeks" in variation
    assert "Mid Essex 19 weeks, West Essex 24 weeks" in variation
    assert "Narrowing" in variation


def test_board_pack_prints_the_audit_trails_count_and_head_hash_to_check_it_by(
        signed_in, plan, jc, checkpoint_dir):
    from audit.checkpoints import write_checkpoint
    from audit.models import AuditEntry

    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    checkpoint = write_checkpoint()
    action.title = "Renamed after the checkpoint"
    action.save()
    head = AuditEntry.objects.order_by("-sequence").first()

    text = _text(signed_in.get(board_pack_url(plan)))

    assert f"the audit trail in the service’s database held {head.sequence} entries, the " \
           f"newest sealed with hash {head.hash}" in text
    assert f"verify_audit --expect {head.sequence}:{head.hash}" in text
    assert f"The latest checkpoint signed outside the database, {checkpoint.source}" in text
    assert f"{checkpoint.count} entries, head hash {checkpoint.head_hash}" in text



def test_board_pack_attests_the_trail_as_it_stands_after_any_change(signed_in, plan, jc,
                                                                    board_member):
    from audit.checkpoints import trail_head

    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    before = trail_head()
    assert f"--expect {before[0]}:{before[1]}" in _text(signed_in.get(board_pack_url(plan)))
    # A change to an account, in no plan, is an audit entry too: the pack drawn before it
    # is not printed again.
    board_member.first_name = "Bea"
    board_member.save()

    after = trail_head()
    assert after[0] == before[0] + 1
    assert f"--expect {after[0]}:{after[1]}" in _text(signed_in.get(board_pack_url(plan)))
