"""Every page reflows (WCAG 2.2 1.4.10 and 1.4.4), for every role, in a real browser.

At 320 CSS px wide, and at 200% zoom of a 1,280 px window (640 CSS px at twice the pixel
density), no page scrolls sideways: a table wider than the screen scrolls inside its own
region, which keyboard users can reach and which says what it holds. Long words and
addresses wrap. Each page is also checked with axe-core at 320 px."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from actions.models import Action
from dashboard.services import board_meeting_schedule
from measures.models import Measure
from plans.models import ReportingPeriod
from public import services
from tests.browser.axe import assert_accessible
from tests.factories import (
    EvidenceFactory,
    MilestoneFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ReviewMeetingFactory,
    Role,
    UserFactory,
    member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = "320 px"
VIEWPORTS = {
    NARROW: {"viewport": {"width": 320, "height": 800}},
    "200% zoom": {"viewport": {"width": 640, "height": 800}, "device_scale_factor": 2},
}
# Text a person might type or paste that has nowhere to break.
LONG_ADDRESS = ("https://www.essex.gov.uk/" + "send-joint-commissioning-local-offer-" * 4
                + "report.pdf")
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 2

# What sticks out of the page, to name in a failure: elements that reach past its right edge
# while their parent does not, leaving out those a scrolling region holds.
OVERFLOW_JS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  const scrolls = el => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(el).overflowX);
  const held = el => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
      if (scrolls(p)) return true;
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const parent = el.parentElement;
    if (!box.width || box.right <= width + 1 || held(el)) continue;
    if (parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
    const text = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    wide.push(`<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}">`
              + ` ${Math.round(box.width)} px wide ("${text}")`);
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 5)};
}"""

# Every box that scrolls sideways (form fields aside) must be a named, focusable region.
REGIONS_JS = """() => {
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['TEXTAREA', 'SELECT', 'INPUT'].includes(el.tagName) || !el.getClientRects().length)
      continue;
    if (!['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) continue;
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const name = (ids.map(id => document.getElementById(id)?.textContent || '').join(' ')
                  || el.getAttribute('aria-label') || '').trim();
    const what = `<${el.tagName.toLowerCase()} class="${el.getAttribute('class') || ''}">`
                 + ` holding "${(el.innerText || '').trim().slice(0, 40)}"`;
    if (el.tabIndex < 0) problems.push(`${what} scrolls but cannot be reached with the keyboard`);
    if (el.getAttribute('role') !== 'region' || !name)
      problems.push(`${what} scrolls but is not a region with a name`);
  }
  return problems;
}"""


@dataclass(frozen=True)
class Visit:
    path: str
    status: int = 200
    # Send the form as it stands (so with its error messages) and check the page after.
    send: bool = False
    # Or fill these fields (label, value) first, and expect a page with this heading.
    fill: tuple[tuple[str, str], ...] = ()
    leads_to: str = ""


def _long_words_in_the_plan(essex) -> None:
    """A progress update, evidence, a milestone and published public text with unbroken
    words and addresses."""
    action = Action.objects.get(plan=essex, ref="JC10")
    publisher = member(UserFactory(username="reflow-publisher"), essex, Role.OFFICER)
    services.summary_draft_save(action=action, text=f"See {LONG_ADDRESS}: {LONG_WORD}.",
                                user=publisher, reason="For the Local Offer")
    services.summary_publish(action=action, user=publisher, reason="Agreed")
    entry = services.entry_save(plan=essex, user=publisher, reason="From the forum",
                                weakness=None, said=f"{LONG_WORD} at {LONG_ADDRESS}",
                                where="survey", did=f"We answered at {LONG_ADDRESS}")
    services.entry_publish(entry=entry, user=publisher, reason="Agreed")
    period = ReportingPeriod.objects.filter(plan=essex).order_by("start").first()
    ProgressUpdateFactory(action=action, period=period, date=period.end,
                          narrative=f"Report at {LONG_ADDRESS}: {LONG_WORD}.")
    EvidenceFactory(action=action, title=f"{LONG_WORD} report", file="", url=LONG_ADDRESS)
    MilestoneFactory(action=action, title=f"Publish {LONG_ADDRESS}")


