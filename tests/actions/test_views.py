import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action, Evidence, Milestone, ProgressUpdate, Rag
from audit.models import AuditEntry
from plans.services import reporting_periods_extend
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MilestoneFactory,
    OrganisationFactory,
    OutcomeFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    member,
)
from tests.progress_updates import confirm_payload, give_update, is_check_page
from tests.query_counts import CACHED, assert_drawn_then_cached
from workstreams.models import FeedbackPoint

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER,
                         title="Commission an ASD pathway")


def url(name: str, action: Action, **kwargs) -> str:
    return reverse(f"actions:{name}",
                   kwargs={"plan_slug": action.plan.slug, "ref": action.ref, **kwargs})


def text(response) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(response, element_id: str) -> str:
    """The visible words of one tab panel of the page."""
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    end = html.find('class="govuk-tabs__panel', start)
    return text(type("Page", (), {"content": html[start:end if end > 0 else None].encode()}))


def update_data(action, period, **overrides):
    data = {"version": action.version, "rag": "green", "narrative": "Pathway agreed.",
            "period": period.pk, "date": "1/8/2020", "completed_date": ""}
    data.update(overrides)
    return data


# --- the action page -----------------------------------------------------------------

def test_action_page_shows_the_action_as_the_plan_describes_it(client, board_member, plan, jc,
                                                                period):
    owner = OrganisationFactory(plan=plan, name="Essex County Council")
    helper = OrganisationFactory(plan=plan, name="Family Forum Essex")
    action = ActionFactory(
        plan=plan, workstream=jc, ref="JC10", ref_number=10, title="Joint ASD pathway",
        description="Agree one pathway.", owner=owner, rag=Rag.AMBER,
        start_date=dt.date(2020, 4, 1), original_due_date=dt.date(2021, 3, 31),
        current_due_date=dt.date(2021, 9, 30), success_criteria="Waits under 18 weeks.",
        public_summary="Families get one route to assessment.",
        source_document="Essex WSOA, page 12", source_passage="JC10 The CCGs will ...")
    action.contributors.add(helper)
    client.force_login(board_member)

    page = text(client.get(url("detail", action)))

    for words in ["JC10: Joint ASD pathway", "Agree one pathway.", "Essex County Council",
                  "Family Forum Essex", "1 Apr 2020", "31 Mar 2021", "30 Sep 2021",
                  "moved from 31 Mar 2021", "Amber", "medium risk", "Waits under 18 weeks.",
                  "Families get one route to assessment.", "Essex WSOA, page 12",
                  "JC10 The CCGs will ...", "JC: Joint commissioning"]:
        assert words in page, words


def test_action_without_an_owner_says_the_plan_names_none(client, board_member, action):
    client.force_login(board_member)

    page = text(client.get(url("detail", action)))

    assert "Owner Not published in the source documents" in page


def test_due_date_not_moved_shows_no_slippage(client, board_member, action):
    client.force_login(board_member)

    assert "moved from" not in text(client.get(url("detail", action)))


def test_progress_history_is_newest_first_with_period_rag_and_author(
        client, board_member, action, period, jc_lead):
    jc_lead.first_name, jc_lead.last_name = "Priya", "Shah"
    jc_lead.save()
    ProgressUpdateFactory(action=action, period=period, date=dt.date(2020, 7, 10),
                          rag=Rag.RED, narrative="Not started: no provider.", author=jc_lead)
    ProgressUpdateFactory(action=action, period=period, date=dt.date(2020, 9, 20),
                          rag=Rag.AMBER, narrative="Provider found.", author=jc_lead)
    client.force_login(board_member)

    page = text(client.get(url("detail", action)))

    assert page.index("Provider found.") < page.index("Not started: no provider.")
    assert "20 Sep 2020 2020-21 Q2 Amber Provider found. Priya Shah" in page


def test_overdue_milestones_are_flagged(client, board_member, action):
    MilestoneFactory(action=action, title="Protocol drafted", due_date=dt.date(2020, 1, 31))
    MilestoneFactory(action=action, title="Protocol signed", due_date=dt.date(2020, 1, 31),
                     done_date=dt.date(2020, 1, 30))
    MilestoneFactory(action=action, title="Training delivered",
                     due_date=timezone.localdate() + dt.timedelta(days=30))
    client.force_login(board_member)

    page = section(client.get(url("detail", action)), "milestones")

    assert "Protocol drafted 31 Jan 2020 Overdue Not done" in page
    assert "Protocol signed 31 Jan 2020 30 Jan 2020" in page
    assert page.count("Overdue") == 1


