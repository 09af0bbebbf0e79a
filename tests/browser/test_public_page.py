"""The public page, its embed and the accessibility statement in a real browser, as a family
would read them: no sign-in, JavaScript off, 320 px wide, and checked with axe-core."""

import pytest
from playwright.sync_api import expect

from actions.models import Action
from measures.models import Measure
from public import services
from tests.browser.axe import assert_accessible
from tests.browser.test_reflow import LONG_ADDRESS, LONG_WORD, OVERFLOW_JS
from tests.factories import Role, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"viewport": {"width": 320, "height": 800}}


def _publish_some_of_essex(essex) -> None:
    officer = member(UserFactory(username="public-officer"), essex, Role.OFFICER)
    action = Action.objects.get(plan=essex, ref="JC10")
    services.summary_draft_save(
        action=action, user=officer, reason="For the Local Offer",
        text=f"Specialist equipment reaches children within 6 weeks. See {LONG_ADDRESS}")
    services.summary_publish(action=action, user=officer, reason="Agreed by the board")
    waiting = Measure.objects.get(plan=essex, title__startswith="Waiting times for ASD")
    services.measure_publish(measure=waiting, name="How long children wait for an autism "
                                                   "assessment", user=officer, reason="Agreed")
    entry = services.entry_save(
        plan=essex, user=officer, reason="From the forum", weakness=essex.weaknesses.get(
            number=2), said=f"Letters about assessments are hard to follow. {LONG_WORD}",
        where="forum", where_detail="Essex Family Forum, summer 2021", people=3,
        did="We rewrote the letters with families.")
    services.entry_publish(entry=entry, user=officer, reason="Agreed")
    # Weakness 1 in plain English; the others quote the inspection letter.
    services.finding_draft_save(
        weakness=essex.weaknesses.get(number=1), user=officer, reason="For families",
        text=f"Too many children were said to have a moderate learning difficulty. {LONG_WORD}")
    services.finding_publish(weakness=essex.weaknesses.get(number=1), user=officer,
                             reason="Agreed by the board")


@pytest.mark.parametrize("path", ["/public/essex/", "/public/essex/embed/", "/accessibility/"])
def test_a_family_reads_the_page_with_javascript_off_at_320_px(live_server, new_page, essex,
                                                                path):
    _publish_some_of_essex(essex)
    page = new_page(java_script_enabled=False, **NARROW)

    response = page.goto(path)

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    measured = page.evaluate(OVERFLOW_JS)
    assert measured["scrollWidth"] <= measured["clientWidth"], (
        f"{path} scrolls sideways at 320 px: {measured['wide']}")
    # axe-core runs on timers, which do not run with JavaScript off: it checks the same page
    # in a browser with JavaScript on.
    checked = new_page(**NARROW)
    checked.goto(path)
    assert_accessible(checked)


def test_a_family_filters_you_said_we_did_by_weakness_without_javascript(live_server,
                                                                          new_page, essex):
    _publish_some_of_essex(essex)
    page = new_page(java_script_enabled=False, **NARROW)
    page.goto("/public/essex/")
    expect(page.get_by_text("Letters about assessments are hard to follow.")).to_be_visible()
    expect(page.get_by_text("fewer than 5", exact=True)).to_be_visible()

    page.get_by_label("Show what families said about").select_option(
        label="Significant weakness 1: Over-identification of MLD")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()

    assert "weakness=1" in page.url
    expect(page.get_by_text("Letters about assessments are hard to follow.")).to_have_count(0)
    expect(page.get_by_text("We have not published anything families said about this yet."
                            )).to_be_visible()
    checked = new_page(**NARROW)
    checked.goto(page.url)
    assert_accessible(checked)


def test_an_officer_previews_then_publishes_a_summary(live_server, signed_in, new_page, essex):
    officer = member(UserFactory(username="publishing-officer"), essex, Role.OFFICER)
    page = signed_in(officer)
    page.goto("/essex/public-page/actions/ID1/")
    assert_accessible(page)
    page.get_by_label("Public summary").fill("Health visitors check every child at two.")
    page.get_by_label("Reason for change").fill("Agreed wording")
    page.get_by_role("button", name="Save draft").click()
    page.goto("/essex/public-page/preview/")
    expect(page.get_by_text("Health visitors check every child at two.")).to_be_visible()
    expect(page.get_by_text("Not published yet").first).to_be_visible()
    assert_accessible(page)

    page.goto("/essex/public-page/actions/ID1/publish/")
    assert_accessible(page)
    page.get_by_label("Reason for change").fill("Agreed at the board")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert_accessible(page)

    family = new_page(java_script_enabled=False)
    family.goto("/public/essex/")
    expect(family.get_by_text("Health visitors check every child at two.")).to_be_visible()


def test_an_officer_puts_what_the_inspectors_found_in_plain_english(live_server, signed_in,
                                                                     new_page, essex):
    officer = member(UserFactory(username="plain-english-officer"), essex, Role.OFFICER)
    page = signed_in(officer, **NARROW)
    page.goto("/essex/public-page/weaknesses/3/")
    assert_accessible(page)
    page.get_by_label("What the inspectors found, in plain English").fill(
        "Too many education, health and care plans were late or not good enough.")
    page.get_by_label("Reason for change").fill("Agreed wording")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.goto("/essex/public-page/weaknesses/3/publish/")
    page.get_by_label("Reason for change").fill("Agreed at the board")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()

    family = new_page(java_script_enabled=False)
    family.goto("/public/essex/")
    expect(family.get_by_text("Too many education, health and care plans were late or not "
                              "good enough.")).to_be_visible()
    expect(family.get_by_text("The inspectors' own words, quoted from the inspection letter"
                              ).first).to_be_visible()
