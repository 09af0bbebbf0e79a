"""A board member's review in a real browser: dashboard, a workstream, its Red actions and
one action, each checked with axe-core; then the board pack printed to PDF."""

import io

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PageObject, PdfReader

from actions.models import Action, Rag
from govuk.templatetags.govuk import uk_date
from tests.browser.axe import assert_accessible
from tests.factories import ActionFactory, Role, UserFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _make_red(action: Action) -> None:
    action.rag = Rag.RED
    action._change_reason = "Reported Red at the board"
    action.save()


def test_board_member_drills_from_dashboard_to_a_red_action(live_server, signed_in, essex):
    for ref in ("JC8", "JC12", "EHC3"):
        _make_red(Action.objects.get(plan=essex, ref=ref))
    page = signed_in(member(UserFactory(username="board-reader"), essex, Role.BOARD))

    page.goto(f"{live_server.url}/essex/")
    assert page.get_by_role("heading", name="Dashboard", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="JC: Joint commissioning").first.click()
    page.wait_for_url("**/essex/workstreams/JC/")
    assert_accessible(page)

    page.get_by_role("link", name="Filter and download these actions").click()
    page.wait_for_url("**/essex/actions/?workstream=JC")
    assert_accessible(page)
    page.get_by_label("Red", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/essex/actions/?**rag=red**")
    assert page.get_by_role("heading", name="2 actions").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="JC8", exact=True).click()
    page.wait_for_url("**/essex/actions/JC8/")
    assert_accessible(page)


def _pdf_pages(page: Page) -> list[PageObject]:
    # The page size comes from the print stylesheet's @page rule, as when a user prints.
    return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True,
                                         print_background=True))).pages


def _words(pdf_page: PageObject) -> str:
    """The page's text with line breaks and runs of spaces as single spaces."""
    return " ".join(pdf_page.extract_text().split())


def test_board_pack_prints_one_section_per_workstream(live_server, signed_in, essex):
    # Enough long actions that workstream OV's table runs on to a second page.
    oversight = essex.workstreams.get(code="OV")
    added = range(101, 131)
    for number in added:
        ActionFactory(plan=essex, workstream=oversight, ref=f"OV{number}", ref_number=number,
                      rag=Rag.BLUE, title=f"Begins{number} " + "review the local offer " * 8
                      + f"Ends{number}")
    page = signed_in(member(UserFactory(username="board-printer"), essex, Role.BOARD))
    page.goto(f"{live_server.url}/essex/board-pack/")
    assert_accessible(page)

    pdf_pages = _pdf_pages(page)
    pages = [_words(pdf_page) for pdf_page in pdf_pages]
    assert {(round(p.mediabox.width), round(p.mediabox.height)) for p in pdf_pages} == {
        (595, 842)}, "the board pack should print on A4"
    codes = list(essex.workstreams.order_by("order", "code").values_list("code", "name"))
    first_pages = []
    for code, name in codes:
        heading = f"Workstream {code}: {name}"
        found = [n for n, text in enumerate(pages) if heading in text]
        assert found, f"no page of the PDF holds {heading!r}"
        first_pages.append(found[0])
    # Each workstream starts a new page.
    assert len(set(first_pages)) == len(codes)

    # Every page, continuation pages included, is headed with the plan's name and the date,
    # and numbered in its bottom margin.
    running_header = f"Board pack printed {uk_date(timezone.localdate())}"
    for number, text in enumerate(pages, start=1):
        assert f"{essex.local_area}: {essex.title}" in text, f"page {number} lacks the plan"
        assert running_header in text, f"page {number} lacks the printed date"
        assert f"Page {number} of {len(pages)}" in text, f"page {number} is not numbered"

    # The measures' trends and the variation between areas are in the pack.
    assert any("Outcome measures: trend against baseline and target" in t for t in pages)
    assert any("Measures of workstream JC: Joint commissioning" in t for t in pages)
    assert any("Spread between areas, first reporting period against latest" in t
               for t in pages)
    continuation = pages[first_pages[-1] + 1]
    assert "Workstream OV" not in continuation
    assert "Ref Action Owner Due date RAG Last update" in continuation, "table head not repeated"

    # No row is cut between pages, and the site's navigation is not printed.
    for number in added:
        holding = [n for n, text in enumerate(pages) if f"Begins{number}" in text]
        assert len(holding) == 1 and f"Ends{number}" in pages[holding[0]], (
            f"the row of OV{number} is split across pages")
    assert not any("Sign out" in text or "Skip to main content" in text for text in pages)


def test_board_pack_refs_are_links_on_screen_but_print_without_their_address(live_server,
                                                                             signed_in, essex):
    page = signed_in(member(UserFactory(username="board-linker"), essex, Role.BOARD))
    page.goto(f"{live_server.url}/essex/board-pack/")
    link = page.get_by_role("link", name="JC8", exact=True).first
    expect(link).to_have_css("color", "rgb(26, 101, 166)")
    expect(link).to_have_css("text-decoration-line", "underline")
    pages = [_words(pdf_page) for pdf_page in _pdf_pages(page)]
    assert not any("/actions/" in text or "/workstreams/" in text or "/measures/" in text
                   for text in pages)