def test_linked_outcomes_measures_and_feedback_are_shown(client, board_member, plan, jc,
                                                         action):
    outcome = OutcomeFactory(plan=plan, workstream=jc, outcome="Families wait less.")
    outcome.actions.add(action)
    measure = MeasureFactory(plan=plan, outcome=outcome, title="Weeks waiting for assessment")
    point = FeedbackPoint.objects.create(plan=plan, number=3, letter_date=dt.date(2020, 3, 2),
                                         text="Make the ASD pathway clearer.")
    point.actions.add(action)
    client.force_login(board_member)

    response = client.get(url("detail", action))

    measure_url = reverse("measures:detail",
                          kwargs={"plan_slug": plan.slug, "measure_id": measure.pk})
    assert measure_url == f"/test-area/measures/{measure.pk}/"
    assert f'href="{measure_url}"' in response.content.decode()
    page = text(response)
    assert "Families wait less." in page
    assert "Weeks waiting for assessment" in page
    assert "Feedback point 3, letter of 2 Mar 2020: Make the ASD pathway clearer." in page


def test_tabs_work_without_javascript_as_links_to_sections(client, board_member, action):
    client.force_login(board_member)

    html = client.get(url("detail", action)).content.decode()

    for tab in ["overview", "progress", "milestones", "evidence", "history"]:
        assert f'href="#{tab}"' in html
        assert f'id="{tab}"' in html
    assert 'class="govuk-tabs"' in html


def test_history_tab_shows_the_audit_trail_of_the_action(client, board_member, action, jc_lead,
                                                         period):
    services.progress_update_create(action=action, user=jc_lead, expected_version=1,
                                    rag=Rag.GREEN, narrative="Pathway agreed.", period=period,
                                    date=dt.date(2020, 8, 1))
    client.force_login(board_member)

    history = section(client.get(url("detail", action)), "history")

    assert "Amber to Green" in history


@pytest.mark.parametrize("who,shown", [
    ("board_member", True), ("officer", True), ("administrator", True), ("jc_lead", True),
    ("ehc_lead", False)])
def test_history_tab_is_shown_only_to_those_who_may_read_the_workstreams_audit_trail(
        client, request, action, who, shown):
    client.force_login(request.getfixturevalue(who))

    response = client.get(url("detail", action))

    html = response.content.decode()
    assert ('href="#history"' in html) is shown
    assert ('id="history"' in html) is shown
    assert (f"Action ‘{action}’ added" in text(response).replace("&#x27;", "'")) is shown


def test_history_tab_quotes_the_leads_narrative_as_the_reason_for_the_rag_change(
        client, board_member, jc_lead, action, period):
    jc_lead.first_name, jc_lead.last_name = "Jo", "Smith"
    jc_lead.save()
    client.force_login(jc_lead)
    give_update(client, url("update_new", action),
                update_data(action, period, narrative="waiting list cleared"))
    client.force_login(board_member)

    history = section(client.get(url("detail", action)), "history")

    today = timezone.localdate()
    assert (f"RAG changed from Amber to Green by J. Smith on {today.day} {today:%b} "
            f"{today.year}: ‘waiting list cleared’") in history


def test_progress_update_posted_by_a_lead_is_in_the_audit_trail_under_their_name(
        client, jc_lead, action, period):
    client.force_login(jc_lead)

    response = give_update(client, url("update_new", action), update_data(action, period))

    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_kind="action", action_ref=action.ref,
                                   change_type="changed")
    assert entry.actor == jc_lead
    assert entry.object_id == str(action.pk)
    assert entry.changes == {"RAG": ["Amber", "Green"]}
    assert entry.reason == "Pathway agreed."


