import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Rag
from tests.downloads import XLSX_HEADER_ROW, csv_records, csv_table
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)


@pytest.fixture
def signed_in(client, board_member):
    client.force_login(board_member)
    return client


def address(plan, name: str = "list") -> str:
    return reverse(f"actions:{name}", kwargs={"plan_slug": plan.slug})


def _refs(response) -> list[str]:
    """The refs the table links to, each within the plan's own address."""
    body = re.search(r"<tbody.*?</tbody>", response.content.decode(), re.S)
    return re.findall(r'href="/test-area/actions/(\w+)/"', body.group(0)) if body else []


def _csv_refs(response) -> list[str]:
    return [row[0] for row in csv_table(response.content)[1:]]


def _xlsx_refs(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [row[0] for row in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1, values_only=True)]


def test_refs_sort_naturally_jc2_before_jc10(signed_in, plan, jc, ehc):
    for number in (10, 2, 1):
        ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC3", ref_number=3)
    assert _refs(signed_in.get(address(plan, "list"))) == ["JC1", "JC2", "JC10", "EHC3"]
    assert _refs(signed_in.get(address(plan, "list") + "?sort=ref")) == [
        "JC1", "JC2", "JC10", "EHC3"]
    assert _refs(signed_in.get(address(plan, "list") + "?sort=-ref")) == [
        "EHC3", "JC10", "JC2", "JC1"]


def test_list_and_downloads_hold_only_the_plans_own_actions(signed_in, plan, jc, other_plan,
                                                            other_jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title="Ours")
    ActionFactory(plan=other_plan, workstream=other_jc, ref="JC1", ref_number=1,
                  title="Theirs")
    ActionFactory(plan=other_plan, workstream=other_jc, ref="JC2", ref_number=2,
                  title="Theirs too")

    page = signed_in.get(address(plan))
    rows = csv_records(signed_in.get(address(plan, "export_csv")).content)

    assert _refs(page) == ["JC1"]
    assert "Theirs" not in page.content.decode()
    assert [(row["Ref"], row["Title"]) for row in rows] == [("JC1", "Ours")]
    assert _xlsx_refs(signed_in.get(address(plan, "export_xlsx"))) == ["JC1"]
    # The board member holds no role in the other area: its list is not there for them.
    assert signed_in.get(address(other_plan)).status_code == 404
    assert signed_in.get(address(other_plan, "export_csv")).status_code == 404


def test_filters_combine_and_are_kept_in_the_address(signed_in, plan, jc, ehc):
    council = OrganisationFactory(plan=plan, key="ecc", name="Essex County Council")
    forum = OrganisationFactory(plan=plan, key="forum", name="Parent carer forum")
    past = timezone.localdate() - dt.timedelta(days=1)
    match = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED,
                          owner=council, current_due_date=past, title="Joint budget")
    match.contributors.add(forum)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.AMBER,
                  owner=council, current_due_date=past, title="Joint budget")
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.RED,
                  owner=council, current_due_date=past, title="Joint budget")
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.RED,
                  owner=forum, current_due_date=past, title="Joint budget")
    ActionFactory(plan=plan, workstream=jc, ref="JC4", ref_number=4, rag=Rag.RED,
                  owner=council, title="Joint budget",
                  current_due_date=timezone.localdate() + dt.timedelta(days=5))
    ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, rag=Rag.RED,
                  owner=council, current_due_date=past, title="Short breaks")

    query = "?workstream=JC&rag=red&owner=ecc&overdue=on&q=budget"
    assert _refs(signed_in.get(address(plan, "list") + query)) == ["JC1"]
    assert _refs(signed_in.get(address(plan, "list") + "?contributor=forum")) == ["JC1"]
    assert _refs(signed_in.get(address(plan, "list") + "?rag=red&rag=amber&workstream=JC"
                               "&q=budget&overdue=on")) == ["JC1", "JC2", "JC3"]


def test_text_search_covers_ref_title_and_description(signed_in, plan, jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title="Alpha")
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, description="a beta task")
    ActionFactory(plan=plan, workstream=jc, ref="JC12", ref_number=12, title="Gamma")
    url = address(plan, "list")
    assert _refs(signed_in.get(url + "?q=alpha")) == ["JC1"]
    assert _refs(signed_in.get(url + "?q=BETA")) == ["JC2"]
    assert _refs(signed_in.get(url + "?q=jc1")) == ["JC1", "JC12"]


def test_no_update_this_period_filter(signed_in, plan, jc):
    today = timezone.localdate()
    period = ReportingPeriodFactory(plan=plan, label="now", start=today - dt.timedelta(days=10),
                                    end=today + dt.timedelta(days=10))
    updated = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    ProgressUpdateFactory(action=updated, period=period, date=today)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2)
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.BLUE)
    assert _refs(signed_in.get(address(plan, "list") + "?no_update=on")) == ["JC2"]


def test_not_reported_is_a_rag_filter(signed_in, plan, jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag="")
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.GREEN)
    assert _refs(signed_in.get(address(plan, "list") + "?rag=not_reported")) == ["JC1"]