def _people(essex) -> dict[str, tuple[User, list[Visit]]]:
    """Each role with the pages it has: every page of the plan, the forms its role opens
    (sent empty, to see the error messages) and a page it is refused."""
    jc = essex.workstreams.get(code="JC")
    waiting = Measure.objects.get(plan=essex, title__startswith="Waiting times for ASD")
    by_area = Measure.objects.filter(plan=essex, area_breakdown="ccg").exclude(
        outcome__workstream=jc).first()
    # A meeting with a long-worded outcome, so its page and the monitoring page list one.
    meeting = ReviewMeetingFactory(
        plan=essex, period=ReportingPeriod.objects.filter(plan=essex).order_by("start")[1],
        feedback=f"Letter at {LONG_ADDRESS}: {LONG_WORD}.", outcome_recorded_at=timezone.now())
    every_page = [Visit(path) for path in (
        "/", "/essex/", "/essex/plan/", "/essex/workstreams/JC/", "/essex/actions/",
        "/essex/actions/JC10/", "/essex/measures/", f"/essex/measures/{waiting.pk}/",
        "/essex/measures/variation/", "/essex/statistics/", "/essex/board-pack/",
        "/essex/audit/", "/accessibility/", "/essex/your-actions/", "/essex/monitoring/",
        f"/essex/monitoring/meetings/{meeting.pk}/",
    )] + [Visit("/essex/no-such-page/", status=404)]
    monitoring_forms = [
        Visit(f"/essex/monitoring/periods/{meeting.period.slug}/close/"),
        Visit("/essex/monitoring/meetings/new/", send=True),
        Visit(f"/essex/monitoring/meetings/{meeting.pk}/outcome/"),
    ]
    readings = [Visit(f"/essex/measures/{waiting.pk}/{form}/", send=True)
                for form in ("readings/new", "readings/upload", "milestone-targets")]

    def action_forms(ref: str) -> list[Visit]:
        return [Visit(f"/essex/actions/{ref}/{form}/", send=True)
                for form in ("updates/new", "milestones/new", "due-date", "evidence/new")]

    due_date_check = Visit("/essex/actions/JC10/due-date/", fill=(
        ("New due date", "30/9/2022"),
        ("Reason for moving the due date", f"The report moved to {LONG_ADDRESS}"),
    ), leads_to="Check your answers before moving the due date")
    refused = Visit("/essex/actions/JC10/updates/new/", status=403)
    # Sent without a file, to see the error message; the preview is in test_import.py.
    returns_import = Visit("/essex/import/", send=True)

    # The board's next meeting, so the dashboard, board pack and leads' pages hold exceptions.
    today = timezone.localdate()
    board_meeting = board_meeting_schedule(
        plan=essex, user=None, date=today + dt.timedelta(days=14),
        commentary_deadline=today + dt.timedelta(days=7))
    jc_exception = board_meeting.exceptions.filter(action__workstream=jc).first()
    commentary = [Visit(f"/essex/exceptions/{jc_exception.pk}/", send=True)] if jc_exception \
        else []

    public_page = [Visit(path) for path in ("/essex/public-page/", "/essex/public-page/preview/")]
    publishing_forms = [Visit(f"/essex/public-page/{form}/", send=True) for form in (
        "actions/JC10", "actions/JC10/publish", "weaknesses/1", "weaknesses/1/publish",
        "you-said-we-did/new", "settings",
        f"measures/{waiting.pk}/publish")]

    board = member(UserFactory(username="reflow-board"), essex, Role.BOARD)
    lead = member(UserFactory(username="reflow-lead"), essex, Role.LEAD, jc)
    # A long email address as the name the header shows.
    officer = member(UserFactory(username=f"officer.{'x' * 40}@essex.gov.uk", first_name="",
                                 last_name=""), essex, Role.OFFICER)
    administrator = member(UserFactory(username="reflow-admin"), essex, Role.ADMIN)
    site_administrator = UserFactory(username="reflow-site-admin", is_superuser=True,
                                     is_staff=True)
    # A second plan for everyone, so that "Your plans" lists plans rather than opening one.
    suffolk = PlanFactory(slug="suffolk", local_area__name="Suffolk")
    for user in (board, lead, officer, administrator):
        member(user, suffolk, Role.BOARD)
    return {
        "board member": (board, every_page + public_page + [refused]),
        "lead": (lead, every_page + action_forms("JC10") + readings + commentary + [
            Visit("/essex/reminders/yours/", send=True),
            due_date_check, Visit("/essex/actions/EHC3/updates/new/", status=403)]),
        "officer": (officer, every_page + public_page + publishing_forms + readings
                    + monitoring_forms + [
                        refused, Visit("/essex/board-meetings/new/", send=True),
                        Visit("/essex/reminders/"), returns_import,
                        Visit(f"/essex/statistics/measures/{waiting.pk}/", send=True)]),
        "administrator": (administrator, every_page + action_forms("EHC3") + [
            Visit(f"/essex/measures/{by_area.pk}/readings/new/", send=True),
            Visit(f"/essex/monitoring/periods/{meeting.period.slug}/reopen/", send=True),
            returns_import]),
        "site administrator": (site_administrator, [Visit("/plans/import/", send=True)]),
    }