def test_a_milestone_due_31_12_9999_is_refused_on_the_page_naming_the_field(
        client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(url("milestone_new", action),
                           {"title": "Protocol signed", "due_date": "31/12/9999"})

    assert response.status_code == 200
    page = text(response)
    assert "The date the milestone is due must be between" in page
    assert not Milestone.objects.exists()


def test_a_progress_update_dated_01_01_0001_is_refused_on_the_page(client, jc_lead, action,
                                                                  period):
    client.force_login(jc_lead)

    response = client.post(url("update_new", action), update_data(action, period,
                                                                  date="01/01/0001"))

    assert "The date of the update must be between" in text(response)
    assert not ProgressUpdate.objects.exists()


def _renamed(action, ref: str) -> Action:
    """As an administrator renumbering an action in admin would."""
    action.ref = ref
    action._change_reason = "Renumbered in the refreshed plan"
    action.save()
    return action


def test_history_follows_an_action_through_a_change_of_ref(client, board_member, action,
                                                           jc_lead, period):
    services.progress_update_create(action=action, user=jc_lead, expected_version=1,
                                    rag=Rag.GREEN, narrative="Pathway agreed.", period=period,
                                    date=dt.date(2020, 8, 1))
    MilestoneFactory(action=action, title="Pathway signed off")
    _renamed(action, "JC9")
    client.force_login(board_member)

    history = section(client.get(url("detail", action)), "history")

    assert "RAG changed from Amber to Green" in history
    assert "Milestone ‘Pathway signed off’ added" in history
    assert "Reference changed from JC1 to JC9" in history
    assert f"Action ‘JC1: {action.title}’ added" in history


def test_a_new_action_given_an_old_ref_inherits_none_of_its_history(client, board_member,
                                                                    action, jc, jc_lead, period):
    services.progress_update_create(action=action, user=jc_lead, expected_version=1,
                                    rag=Rag.GREEN, narrative="Pathway agreed.", period=period,
                                    date=dt.date(2020, 8, 1))
    MilestoneFactory(action=action, title="Pathway signed off")
    _renamed(action, "JC9")
    newcomer = ActionFactory(plan=action.plan, workstream=jc, ref="JC1", ref_number=1,
                             title="Review short breaks")
    client.force_login(board_member)

    history = section(client.get(url("detail", newcomer)), "history")

    assert "Action ‘JC1: Review short breaks’ added" in history
    assert "Amber to Green" not in history
    assert "Pathway signed off" not in history
    assert "Commission an ASD pathway" not in history


def _audit_entries_for(action, count: int) -> None:
    now = timezone.now()
    # bulk_create: many rows quickly; the page is what is measured, not the trail's chain.
    AuditEntry.objects.bulk_create(
        [AuditEntry(sequence=100_000 + n, recorded_at=now, actor_label=f"Person {n % 7}",
                    plan=action.plan, workstream_code="JC", action_ref=action.ref,
                    object_kind="action", object_id=str(action.pk), object_label=str(action),
                    change_type="changed", changes={"RAG": ["Amber", "Green"]},
                    reason=f"Entry {n}", prev_hash="0" * 64, hash="0" * 64)
         for n in range(count)], batch_size=1000)


@pytest.mark.parametrize("count", [10, 10_000])
def test_history_tab_shows_the_latest_50_changes_in_a_fixed_number_of_queries(
        client, board_member, action, count, django_assert_max_num_queries, plan):
    _audit_entries_for(action, count)
    client.force_login(board_member)

    response, cached = assert_drawn_then_cached(client, url("detail", action), 13,
                                                django_assert_max_num_queries)

    total = AuditEntry.objects.filter(action_ref=action.ref).count()
    entries = response.context["history_entries"]
    assert len(entries) == min(total, 50)
    assert entries[0].reason == f"Entry {count - 1}"
    audit_url = reverse("audit:list", kwargs={"plan_slug": plan.slug})
    more_link = f'href="{audit_url}?action={action.ref}"'
    assert (more_link in response.content.decode()) is (total > 50)
    assert (more_link in cached.content.decode()) is (total > 50)


def test_page_of_another_plans_action_is_not_found(client, board_member, action, plan):
    other = ActionFactory(plan=PlanFactory(local_area__name="Zeta"), ref="ZZ9", ref_number=9)
    client.force_login(board_member)

    assert client.get(url("detail", other)).status_code == 404
    assert client.get(reverse("actions:detail",
                              kwargs={"plan_slug": plan.slug, "ref": other.ref})
                      ).status_code == 404


def test_the_same_ref_in_another_plan_is_that_plans_own_action(client, board_member, action,
                                                               other_plan, other_jc):
    theirs = ActionFactory(plan=other_plan, workstream=other_jc, ref="JC1", ref_number=1,
                           title="Other area's short breaks review")
    client.force_login(board_member)

    mine = client.get(url("detail", action))

    assert url("detail", action) == "/test-area/actions/JC1/"
    assert mine.status_code == 200
    assert "JC1: Commission an ASD pathway" in text(mine)
    assert "Other area's short breaks review" not in mine.content.decode()
    # The board member holds no role in the other area: its action is not there for them.
    assert client.get(url("detail", theirs)).status_code == 404
    assert client.get(url("update_new", theirs)).status_code == 404


@pytest.mark.parametrize("times", [1, 100])
def test_action_page_runs_a_fixed_number_of_queries(client, board_member, plan, jc, action,
                                                    period, jc_lead, times,
                                                    django_assert_max_num_queries):
    # bulk_create: many rows quickly; the page is what is measured, not the audit trail.
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(action=action, period=period, author=jc_lead, date=dt.date(2020, 8, 1),
                       rag=Rag.GREEN, narrative=f"Update {n}") for n in range(times))
    Milestone.objects.bulk_create(
        Milestone(action=action, title=f"Milestone {n}", due_date=dt.date(2020, 12, 31))
        for n in range(times))
    Evidence.objects.bulk_create(
        Evidence(action=action, title=f"Link {n}", url="https://example.org/",
                 uploaded_by=jc_lead) for n in range(times))
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    outcome.actions.add(action)
    MeasureFactory(plan=plan, outcome=outcome)
    client.force_login(board_member)

    drawn, cached = assert_drawn_then_cached(client, url("detail", action), 14,
                                             django_assert_max_num_queries)

    assert text(drawn).count("Update ") >= times
    assert text(cached).count("Update ") >= times


def _tokens(response) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                      response.content.decode())


