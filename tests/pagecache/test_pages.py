"""Cached pages: a board member sees a lead's change at once, each page is drawn again the
next day, and nothing of one user's own (a CSRF token) is shown to another."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import selectors, services
from actions.models import Action, Rag
from pagecache import pages
from pagecache.pages import code_digest, current_revision
from tests.factories import ActionFactory, MilestoneFactory, PlanFactory


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER,
                         title="Joint commissioning strategy")


def _red_heading(client, plan) -> str:
    page = client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()
    return re.search(r"Red actions: (\d+)", page).group(1)


def test_board_member_sees_a_leads_update_on_the_next_view(client, board_member, jc_lead,
                                                          action, period, plan):
    client.force_login(board_member)
    assert _red_heading(client, plan) == "0"
    assert _red_heading(client, plan) == "0"  # now from the cache

    services.progress_update_create(action=action, user=jc_lead,
                                    expected_version=action.version, rag=Rag.RED,
                                    narrative="The strategy has slipped.", period=period,
                                    date=period.start)

    assert _red_heading(client, plan) == "1"
    page = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"})).content.decode()
    assert "The strategy has slipped." in page


def test_an_action_due_today_is_overdue_on_tomorrows_dashboard(client, board_member, plan, jc,
                                                              monkeypatch):
    today = timezone.localdate()
    ActionFactory(plan=plan, workstream=jc, current_due_date=today, rag=Rag.GREEN)
    client.force_login(board_member)
    assert "Overdue actions: 0" in client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))

    assert "Overdue actions: 1" in client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()


def _csrf_token(page: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page.decode())
    return match.group(1)


def test_each_lead_gets_milestone_forms_that_work_for_them(board_member, jc_lead, administrator,
                                                          action, plan):
    milestone = MilestoneFactory(action=action, title="Strategy signed")
    page_url = reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"})
    done_url = reverse("actions:milestone_done", kwargs={"plan_slug": plan.slug, "ref": "JC1", "milestone_id": milestone.pk})
    reader = Client()
    reader.force_login(board_member)
    assert "Strategy signed" in reader.get(page_url).content.decode()

    for user in (jc_lead, administrator):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        page = browser.get(page_url).content
        response = browser.post(done_url, {
            "csrfmiddlewaretoken": _csrf_token(page, "csrfmiddlewaretoken"),
            f"milestone-{milestone.pk}-done_date": "2/11/2020",
            f"milestone-{milestone.pk}-reason": f"Signed, says {user.username}."})
        assert response.status_code == 302, user.username
        milestone.refresh_from_db()
        milestone.done_date = None
        milestone._change_reason = "Opened again for the next lead"
        milestone.save()


def test_pages_are_drawn_afresh_when_caching_is_off(client, board_member, action, settings, plan):
    settings.PAGE_CACHE = False
    client.force_login(board_member)
    client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))

    assert current_revision() is None
    assert "Red actions: 0" in client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()


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


def test_a_page_read_from_the_cache_carries_this_responses_nonce(client, board_member, action, plan):
    client.force_login(board_member)
    nonces = []
    for _ in range(2):
        response = client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'<script nonce="{nonce}">'.encode() in response.content
        nonces.append(nonce)

    assert nonces[0] != nonces[1]


def test_forms_on_a_page_read_from_the_cache_work_for_the_reader(board_member, plan, action):
    # Two plans, so the dashboard has the plan selector as well as the sign-out form.
    other = ActionFactory(plan=PlanFactory(slug="other", local_area="Other Area")).plan
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(board_member)
    browser.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
    page = browser.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content

    chosen = browser.post(reverse("dashboard:select_plan", kwargs={"plan_slug": plan.slug}), {
        "csrfmiddlewaretoken": _csrf_token(page, "csrfmiddlewaretoken"), "plan": other.slug})
    assert chosen.status_code == 302
    page = browser.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content
    assert b"Other Area" in page
    signed_out = browser.post(reverse("logout"), {
        "csrfmiddlewaretoken": _csrf_token(page, "csrfmiddlewaretoken")})
    assert signed_out.status_code == 302
    assert browser.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).status_code == 302


def test_each_reader_sees_their_own_name_and_navigation(client, board_member, officer, action, plan):
    board_member.first_name, board_member.last_name = "Bea", "Board"
    board_member.save()
    officer.first_name, officer.last_name = "Olu", "Officer"
    officer.save()
    client.force_login(board_member)
    client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
    assert "Bea Board" in client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()

    client.force_login(officer)
    page = client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()
    assert "Olu Officer" in page and "Bea Board" not in page


def test_the_board_pack_says_when_each_copy_was_printed(client, board_member, action,
                                                       monkeypatch, plan):
    client.force_login(board_member)
    client.get(reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug}))
    later = timezone.localtime() + dt.timedelta(hours=2)
    monkeypatch.setattr(timezone, "localtime", lambda *args: later)

    page = client.get(reverse("dashboard:board_pack", kwargs={"plan_slug": plan.slug})).content.decode()

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


def test_pages_cached_before_the_secret_key_changed_are_drawn_again(client, board_member,
                                                                    action, monkeypatch, plan):
    client.force_login(board_member)
    client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
    # What a restart with a new SECRET_KEY gives: other stand-ins, and another digest.
    csrf, nonce, digest = pages.stand_ins("a-new-secret-key")
    monkeypatch.setattr(pages, "CSRF_STAND_IN", csrf)
    monkeypatch.setattr(pages, "NONCE_STAND_IN", nonce)
    monkeypatch.setattr(pages, "STAND_INS_DIGEST", digest)

    page = client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug})).content.decode()

    assert "csrf-" not in page and "nonce-" not in page
    token = _csrf_token(page.encode(), "csrfmiddlewaretoken")
    assert len(token) == 64


def test_an_action_page_is_drawn_with_the_rights_its_cache_key_was_made_with(
        client, ehc_lead, ehc, action, monkeypatch, plan):
    # JC1 moves to EHC while EHC's lead's request for it is under way: the page drawn for
    # that request is a reader's (as its key says), not the lead's with their forms.
    MilestoneFactory(action=action, title="Strategy signed")
    original = selectors.action_detail_or_404

    def moved_meanwhile(plan, *, pk):
        moving = Action.objects.get(pk=pk)
        moving.workstream = ehc
        moving._change_reason = "Moved to EHC"
        moving.save()
        return original(plan, pk=pk)

    monkeypatch.setattr(selectors, "action_detail_or_404", moved_meanwhile)
    client.force_login(ehc_lead)

    page = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"})).content.decode()

    assert "Strategy signed" in page
    assert "csrfmiddlewaretoken" in page  # the sign-out form
    assert page.count("csrfmiddlewaretoken") == 1