def _check(page: Page, label: str, *, narrow: bool) -> list[str]:
    """What is wrong with the page as it stands, for one reader at one width; at 320 px
    axe-core checks it too."""
    # Every "Show the data" open: a table one click away must reflow too.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    problems = []
    measured = page.evaluate(OVERFLOW_JS)
    if measured["scrollWidth"] > measured["clientWidth"]:
        problems.append(f"{label} scrolls sideways: {measured['scrollWidth']} px wide in "
                        f"{measured['clientWidth']} px; sticking out: {measured['wide']}")
    problems += [f"{label}: {problem}" for problem in page.evaluate(REGIONS_JS)]
    if narrow:
        assert_accessible(page)
    return problems


def _visit(page: Page, visit: Visit, who: str, width: str) -> list[str]:
    response = page.goto(visit.path)
    label = f"{visit.path} for the {who} at {width}"
    assert response is not None and response.status == visit.status, (
        f"{label}: expected status {visit.status}, got {response and response.status}"
        f" at {page.url}")
    problems = _check(page, label, narrow=width == NARROW)
    if visit.send or visit.fill:
        for field, value in visit.fill:
            page.get_by_label(field, exact=True).fill(value)
        page.locator("main form[method='post'] button[type='submit']").first.click()
        page.wait_for_load_state()
        if visit.leads_to:
            expect(page.get_by_role("heading", level=1)).to_have_text(visit.leads_to)
        after = "filled in and sent" if visit.fill else "sent as it stands"
        problems += _check(page, f"{visit.path} {after}, for the {who} at {width}",
                           narrow=width == NARROW)
    return problems


def _keyboard_scrolls_the_actions_table(page: Page) -> list[str]:
    page.goto("/essex/actions/")
    region = page.get_by_role("region", name="Actions", exact=True)
    if not region.count():
        return ["/essex/actions/ at 320 px: the actions table is in no region named Actions"]
    region.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    # Chromium scrolls smoothly: the table moves over the next few frames, not at once.
    try:
        page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle(),
                               timeout=3000)
    except PlaywrightTimeoutError:
        return ["/essex/actions/ at 320 px: the actions table does not scroll with the arrow keys"]
    return []


def test_no_page_scrolls_sideways_at_320_px_or_200_percent_zoom_for_any_role(
        live_server, new_page, signed_in, essex):
    call_command("seed_demo_history", verbosity=0)
    call_command("load_published_statistics", verbosity=0)
    _long_words_in_the_plan(essex)
    people = _people(essex)
    problems: list[str] = []

    for width, options in VIEWPORTS.items():
        visitor = new_page(**options)
        for path in ("/accounts/login/", "/accessibility/", "/public/essex/",
                     "/public/essex/embed/"):
            problems += _visit(visitor, Visit(path), "visitor", width)

        for who, (user, visits) in people.items():
            page = signed_in(user, **options)
            for visit in visits:
                problems += _visit(page, visit, who, width)
            if who == "board member" and width == NARROW:
                problems += _keyboard_scrolls_the_actions_table(page)

    assert not problems, f"{len(problems)} reflow problem(s):\n" + "\n".join(problems)