def test_readers_sharing_a_cached_action_page_each_see_only_their_own_name_and_token(
        client, board_member, plan, action, django_assert_max_num_queries):
    board_member.first_name, board_member.last_name = "Ada", "Quill"
    board_member.save()
    second = member(UserFactory(username="second-board-member", first_name="Bea",
                                last_name="Rook"), plan, Role.BOARD)
    client.force_login(board_member)
    first_page = client.get(url("detail", action))
    other = Client()
    other.force_login(second)

    with django_assert_max_num_queries(CACHED):  # the body is the one drawn for Ada
        second_page = other.get(url("detail", action))

    assert "Ada Quill" in text(first_page)
    assert "Bea Rook" in text(second_page)
    assert "Ada Quill" not in second_page.content.decode()
    assert _tokens(first_page) and _tokens(second_page)
    assert not set(_tokens(first_page)) & set(_tokens(second_page))


def test_a_leads_page_after_a_readers_holds_the_leads_own_forms(client, board_member, jc_lead,
                                                               action):
    milestone = MilestoneFactory(action=action)
    client.force_login(board_member)
    reader_page = client.get(url("detail", action)).content.decode()
    client.force_login(jc_lead)

    lead_page = client.get(url("detail", action)).content.decode()

    done = url("milestone_done", action, milestone_id=milestone.pk)
    assert done not in reader_page
    assert done in lead_page
    assert "Mark as done" in lead_page


def test_mark_as_done_is_a_button_in_view_that_marks_the_milestone_done_today(client, jc_lead,
                                                                             action):
    milestone = MilestoneFactory(action=action, title="Strategy signed")
    client.force_login(jc_lead)
    page = client.get(url("detail", action)).content.decode()
    before_any_disclosure = page[page.index('id="milestones"'):].split("<details")[0]
    assert ('Mark as done<span class="govuk-visually-hidden">: Strategy signed</span></button>'
            in before_any_disclosure)

    response = client.post(url("milestone_done", action, milestone_id=milestone.pk))

    milestone.refresh_from_db()
    assert response.status_code == 302
    assert milestone.done_date == timezone.localdate()


# --- who may edit -------------------------------------------------------------------

@pytest.mark.parametrize("who,shown", [
    ("jc_lead", True), ("administrator", True), ("ehc_lead", False),
    ("board_member", False), ("officer", False)])
def test_edit_controls_are_shown_only_to_leads_of_the_workstream_and_administrators(
        client, request, action, who, shown):
    MilestoneFactory(action=action)
    client.force_login(request.getfixturevalue(who))

    html = client.get(url("detail", action)).content.decode()

    assert ("Add a progress update" in html) is shown
    assert (url("update_new", action) in html) is shown
    assert (url("due_date", action) in html) is shown
    assert ("Mark as done" in html) is shown


EDIT_URLS = ["update_new", "milestone_new", "due_date", "evidence_new"]


@pytest.mark.parametrize("name", EDIT_URLS)
@pytest.mark.parametrize("who,status", [
    ("jc_lead", 200), ("administrator", 200), ("plan_administrator", 200), ("ehc_lead", 403),
    ("board_member", 403), ("officer", 403), ("adviser", 403), ("no_role_user", 404)])
def test_edit_pages_are_for_the_workstreams_leads_and_administrators(
        client, request, action, period, name, who, status):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(name, action)).status_code == status


@pytest.mark.parametrize("name", EDIT_URLS)
@pytest.mark.parametrize("who", ["ehc_lead", "board_member", "officer"])
def test_others_cannot_post_changes(client, request, action, period, name, who):
    client.force_login(request.getfixturevalue(who))

    response = client.post(url(name, action), {
        **update_data(action, period, confirm="1"), "title": "Sneaky", "due_date": "1/1/2021",
        "new_due_date": "1/1/2022", "reason": "Because", "url": "https://example.org/"})

    assert response.status_code == 403
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 1)
    assert not ProgressUpdate.objects.exists()
    assert not Milestone.objects.exists()
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who,status", [
    ("jc_lead", 302), ("administrator", 302), ("ehc_lead", 403), ("board_member", 403),
    ("officer", 403)])
def test_only_leads_and_administrators_tick_off_milestones(client, request, action, who,
                                                           status):
    milestone = MilestoneFactory(action=action)
    client.force_login(request.getfixturevalue(who))

    response = client.post(url("milestone_done", action, milestone_id=milestone.pk))

    assert response.status_code == status
    milestone.refresh_from_db()
    assert (milestone.done_date is not None) is (status == 302)


@pytest.mark.parametrize("name", EDIT_URLS)
def test_anonymous_visitors_are_sent_to_sign_in(client, action, name):
    response = client.get(url(name, action))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- progress updates ---------------------------------------------------------------

