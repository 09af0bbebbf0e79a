"""Cached pages: a board member sees a lead's change at once, each page is drawn again the
next day, and nothing of one user's own (a CSRF token) is shown to another."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Rag
from pagecache.pages import code_digest, current_revision
from tests.factories import ActionFactory, MilestoneFactory


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER,
                         title="Joint commissioning strategy")


def _red_heading(client) -> str:
    page = client.get(reverse("dashboard:home")).content.decode()
    return re.search(r"Red actions: (\d+)", page).group(1)


def test_board_member_sees_a_leads_update_on_the_next_view(client, board_member, jc_lead,
                                                          action, period):
    client.force_login(board_member)
    assert _red_heading(client) == "0"
    assert _red_heading(client) == "0"  # now from the cache

    services.progress_update_create(action=action, user=jc_lead,
                                    expected_version=action.version, rag=Rag.RED,
                                    narrative="The strategy has slipped.", period=period,
                                    date=period.start)

    assert _red_heading(client) == "1"
    page = client.get(reverse("actions:detail", kwargs={"ref": "JC1"})).content.decode()
    assert "The strategy has slipped." in page


def test_an_action_due_today_is_overdue_on_tomorrows_dashboard(client, board_member, plan, jc,
                                                              monkeypatch):
    today = timezone.localdate()
    ActionFactory(plan=plan, workstream=jc, current_due_date=today, rag=Rag.GREEN)
    client.force_login(board_member)
    assert "Overdue actions: 0" in client.get(reverse("dashboard:home")).content.decode()

    monkeypatch.setattr(timezone, "localdate", lambda *args: today + dt.timedelta(days=1))

    assert "Overdue actions: 1" in client.get(reverse("dashboard:home")).content.decode()


def _csrf_token(page: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page.decode())
    return match.group(1)


def test_each_lead_gets_milestone_forms_that_work_for_them(board_member, jc_lead, administrator,
                                                          action):
    milestone = MilestoneFactory(action=action, title="Strategy signed")
    page_url = reverse("actions:detail", kwargs={"ref": "JC1"})
    done_url = reverse("actions:milestone_done",
                       kwargs={"ref": "JC1", "milestone_id": milestone.pk})
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


def test_pages_are_drawn_afresh_when_caching_is_off(client, board_member, action, settings):
    settings.PAGE_CACHE = False
    client.force_login(board_member)
    client.get(reverse("dashboard:home"))

    assert current_revision() is None
    assert "Red actions: 0" in client.get(reverse("dashboard:home")).content.decode()


def test_a_new_release_does_not_serve_pages_drawn_by_the_last(tmp_path, settings):
    # Changed code or templates give a new digest, which is part of every cache key.
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>Before</p>")
    settings.BASE_DIR = tmp_path
    code_digest.cache_clear()
    try:
        before = code_digest()
        template.write_text("<p>After</p>")
        code_digest.cache_clear()
        assert code_digest() != before
    finally:
        code_digest.cache_clear()
