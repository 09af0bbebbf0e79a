"""Every page names its plan in its address: a person with roles in two plans that share
their refs follows a mailed link, an old bookmark and the plans list in a real browser, and
each page shows the plan its address names, never the other. Each page is checked with
axe-core."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Action
from plans.services import reporting_periods_extend
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PASSWORD
from tests.factories import ActionFactory, PlanFactory, Role, UserFactory, WorkstreamFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def norfolk(essex):
    """A second plan with its own JC workstream and its own JC10."""
    norfolk = PlanFactory(slug="norfolk", local_area__name="Norfolk")
    reporting_periods_extend(plan=norfolk)
    jc = WorkstreamFactory(plan=norfolk, code="JC", name="Joint commissioning")
    ActionFactory(plan=norfolk, workstream=jc, ref="JC10", ref_number=10,
                  title="Norfolk's own JC10")
    return norfolk


@pytest.fixture
def two_plan_reader(essex, norfolk):
    """A board member of Essex who also leads Norfolk's JC workstream."""
    user = member(UserFactory(username="two-plan-reader"), essex, Role.BOARD)
    return member(user, norfolk, Role.LEAD, norfolk.workstreams.get(code="JC"))


def _expect_essex_jc10(page, essex_jc10: Action) -> None:
    expect(page).to_have_url(re.compile(r"/essex/actions/JC10/$"))
    expect(page.locator("h1")).to_contain_text("JC10")
    expect(page.locator("h1")).to_contain_text(essex_jc10.title)
    expect(page.locator("body")).to_contain_text("Essex")
    assert "Norfolk" not in page.content(), "Essex's JC10 shows something of Norfolk's plan"


def test_a_reader_of_two_plans_gets_the_plan_each_address_names(new_page, essex, norfolk,
                                                                  two_plan_reader):
    essex_jc10 = Action.objects.get(plan=essex, ref="JC10")
    assert essex_jc10.title != "Norfolk's own JC10"

    # The link in an email, opened before signing in, goes through the sign-in form.
    page = new_page()
    page.goto("/essex/actions/JC10/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/essex/actions/JC10/$"))
    assert_accessible(page)
    page.get_by_label("Username").fill(two_plan_reader.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    _expect_essex_jc10(page, essex_jc10)
    # Leading JC in Norfolk gives no right to edit Essex's JC10.
    expect(page.get_by_role("link", name="Add a progress update")).to_have_count(0)
    assert_accessible(page)

    # A bookmark from before plans had addresses moves, for good, to Essex's.
    response = page.goto("/actions/JC10/")
    first = response.request.redirected_from
    assert first is not None and first.url.endswith("/actions/JC10/")
    assert first.response().status == 301
    _expect_essex_jc10(page, essex_jc10)
    assert_accessible(page)

    # The plans list holds both plans, and each link opens that plan's own dashboard.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Your plans")
    expect(page.locator(".app-plan-list > li")).to_have_count(2)
    assert_accessible(page)
    for plan, other in ((essex, "Norfolk"), (norfolk, "Essex")):
        page.goto("/")
        page.get_by_role("link", name=f"{plan.local_area}: {plan.title}", exact=True).click()
        page.wait_for_url(f"**/{plan.slug}/")
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        expect(page.locator("header")).to_contain_text(str(plan.local_area))
        assert other not in page.content(), f"{plan.local_area}'s dashboard shows {other}"
        assert_accessible(page)