def test_progress_update_form_defaults_to_todays_quarter_and_date(client, jc_lead, plan,
                                                                   action, period):
    today = timezone.localdate()
    # The plan's calendar runs from the test period's quarter to today's.
    reporting_periods_extend(plan=plan, since=period.start, through=today)
    client.force_login(jc_lead)

    response = client.get(url("update_new", action))

    form = response.context["form"]
    quarter = (today.month - 1) // 3 + 1
    assert form.fields["period"].queryset.get(pk=form["period"].value()).label == (
        f"{today.year}-Q{quarter}")
    assert form["date"].value() == today
    assert form["version"].value() == 1


def test_progress_update_form_names_each_period_by_its_financial_quarter(client, jc_lead,
                                                                        action, period):
    client.force_login(jc_lead)

    page = client.get(url("update_new", action)).content.decode()

    # July to September 2020, as the pack and the messages name it.
    option = re.search(rf'<option value="{period.pk}"[^>]*>([^<]*)</option>', page)
    assert option.group(1).strip() == "2020-21 Q2"
    assert "2020-Q3" not in page


def test_progress_update_form_defaults_to_the_latest_period_once_the_calendar_runs_out(
        client, jc_lead, action, period):
    client.force_login(jc_lead)

    form = client.get(url("update_new", action)).context["form"]

    assert form["period"].value() == period.pk
    assert form["date"].value() == timezone.localdate()


def test_lead_adds_a_progress_update_and_sees_it(client, jc_lead, action, period):
    client.force_login(jc_lead)

    response = give_update(client, url("update_new", action), update_data(action, period),
                           follow=True)

    assert response.redirect_chain[-1][0].startswith(url("detail", action))
    page = text(response)
    assert "Progress update added to JC1" in page
    assert "1 Aug 2020 2020-21 Q2 Green Pathway agreed." in page
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.GREEN, 2)


def test_progress_update_without_narrative_is_refused_with_a_message(client, jc_lead, action,
                                                                     period):
    client.force_login(jc_lead)

    response = client.post(url("update_new", action), update_data(action, period, narrative=""))

    assert response.status_code == 200
    page = text(response)
    assert page.startswith("Error: ")
    assert "There is a problem" in page
    assert 'href="#id_narrative"' in response.content.decode()
    assert "Enter a narrative explaining the progress and the RAG status" in page
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_over_long_narrative_is_refused_with_a_message_naming_the_field(client, jc_lead, action,
                                                                        period):
    client.force_login(jc_lead)
    words = "y" * 5001

    response = client.post(url("update_new", action), update_data(action, period,
                                                                  narrative=words))

    assert "Narrative must be 5,000 characters or fewer (it has 5,001)" in text(response)
    assert words in response.content.decode()  # kept whole for the user to shorten
    assert 'maxlength' not in response.content.decode().split('id="id_narrative"')[0][-300:]
    assert not ProgressUpdate.objects.exists()


def test_blue_without_completed_date_is_refused_on_the_form(client, jc_lead, action, period):
    client.force_login(jc_lead)

    response = client.post(url("update_new", action), update_data(action, period, rag="blue"))

    assert "Enter the date the action was completed" in text(response)
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_blue_with_undone_milestones_asks_for_the_reason(client, jc_lead, action, period):
    MilestoneFactory(action=action)
    client.force_login(jc_lead)
    data = update_data(action, period, rag="blue", completed_date="30/7/2020")

    refused = client.post(url("update_new", action), data)
    saved = give_update(client, url("update_new", action),
                        {**data, "milestones_reason": "Training moved to the new contract."})

    assert "Enter the reason the remaining 1 milestone is not done" in text(refused)
    assert saved.status_code == 302
    action.refresh_from_db()
    assert (action.rag, action.completed_date) == (Rag.BLUE, dt.date(2020, 7, 30))


def test_every_progress_update_shows_the_answers_to_check_before_saving(client, jc_lead,
                                                                        action, period):
    client.force_login(jc_lead)
    data = update_data(action, period, narrative="Pathway agreed <by both CCGs>.")

    check = client.post(url("update_new", action), data)

    assert is_check_page(check)
    page = text(check)
    assert page.startswith("Check your answers: JC1")
    assert "Check your answers before saving" in page
    for words in ["RAG status Amber to Green", "Narrative Pathway agreed &lt;by both CCGs&gt;.",
                  "Reporting period 2020-21 Q2", "Date of the update 1 Aug 2020",
                  "Confirm and save"]:
        assert words in page, words
    assert "Completed date" not in page
    assert "significant risk" not in page  # the Red warning is for Red alone
    html = check.content.decode()
    assert 'name="narrative" value="Pathway agreed &lt;by both CCGs&gt;."' in html
    assert f'href="{url("update_new", action)}?change=1#id_narrative"' in html
    assert f'href="{url("update_new", action)}?change=1#id_rag_0"' in html
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 1)


