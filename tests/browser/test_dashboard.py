"""A board member's review in a real browser: dashboard, a workstream, its Red actions and
one action, each checked with axe-core; then the board pack printed to PDF."""

import io

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from actions.models import Action, Rag
from tests.browser.axe import assert_accessible
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make_red(action: Action) -> None:
    action.rag = Rag.RED
    action._change_reason = "Reported Red at the board"
    action.save()


def test_board_member_drills_from_dashboard_to_a_red_action(live_server, signed_in, essex):
    for ref in ("JC8", "JC12", "EHC3"):
        _make_red(Action.objects.get(plan=essex, ref=ref))
    page = signed_in(UserFactory(username="board-reader", role=Role.BOARD_MEMBER))

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="JC: Joint commissioning").first.click()
    page.wait_for_url("**/workstreams/JC/")
    assert_accessible(page)

    page.get_by_role("link", name="Filter and download these actions").click()
    page.wait_for_url("**/actions/?workstream=JC")
    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/actions/?**rag=red**")
    assert page.get_by_role("heading", name="2 actions").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="JC8", exact=True).click()
    page.wait_for_url("**/actions/JC8/")
    assert_accessible(page)


def test_board_pack_prints_one_section_per_workstream(live_server, signed_in, essex):
    page = signed_in(UserFactory(username="board-printer", role=Role.BOARD_MEMBER))
    page.goto(f"{live_server.url}/board-pack/")
    assert_accessible(page)

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    pages = [pdf_page.extract_text() for pdf_page in pdf.pages]
    codes = list(essex.workstreams.order_by("order", "code").values_list("code", "name"))
    first_pages = []
    for code, name in codes:
        heading = f"Workstream {code}: {name}"
        found = [n for n, text in enumerate(pages) if heading in text]
        assert found, f"no page of the PDF holds {heading!r}"
        first_pages.append(found[0])
    # Each workstream starts a new page, under the plan's name and the date.
    assert len(set(first_pages)) == len(codes)
    for number in first_pages:
        assert essex.local_area in pages[number]
        assert "Board pack" in pages[number]