def test_downloads_hold_exactly_the_filtered_rows(signed_in, plan, jc, ehc):
    for number in (1, 2, 10):
        ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number,
                      rag=Rag.RED if number != 2 else Rag.GREEN)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.RED)
    query = "?workstream=JC&rag=red&sort=-ref&page=1"
    page = signed_in.get(address(plan, "list") + query)
    assert _refs(page) == ["JC10", "JC1"]
    html = page.content.decode()
    assert 'href="/test-area/actions/export.csv?workstream=JC&amp;rag=red"' in html
    csv_response = signed_in.get(address(plan, "export_csv") + "?workstream=JC&rag=red")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert _csv_refs(csv_response) == ["JC1", "JC10"]
    xlsx_response = signed_in.get(address(plan, "export_xlsx") + "?workstream=JC&rag=red")
    assert _xlsx_refs(xlsx_response) == ["JC1", "JC10"]
    assert len(_csv_refs(signed_in.get(address(plan, "export_csv")))) == 4


def test_downloads_hold_exactly_the_rows_a_text_search_and_overdue_filter_show(signed_in, plan,
                                                                               jc, ehc):
    past = timezone.localdate() - dt.timedelta(days=1)
    future = timezone.localdate() + dt.timedelta(days=30)
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title="Joint budget",
                  current_due_date=past)
    ActionFactory(plan=plan, workstream=ehc, ref="EHC2", ref_number=2, current_due_date=past,
                  description="Agree the budget for assessments")
    ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, title="Joint budget",
                  current_due_date=future)
    ActionFactory(plan=plan, workstream=jc, ref="JC4", ref_number=4, title="Short breaks",
                  current_due_date=past)
    ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, title="Budget done",
                  current_due_date=past, rag=Rag.BLUE)
    query = "?q=budget&overdue=on"
    assert _refs(signed_in.get(address(plan, "list") + query)) == ["JC1", "EHC2"]
    assert _csv_refs(signed_in.get(address(plan, "export_csv") + query)) == ["JC1", "EHC2"]
    assert _xlsx_refs(signed_in.get(address(plan, "export_xlsx") + query)) == ["JC1", "EHC2"]


# Each character a spreadsheet treats as starting a formula, or that can hide one after it.
FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example")',
    "plus": "+SUM(1+1)",
    "minus": "-2+3",
    "at": "@SUM(A1:A2)",
    "tab": "\t=1+1",
    "carriage-return": "\r=1+1",
    "space-then-equals": " =1+1",
    "line-break-then-plus": "\n+1",
    "full-width-equals": "\uff1dSUM(1,1)",
    "full-width-at": "\uff20SUM(A1)",
}


def test_downloads_name_the_owner_and_every_contributor_of_each_action(signed_in, plan, jc):
    council = OrganisationFactory(plan=plan, key="ecc", name="Essex County Council")
    forum = OrganisationFactory(plan=plan, key="forum", name="Parent carer forum")
    ccg = OrganisationFactory(plan=plan, key="mid", name="Mid Essex CCG")
    shared = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, owner=council,
                           rag=Rag.GREEN, current_due_date=dt.date(2021, 3, 31))
    shared.contributors.add(forum, ccg)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, owner=None, rag="",
                  current_due_date=dt.date(2021, 6, 30))
    rows = csv_records(signed_in.get(address(plan, "export_csv")).content)
    assert [(row["Ref"], row["Owner"], row["Contributors"], row["RAG"],
             row["Current due date"]) for row in rows] == [
        ("JC1", "Essex County Council", "Mid Essex CCG; Parent carer forum", "Green",
         "31/03/2021"),
        ("JC2", "", "", "Not reported", "30/06/2021"),
    ]
    sheet = load_workbook(io.BytesIO(
        signed_in.get(address(plan, "export_xlsx")).content)).active
    assert [row[3:5] for row in sheet.iter_rows(min_row=XLSX_HEADER_ROW + 1,
                                                values_only=True)] == [
        ("Essex County Council", "Mid Essex CCG; Parent carer forum"), (None, None)]


@pytest.mark.parametrize("title", FORMULAS.values(), ids=FORMULAS.keys())
def test_downloads_neutralise_formulas(signed_in, plan, jc, title):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title=title)
    rows = csv_table(signed_in.get(address(plan, "export_csv")).content)
    assert rows[1][1] == "'" + title
    cell = load_workbook(io.BytesIO(signed_in.get(address(plan, "export_xlsx")).content)
                         ).active.cell(row=XLSX_HEADER_ROW + 1, column=2)
    # A quote-prefixed text cell: shown exactly as typed, no apostrophe, never run.
    assert cell.data_type == "s"
    assert cell.quotePrefix
    # XML parsers read a carriage return back as a line feed.
    assert cell.value == title.replace("\r", "\n")


def test_excel_shows_ordinary_text_without_a_quote_prefix(signed_in, plan, jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title="5% fewer waits")
    cell = load_workbook(io.BytesIO(signed_in.get(address(plan, "export_xlsx")).content)
                         ).active.cell(row=XLSX_HEADER_ROW + 1, column=2)
    assert (cell.value, cell.quotePrefix) == ("5% fewer waits", False)


def test_an_unknown_filter_value_is_named_as_an_error(signed_in, plan, jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    response = signed_in.get(address(plan, "list") + "?workstream=NOPE")
    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()


def test_the_list_is_paginated(signed_in, plan, jc):
    for number in range(1, 56):
        ActionFactory(plan=plan, workstream=jc, ref=f"JC{number}", ref_number=number)
    assert len(_refs(signed_in.get(address(plan, "list")))) == 50
    assert _refs(signed_in.get(address(plan, "list") + "?page=2")) == [
        f"JC{n}" for n in range(51, 56)]