def test_a_repeat_after_someone_elses_update_is_still_a_conflict(client, jc_lead, action,
                                                                 period):
    client.force_login(jc_lead)
    check = client.post(url("update_new", action), update_data(action, period))
    payload = confirm_payload(check)
    client.post(url("update_new", action), payload)
    other = member(UserFactory(username="other-lead"), action.plan, Role.LEAD, action.workstream)
    action.refresh_from_db()
    services.progress_update_create(
        action=action, user=other, expected_version=action.version, rag=Rag.RED,
        narrative="Funding withdrawn.", period=period, date=dt.date(2020, 8, 2))

    again = client.post(url("update_new", action), payload)

    assert "Someone else changed" in text(again)
    assert ProgressUpdate.objects.filter(action=action).count() == 2


def test_the_action_page_says_which_public_summary_families_read(client, board_member,
                                                                  officer, action):
    from public import services as public_services

    client.force_login(board_member)
    assert "Public summary Not published" in text(client.get(url("detail", action)))

    public_services.summary_draft_save(action=action, text="Families get a key worker.",
                                       user=officer, reason="First draft")
    page = text(client.get(url("detail", action)))
    assert "Public summary Not published Draft, not yet published: Families get a key" in page

    action.refresh_from_db()
    public_services.summary_publish(action=action, user=officer, reason="Agreed by the board")
    page = text(client.get(url("detail", action)))
    assert "Public summary Families get a key worker." in page
    assert "Draft, not yet published" not in page

    public_services.summary_draft_save(action=action, text="Every family gets a key worker.",
                                       user=officer, reason="Wider offer")
    page = text(client.get(url("detail", action)))
    assert ("Public summary Families get a key worker. Draft, not yet published: Every "
            "family") in page


def test_an_update_dated_before_the_latest_says_the_colour_stays_before_saving(
        client, jc_lead, action, period):
    ProgressUpdateFactory(action=action, date=dt.date(2020, 9, 1), rag=Rag.AMBER,
                          period=period)
    client.force_login(jc_lead)
    data = update_data(action, period, rag=Rag.RED, narrative="July's report, late.")

    check = client.post(url("update_new", action), data)

    page = text(check)
    assert "Red for this update. JC1 stays Amber : its update of 1 Sep 2020 is later" in page
    assert "significant risk" not in page  # it does not turn the action Red
    client.post(url("update_new", action), confirm_payload(check))
    action.refresh_from_db()
    assert action.rag == Rag.AMBER
    assert action.progress_updates.filter(rag=Rag.RED, date=dt.date(2020, 8, 1)).exists()


def test_a_blue_update_shows_its_completed_date_and_reason_to_check(client, jc_lead, action,
                                                                   period):
    MilestoneFactory(action=action)
    client.force_login(jc_lead)

    check = client.post(url("update_new", action), update_data(
        action, period, rag="blue", completed_date="30/7/2020",
        milestones_reason="Training moved to the new contract."))

    page = text(check)
    assert "RAG status Amber to Blue" in page
    assert "Completed date 30 Jul 2020" in page
    assert ("Reason the remaining milestones are not done Training moved to the new contract."
            in page)


def test_confirming_saves_the_checked_update_once(client, jc_lead, action, period):
    client.force_login(jc_lead)
    check = client.post(url("update_new", action),
                        update_data(action, period, narrative="Pathway agreed.\nSigned off."))
    confirmation = confirm_payload(check)

    saved = client.post(url("update_new", action), confirmation)
    # A second press of the button, as a double click sends: the lead's own update is found.
    again = client.post(url("update_new", action), confirmation, follow=True)

    assert saved.status_code == 302
    assert saved.url == url("detail", action) + "#progress"
    assert "Progress update added to JC1" in text(again)
    assert "Someone else changed" not in text(again)
    update = ProgressUpdate.objects.get()
    assert (update.rag, update.narrative) == (Rag.GREEN, "Pathway agreed.\nSigned off.")
    assert (update.date, update.period) == (dt.date(2020, 8, 1), period)
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.GREEN, 2)


def test_change_link_on_the_check_page_keeps_the_users_answers(client, jc_lead, action, period):
    client.force_login(jc_lead)
    data = update_data(action, period, rag="blue", narrative="Provider signed.",
                       completed_date="30/7/2020", date="2/8/2020")
    client.post(url("update_new", action), data)

    changing = client.get(url("update_new", action) + "?change=1")
    fresh = client.get(url("update_new", action)).context["form"]

    form = changing.context["form"]
    assert form["narrative"].value() == "Provider signed."
    assert form["rag"].value() == "blue"
    assert form["completed_date"].value() == "30/7/2020"
    assert form["date"].value() == "2/8/2020"
    assert str(form["period"].value()) == str(period.pk)
    assert 'value="blue" checked' in changing.content.decode()
    assert fresh["narrative"].value() is None  # a new visit starts a new update
    assert not ProgressUpdate.objects.exists()


