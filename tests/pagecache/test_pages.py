"""Cached page bodies: a board member sees a lead's change at once, each page is drawn again
the next day, each reader gets the body drawn for their own rights in their own plan, and
nothing of one user's own (a CSRF token, their name) is ever stored for another."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, Rag
from pagecache import pages
from pagecache.pages import cache_key, cached, code_digest, current_revision
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    MilestoneFactory,
    OutcomeFactory,
    Role,
    UserFactory,
    member,
)

CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER,
                         title="Joint commissioning strategy")


@pytest.fixture
def draws(monkeypatch):
    """The body templates drawn, in order: a body read from the cache is not drawn."""
    drawn = []
    original = pages.render_to_string

    def drawing(template, *args, **kwargs):
        drawn.append(template)
        return original(template, *args, **kwargs)

    monkeypatch.setattr(pages, "render_to_string", drawing)
    return drawn


@pytest.fixture
def stored(monkeypatch):
    """Every body put in the cache, as HTML."""
    bodies = []
    original = pages._compressed

    def storing(drawn):
        bodies.append(drawn[1].decode())
        return original(drawn)

    monkeypatch.setattr(pages, "_compressed", storing)
    return bodies


def dashboard_url(plan) -> str:
    return reverse("dashboard:home", kwargs={"plan_slug": plan.slug})


def action_url(plan, ref: str) -> str:
    return reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": ref})


def measure_url(measure) -> str:
    return reverse("measures:detail",
                   kwargs={"plan_slug": measure.plan.slug, "measure_id": measure.pk})


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _red_heading(client, plan) -> str:
    return re.search(r"Red actions: (\d+)", page_of(client, dashboard_url(plan))).group(1)


def _csrf_token(page: bytes | str) -> str:
    text = page.decode() if isinstance(page, bytes) else page
    return CSRF_TOKEN.search(text).group(1)


def test_board_member_sees_a_leads_update_on_the_next_view(client, board_member, jc_lead,
                                                          action, period, plan, draws):
    client.force_login(board_member)
    assert _red_heading(client, plan) == "0"
    assert _red_heading(client, plan) == "0"
    assert draws == ["dashboard/_home_body.html"]  # the second from the cache

    services.progress_update_create(action=action, user=jc_lead,
                                    expected_version=action.version, rag=Rag.RED,
                                    narrative="The strategy has slipped.", period=period,
                                    date=period.start)

    assert _red_heading(client, plan) == "1"
    assert "The strategy has slipped." in page_of(client, action_url(plan, "JC1"))


def test_an_action_due_today_is_overdue_on_tomorrows_dashboard(client, board_member, plan, jc,
                                                              monkeypatch):
    today = timezone.localdate()
    ActionFactory(plan=plan, workstream=jc, current_due_date=today, rag=Rag.GREEN)
    client.force_login(board_member)
    assert "Overdue actions: 0" in page_of(client, dashboard_url(plan))
    assert "Overdue actions: 0" in page_of(client, dashboard_url(plan))

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))

    assert "Overdue actions: 1" in page_of(client, dashboard_url(plan))


def test_each_lead_gets_milestone_forms_that_work_for_them(board_member, jc_lead, administrator,
                                                          action, plan):
    milestone = MilestoneFactory(action=action, title="Strategy signed")
    page_url = action_url(plan, "JC1")
    done_url = reverse("actions:milestone_done", kwargs={
        "plan_slug": plan.slug, "ref": "JC1", "milestone_id": milestone.pk})
    reader = Client()
    reader.force_login(board_member)
    assert "Strategy signed" in page_of(reader, page_url)
    assert "Strategy signed" in page_of(reader, page_url)

    for user in (jc_lead, administrator):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = page_of(browser, page_url)
        assert f'name="milestone-{milestone.pk}-done_date"' in page, user.username
        response = browser.post(done_url, {
            "csrfmiddlewaretoken": _csrf_token(page),
            f"milestone-{milestone.pk}-done_date": "2/11/2020",
            f"milestone-{milestone.pk}-reason": f"Signed, says {user.username}."})
        assert response.status_code == 302, user.username
        milestone.refresh_from_db()
        milestone.done_date = None
        milestone._change_reason = "Opened again for the next lead"
        milestone.save()

    # The readers' body never took on the leads' forms.
    assert f'name="milestone-{milestone.pk}-done_date"' not in page_of(reader, page_url)


def test_pages_are_drawn_afresh_when_caching_is_off(client, board_member, action, settings, plan,
                                                    draws):
    settings.PAGE_CACHE = False
    client.force_login(board_member)
    client.get(dashboard_url(plan))

    assert current_revision() is None
    assert "Red actions: 0" in page_of(client, dashboard_url(plan))
    assert draws == ["dashboard/_home_body.html"] * 2


@pytest.fixture
def fresh_digest():
    """code_digest reads the files afresh on each call in the test, and again after it."""
    code_digest.cache_clear()
    yield lambda: (code_digest.cache_clear(), code_digest())[1]
    code_digest.cache_clear()


def test_a_new_release_does_not_serve_pages_drawn_by_the_last(tmp_path, settings,
                                                             fresh_digest):
    # Changed code or templates give a new digest, which is part of every cache key.
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>Before</p>")
    settings.BASE_DIR = tmp_path
    before = fresh_digest()

    template.write_text("<p>After</p>")

    assert fresh_digest() != before


def test_a_page_read_from_the_cache_carries_this_responses_nonce(client, board_member, action,
                                                                plan, draws):
    client.force_login(board_member)
    nonces = []
    for _ in range(2):
        response = client.get(dashboard_url(plan))
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'<script nonce="{nonce}">'.encode() in response.content
        nonces.append(nonce)

    assert nonces[0] != nonces[1]
    assert len(draws) == 1


def test_forms_on_a_page_read_from_the_cache_work_for_the_reader(board_member, plan, action,
                                                                 other_plan, draws):
    # A member of two plans: the plan is in the address, and "Your plans" lists both.
    member(board_member, other_plan, Role.BOARD)
    ActionFactory(plan=other_plan, ref="JC1", ref_number=1, title="The other area strategy")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(board_member)
    browser.get(dashboard_url(plan))
    page = page_of(browser, dashboard_url(plan))
    assert draws == ["dashboard/_home_body.html"]

    plans_page = page_of(browser, reverse("plans"))
    assert "Test Area" in plans_page and "Other Area" in plans_page
    other = page_of(browser, dashboard_url(other_plan))
    assert "Other Area" in other
    assert "The other area strategy" in page_of(browser, action_url(other_plan, "JC1"))

    signed_out = browser.post(reverse("logout"), {"csrfmiddlewaretoken": _csrf_token(page)})
    assert signed_out.status_code == 302
    assert browser.get(dashboard_url(plan)).status_code == 302


def test_each_reader_sees_their_own_name_with_the_body_they_share(client, board_member, plan,
                                                                  action, draws):
    board_member.first_name, board_member.last_name = "Bea", "Board"
    board_member.save()
    second = member(UserFactory(username="second-board-member", first_name="Sol",
                                last_name="Second"), plan, Role.BOARD)
    client.force_login(board_member)
    client.get(dashboard_url(plan))
    first_page = page_of(client, dashboard_url(plan))
    assert "Bea Board" in first_page

    client.force_login(second)
    page = page_of(client, dashboard_url(plan))

    assert "Sol Second" in page and "Bea Board" not in page
    assert _csrf_token(page) != _csrf_token(first_page)
    assert draws == ["dashboard/_home_body.html"]  # one body, drawn once, for both


def test_each_reader_sees_their_own_name_and_navigation(client, board_member, officer, action,
                                                        plan):
    board_member.first_name, board_member.last_name = "Bea", "Board"
    board_member.save()
    officer.first_name, officer.last_name = "Olu", "Officer"
    officer.save()
    client.force_login(board_member)
    client.get(dashboard_url(plan))
    assert "Bea Board" in page_of(client, dashboard_url(plan))

    client.force_login(officer)
    page = page_of(client, dashboard_url(plan))
    assert "Olu Officer" in page and "Bea Board" not in page
    assert f'href="{dashboard_url(plan)}" aria-current="page"' in page
    page = page_of(client, action_url(plan, "JC1"))
    assert "Olu Officer" in page and "Bea Board" not in page
    assert 'aria-current="true"' in page  # "Actions" is the current section


def as_submitted(form) -> dict:
    """What the browser sends for the form as the page fills it in."""
    data = {}
    for field in form:
        shown = field.field.widget.format_value(field.value())
        data[field.name] = (shown[0] if shown else "") if isinstance(shown, list) else shown or ""
    return data


def test_a_message_shows_once_on_a_page_whose_body_is_read_from_the_cache(
        client, officer, plan, jc, period, draws):
    measure = MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=jc))
    MeasureReadingFactory(measure=measure, period=period, value=10, unit="weeks")
    new_url = reverse("measures:reading_new",
                      kwargs={"plan_slug": plan.slug, "measure_id": measure.pk})
    client.force_login(officer)
    page_of(client, measure_url(measure))
    page_of(client, measure_url(measure))

    # Saved unchanged, so the body seen before is still the one in the cache.
    form = client.get(new_url, {"period": period.pk}).context["form"]
    response = client.post(new_url, as_submitted(form), follow=True)

    assert response.redirect_chain[-1][0] == measure_url(measure)
    assert "Nothing changed for 2020-21 Q2." in response.content.decode()
    assert draws == ["measures/_detail_body.html"]
    assert "Nothing changed" not in page_of(client, measure_url(measure))


def test_a_message_after_a_change_shows_on_the_page_drawn_again(client, officer, plan, jc,
                                                                 period, draws):
    measure = MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=jc))
    MeasureReadingFactory(measure=measure, period=period, value=10, unit="weeks")
    new_url = reverse("measures:reading_new",
                      kwargs={"plan_slug": plan.slug, "measure_id": measure.pk})
    client.force_login(officer)
    page_of(client, measure_url(measure))

    form = client.get(new_url, {"period": period.pk}).context["form"]
    data = {**as_submitted(form), "value": "12", "reason": "Corrected return"}
    page = client.post(new_url, data, follow=True).content.decode()

    assert "1 reading saved for 2020-21 Q2." in page
    assert len(draws) == 2
    other = Client()
    other.force_login(officer)
    assert "saved for 2020-21 Q2" not in page_of(other, measure_url(measure))


def test_the_board_pack_says_when_each_copy_was_printed(client, board_member, action,
                                                       monkeypatch, plan):
    url = reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})
    client.force_login(board_member)
    client.get(url)
    later = timezone.localtime() + dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "localtime", lambda *args: later)

    page = page_of(client, url)

    assert f"Board pack printed {later.day} {later:%b %Y}, {later:%H:%M}" in page


def test_new_static_file_names_mean_pages_are_drawn_again(tmp_path, settings, fresh_digest):
    # Pages link the stylesheet by a name holding its hash; a cached page must not point at
    # a file the new release no longer has.
    settings.STATIC_ROOT = tmp_path
    manifest = tmp_path / "staticfiles.json"
    manifest.write_text('{"paths": {"govuk/application.css": "govuk/application.1.css"}}')
    before = fresh_digest()

    manifest.write_text('{"paths": {"govuk/application.css": "govuk/application.2.css"}}')

    assert fresh_digest() != before


def test_pages_cached_before_the_secret_key_changed_are_drawn_again(
        client, board_member, action, plan, settings, fresh_digest, draws):
    client.force_login(board_member)
    fresh_digest()
    client.get(dashboard_url(plan))
    client.get(dashboard_url(plan))
    assert len(draws) == 1
    before = code_digest()

    # What a restart with a new SECRET_KEY gives: another digest, so other keys.
    settings.SECRET_KEY = "a-new-secret-key-" + "y" * 40
    assert fresh_digest() != before
    client.force_login(board_member)  # sessions signed with the old key are gone too
    page = page_of(client, dashboard_url(plan))

    assert len(draws) == 2
    assert len(_csrf_token(page)) == 64


def test_an_action_page_is_drawn_with_the_rights_its_cache_key_was_made_with(
        client, ehc_lead, ehc, action, monkeypatch, plan):
    # JC1 moves to EHC while EHC's lead's request for it is under way: the page drawn for
    # that request is a reader's (as its key says), not the lead's with their forms.
    MilestoneFactory(action=action, title="Strategy signed")
    original = selectors.action_detail_or_404

    def moved_meanwhile(plan, *, pk):
        # Another request's write, so outside the check that this GET writes nothing.
        guards = connection.execute_wrappers[:]
        connection.execute_wrappers.clear()
        try:
            moving = Action.objects.get(pk=pk)
            moving.workstream = ehc
            moving._change_reason = "Moved to EHC"
            moving.save()
        finally:
            connection.execute_wrappers[:] = guards
        return original(plan, pk=pk)

    monkeypatch.setattr(selectors, "action_detail_or_404", moved_meanwhile)
    client.force_login(ehc_lead)

    page = page_of(client, action_url(plan, "JC1"))

    assert "Strategy signed" in page
    assert "csrfmiddlewaretoken" in page  # the sign-out form
    assert page.count("csrfmiddlewaretoken") == 1


# --- bodies are never shared across rights or plans ---------------------------------------

@pytest.fixture
def jc_measure(plan, jc):
    return MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=jc),
                          title="Waiting time for ASD assessment")


ENTER_READINGS = "Enter readings"


def test_a_lead_and_a_board_member_never_get_each_others_cached_body(
        board_member, jc_lead, jc_measure, draws):
    lead, board = Client(), Client()
    lead.force_login(jc_lead)
    board.force_login(board_member)
    url = measure_url(jc_measure)

    # Each reads the page twice, in turn, the lead first: both bodies are then cached.
    for _ in range(2):
        assert ENTER_READINGS in page_of(lead, url)
        assert ENTER_READINGS not in page_of(board, url)

    assert draws == ["measures/_detail_body.html"] * 2


def test_leads_of_different_workstreams_never_get_each_others_cached_body(
        jc_lead, ehc_lead, officer, jc_measure, draws):
    url = measure_url(jc_measure)
    readers = {}
    for user in (jc_lead, ehc_lead, officer):
        readers[user.username] = Client()
        readers[user.username].force_login(user)

    for _ in range(2):
        assert ENTER_READINGS in page_of(readers["jc-lead"], url)
        assert ENTER_READINGS not in page_of(readers["ehc-lead"], url)
        assert ENTER_READINGS in page_of(readers["officer"], url)

    assert len(draws) == 3


def test_a_role_given_meanwhile_is_seen_on_the_next_view(client, no_role_user, board_member,
                                                         plan, jc, jc_measure):
    url = measure_url(jc_measure)
    client.force_login(board_member)
    assert ENTER_READINGS not in page_of(client, url)

    member(no_role_user, plan, Role.LEAD, jc)
    client.force_login(no_role_user)

    assert ENTER_READINGS in page_of(client, url)


def test_the_same_page_of_two_plans_shows_each_plans_own_body(
        board_member, plan, action, other_plan, other_jc, draws):
    # Both plans have a JC1; a member of both reads each, twice, in turn.
    member(board_member, other_plan, Role.BOARD)
    ActionFactory(plan=other_plan, workstream=other_jc, ref="JC1", ref_number=1,
                  title="The other area strategy")
    browser = Client()
    browser.force_login(board_member)

    for _ in range(2):
        ours = page_of(browser, action_url(plan, "JC1"))
        theirs = page_of(browser, action_url(other_plan, "JC1"))
        assert "Joint commissioning strategy" in ours
        assert "The other area strategy" not in ours
        assert "The other area strategy" in theirs
        assert "Joint commissioning strategy" not in theirs

    assert draws == ["actions/_detail_body.html"] * 2


def test_the_same_address_in_two_plans_never_shares_a_cached_body(rf: RequestFactory,
                                                                  board_member, plan,
                                                                  other_plan):
    # Should a plan's address pass to another plan, the first plan's bodies are not the
    # second's: the plan itself is in the key, not only the address.
    member(board_member, other_plan, Role.BOARD)
    request = rf.get(f"/{plan.slug}/actions/?rag=red")
    request.user = board_member
    request.page_revision, request.page_day = "r1", timezone.localdate()

    assert cache_key(request, plan, "r1", request.page_day) != cache_key(
        request, other_plan, "r1", request.page_day)
    assert cached(request, plan, lambda: "this plan's body") == "this plan's body"
    assert cached(request, other_plan, lambda: "the other plan's body") == \
        "the other plan's body"
    assert cached(request, plan, lambda: "drawn again") == "this plan's body"


def test_the_query_string_is_part_of_the_key(rf: RequestFactory, board_member, plan):
    red = rf.get(f"/{plan.slug}/actions/?rag=red")
    green = rf.get(f"/{plan.slug}/actions/?rag=green")
    for request in (red, green):
        request.user = board_member
        request.page_revision, request.page_day = "r1", timezone.localdate()

    assert cached(red, plan, lambda: "red actions") == "red actions"
    assert cached(green, plan, lambda: "green actions") == "green actions"


def test_no_body_stored_in_the_cache_holds_anything_of_its_readers_own(
        board_member, jc_lead, officer, adviser, administrator, action, jc_measure, plan,
        stored):
    MilestoneFactory(action=action, title="Strategy signed")
    urls = [dashboard_url(plan), action_url(plan, "JC1"), measure_url(jc_measure),
            reverse("actions:list", kwargs={"plan_slug": plan.slug}),
            reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})]
    people = (board_member, jc_lead, officer, adviser, administrator)
    own = []
    for user in people:
        user.first_name, user.last_name = "Pers", f"On{user.pk}"
        user.save()
        browser = Client()
        browser.force_login(user)
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 200, (user.username, url)
            own += [_csrf_token(response.content),
                    re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)]

    assert stored
    for body in stored:
        assert "csrfmiddlewaretoken" not in body
        assert "nonce" not in body
        for user in people:
            assert user.get_full_name() not in body and f">{user.username}<" not in body
        for value in own:
            assert value not in body
    # Leads' and administrators' action pages hold their own forms: never stored.
    assert not any("done_date" in body for body in stored)
