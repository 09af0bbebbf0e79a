"""The read-only plan pages in a real browser, each checked with axe-core."""

import pytest

from measures.models import Measure
from tests.browser.axe import assert_accessible
from tests.factories import Role, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_member_traces_the_mld_weakness_to_its_actions_and_measures(
        live_server, signed_in, essex):
    page = signed_in(member(UserFactory(username="board-reader"), essex, Role.BOARD))
    page.goto(f"{live_server.url}/essex/plan/")
    assert page.get_by_role("heading", name="Weakness 1", exact=False).first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="ID1", exact=True).first.click()
    page.wait_for_url("**/essex/actions/ID1/")
    assert page.get_by_role("heading", level=1).first.inner_text().startswith("ID1")
    assert_accessible(page)

    poet = Measure.objects.filter(plan=essex, baseline_note__icontains="POET").first()
    page.goto(f"{live_server.url}/essex/measures/{poet.pk}/")
    assert "2471" in page.content()
    assert_accessible(page)