def test_a_changed_answer_is_checked_again_before_saving(client, jc_lead, action, period):
    client.force_login(jc_lead)
    client.post(url("update_new", action), update_data(action, period, narrative="First go."))
    form = client.get(url("update_new", action) + "?change=1").context["form"]

    response = give_update(client, url("update_new", action), {
        **{name: form[name].value() or "" for name in form.fields}, "narrative": "Second go."})

    assert response.status_code == 302
    assert ProgressUpdate.objects.get().narrative == "Second go."


def test_a_confirmation_based_on_an_old_version_is_refused_and_nothing_is_lost(
        client, jc_lead, administrator, action, period):
    client.force_login(jc_lead)
    check = client.post(url("update_new", action),
                        update_data(action, period, narrative="My careful account."))
    services.due_date_move(action=action, user=administrator, expected_version=1,
                           new_due_date=dt.date(2021, 6, 30), reason="Board agreed a delay.")

    response = client.post(url("update_new", action), confirm_payload(check))

    assert response.status_code == 200
    page = text(response)
    assert page.startswith("Error: ")
    assert "Someone else changed this action while you were editing" in page
    assert "Board agreed a delay." in page
    assert response.context["form"]["narrative"].value() == "My careful account."
    assert response.context["form"]["version"].value() == "2"
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 2)


@pytest.mark.parametrize("forged,message", [
    ({"narrative": "   "}, "Enter a narrative explaining the progress and the RAG status"),
    ({"narrative": "y" * 5001}, "Narrative must be 5,000 characters or fewer"),
    ({"rag": "blue"}, "Enter the date the action was completed"),
    ({"rag": "purple"}, "Select the RAG status you are reporting"),
    ({"completed_date": "30/7/2020"}, "Only a Blue (completed) action has a completed date"),
    ({"date": "31/12/9999"}, "The date of the update must be today or in the past"),
    ({"period": "other"}, "Select a reporting period of this plan"),
])
def test_an_edited_confirmation_is_validated_again(client, jc_lead, action, period, other_plan,
                                                   forged, message):
    other_period = ReportingPeriodFactory(plan=other_plan)
    client.force_login(jc_lead)
    check = client.post(url("update_new", action), update_data(action, period))
    if forged.get("period") == "other":
        forged = {"period": other_period.pk}

    response = client.post(url("update_new", action), {**confirm_payload(check), **forged})

    assert response.status_code == 200
    assert not is_check_page(response)
    assert "There is a problem" in text(response)
    assert message in text(response)
    assert not ProgressUpdate.objects.exists()
    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 1)


def test_worsening_to_red_warns_on_the_check_page(client, jc_lead, action, period):
    client.force_login(jc_lead)
    data = update_data(action, period, rag="red", narrative="Provider withdrew <today>.")

    check = client.post(url("update_new", action), data)

    assert is_check_page(check)
    page = text(check)
    assert "Warning This update changes JC1 from Amber to Red" in page
    assert "The board will see it as a red action." in page
    assert not ProgressUpdate.objects.exists()

    confirmed = client.post(url("update_new", action), confirm_payload(check))

    assert confirmed.status_code == 302
    action.refresh_from_db()
    assert action.rag == Rag.RED
    assert ProgressUpdate.objects.get().narrative == "Provider withdrew <today>."


def test_red_to_red_is_checked_without_the_warning(client, jc_lead, action, period):
    action.rag = Rag.RED
    action.save()
    client.force_login(jc_lead)

    check = client.post(url("update_new", action), update_data(action, period, rag="red"))

    assert is_check_page(check)
    assert "RAG status Red (unchanged)" in text(check)
    assert "Warning" not in text(check)


# --- milestones and due dates -------------------------------------------------------

def test_lead_adds_a_milestone(client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(url("milestone_new", action),
                           {"title": "Protocol signed", "due_date": "31/12/2020"})

    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.title, milestone.due_date) == ("Protocol signed", dt.date(2020, 12, 31))


def test_milestone_without_due_date_is_refused(client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(url("milestone_new", action), {"title": "Protocol signed"})

    assert "Enter the date the milestone is due" in text(response)
    assert not Milestone.objects.exists()


def test_lead_ticks_off_a_milestone_on_a_given_date_with_a_note(client, jc_lead, action):
    milestone = MilestoneFactory(action=action)
    client.force_login(jc_lead)

    response = client.post(url("milestone_done", action, milestone_id=milestone.pk), {
        f"milestone-{milestone.pk}-done_date": "2/11/2020",
        f"milestone-{milestone.pk}-reason": "Signed at the board."})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_date == dt.date(2020, 11, 2)
    assert milestone.history.latest().history_change_reason == "Signed at the board."


def test_milestone_done_in_the_future_is_refused_on_the_action_page(client, jc_lead, action):
    milestone = MilestoneFactory(action=action)
    client.force_login(jc_lead)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(url("milestone_done", action, milestone_id=milestone.pk), {
        f"milestone-{milestone.pk}-done_date": tomorrow.strftime("%d/%m/%Y")})

    assert response.status_code == 400
    page = text(response)
    assert page.startswith("Error: ")
    assert "The date the milestone was done must be today or in the past" in page
    milestone.refresh_from_db()
    assert milestone.done_date is None


def test_milestone_done_is_post_only(client, jc_lead, action):
    milestone = MilestoneFactory(action=action)
    client.force_login(jc_lead)

    response = client.get(url("milestone_done", action, milestone_id=milestone.pk))

    assert response.status_code == 405


def test_due_date_move_is_checked_then_keeps_the_original(client, jc_lead, action):
    client.force_login(jc_lead)
    data = {"version": 1, "new_due_date": "30/6/2021",
            "reason": "The provider's contract starts in April."}

    check = client.post(url("due_date", action), data)

    page = text(check)
    assert "Check your answers before moving the due date" in page
    assert "New due date 30 Jun 2021" in page
    action.refresh_from_db()
    assert action.current_due_date == dt.date(2021, 3, 31)

    done = client.post(url("due_date", action), {**data, "confirm": "1"}, follow=True)

    action.refresh_from_db()
    assert action.original_due_date == dt.date(2021, 3, 31)
    assert action.current_due_date == dt.date(2021, 6, 30)
    assert "moved from 31 Mar 2021" in text(done)


def test_due_date_move_needs_a_reason(client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(url("due_date", action),
                           {"version": 1, "new_due_date": "30/6/2021", "reason": "",
                            "confirm": "1"})

    assert "Enter the reason the due date is moving" in text(response)
    action.refresh_from_db()
    assert action.current_due_date == dt.date(2021, 3, 31)


# --- evidence -----------------------------------------------------------------------

def post_evidence(client, action, name, content, **extra):
    return client.post(url("evidence_new", action), {
        "title": "Board minutes", "url": "", "file": SimpleUploadedFile(name, content),
        **extra})


def test_evidence_is_kept_with_its_type(client, jc_lead, action):
    client.force_login(jc_lead)
    assert post_evidence(client, action, "survey.pdf", PDF,
                         kind="parent_carer_survey").status_code == 302
    assert Evidence.objects.get(action=action).get_kind_display() == "Parent carer survey"


def test_lead_uploads_evidence_and_readers_download_it_as_an_attachment(
        client, jc_lead, board_member, action):
    client.force_login(jc_lead)
    assert post_evidence(client, action, "minutes.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get()
    client.force_login(board_member)

    page = client.get(url("detail", action)).content.decode()
    response = client.get(url("evidence_download", action, evidence_id=evidence.pk))

    assert url("evidence_download", action, evidence_id=evidence.pk) in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="board-minutes.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_evidence_download_is_refused_to_anonymous_and_no_role_users(client, jc_lead, action,
                                                                     no_role_user):
    client.force_login(jc_lead)
    post_evidence(client, action, "minutes.pdf", PDF)
    evidence = Evidence.objects.get()
    client.logout()
    download = url("evidence_download", action, evidence_id=evidence.pk)

    anonymous = client.get(download)
    client.force_login(no_role_user)
    no_role = client.get(download)

    assert anonymous.status_code == 302
    assert anonymous.url.startswith(reverse("login"))
    assert no_role.status_code == 404  # the plan is not there for someone without a role


def test_file_whose_content_is_not_what_its_name_says_is_refused(client, jc_lead, action):
    client.force_login(jc_lead)

    response = post_evidence(client, action, "minutes.pdf", EXE)

    page = text(response)
    assert page.startswith("Error: ")
    assert "The selected file is not a real PDF file" in page
    assert not Evidence.objects.exists()


def test_empty_file_is_refused(client, jc_lead, action):
    client.force_login(jc_lead)

    response = post_evidence(client, action, "minutes.pdf", b"")

    assert "The selected file is empty" in text(response)
    assert not Evidence.objects.exists()


def test_file_too_large_is_refused(client, jc_lead, action, settings):
    settings.EVIDENCE_MAX_BYTES = 2048
    client.force_login(jc_lead)

    response = post_evidence(client, action, "minutes.pdf", PDF + b" " * 4096)

    assert "The selected file must be smaller than 2 KB" in text(response)
    assert not Evidence.objects.exists()


def test_evidence_link_is_added(client, jc_lead, action):
    client.force_login(jc_lead)

    response = client.post(url("evidence_new", action),
                           {"title": "Board minutes", "url": "https://example.org/minutes"})

    assert response.status_code == 302
    assert Evidence.objects.get().url == "https://example.org/minutes"


def test_link_only_evidence_has_no_download(client, board_member, action, jc_lead):
    evidence = Evidence.objects.create(action=action, title="Minutes",
                                       url="https://example.org/", uploaded_by=jc_lead)
    client.force_login(board_member)

    response = client.get(url("evidence_download", action, evidence_id=evidence.pk))

    assert response.status_code == 404
