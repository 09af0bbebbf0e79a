"""Reading a council's own workbook: the header found under title rows, columns by the
names councils use, RAG spellings, UK dates, formulas as text, text kept whole, and every
problem named by sheet, row, column and value."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from actions.models import Rag
from imports.reader import read_date, read_plan_workbook, read_rag
from tests.imports.workbooks import Upload, upload, workbook_bytes

HEADER = ["Ref", "Action", "Due date", "RAG", "Progress update"]


def read(rows: list[list], sheet: str = "Plan", **more):
    return read_plan_workbook(upload({sheet: rows, **more}), "plan.xlsx")


def test_the_header_is_found_on_row_4_under_title_rows_and_a_key_sheet():
    result = read([["Northshire SEND Written Statement of Action"], ["Version 0.6"], [],
                   HEADER, ["JC1", "Review joint commissioning", "30/09/2020", "G", "On plan"]],
                  Key=[["RAG key"], ["Blue", "Completed"], ["Green", "On track"]])
    assert [action.ref for action in result.actions] == ["JC1"]
    assert result.actions[0].row == 5
    assert result.skipped_sheets == ["Key"]


@pytest.mark.parametrize("key,heading", [
    ("ref", "Reference"), ("ref", "Action no."), ("ref", "ACTION NUMBER"),
    ("title", "Activity"), ("title", "Description"),
    ("owner", "Accountable"), ("owner", "Senior responsible officer"),
    ("action_lead", "Responsible officer"), ("action_lead", "Lead"),
    ("lead_agency", "Lead agency"), ("sponsoring_director", "Sponsoring Director"),
    ("delivery_team", "Delivery team"), ("contributors", "Partners"),
    ("start_date", "Start"), ("start_date", "Start date"),
    ("due_date", "Due"), ("due_date", "Deadline"), ("due_date", "Target date"),
    ("due_date", "Completion date"), ("rag", "Status"), ("rag", "RAG rating"),
    ("progress", "Update"), ("progress", "Progress"), ("progress", "Commentary"),
    ("success_criteria", "KPI"), ("success_criteria", "Measure"),
    ("success_criteria", "Success criteria"),
])
def test_each_column_is_recognised_by_the_names_councils_give_it(key, heading):
    values = {"ref": "JC1", "start_date": "01/04/2020", "due_date": "30/09/2020",
              "rag": "Green"}
    ref_heading = heading if key == "ref" else "Ref"
    row = [values.get("ref"), values.get(key, "Some words")]
    result = read([[ref_heading, heading if key != "ref" else "Action"], row])
    assert not result.problems
    assert key in result.columns
    assert not result.unrecognised


def test_unrecognised_columns_are_listed_never_silently_dropped():
    result = read([[*HEADER, "Budget (£k)"], ["JC1", "Review", None, None, None, 12]])
    assert result.unrecognised == {"Plan": ["Budget (£k)"]}


@pytest.mark.parametrize("spelling,rag", [
    ("B", Rag.BLUE), ("blue", Rag.BLUE), ("Complete", Rag.BLUE), ("COMPLETED", Rag.BLUE),
    ("g", Rag.GREEN), ("Green", Rag.GREEN), ("On track", Rag.GREEN), ("on-track", Rag.GREEN),
    ("A", Rag.AMBER), ("amber", Rag.AMBER), ("R", Rag.RED), ("Red", Rag.RED),
    ("Not started", Rag.RED), ("", ""),
])
def test_each_rag_spelling(spelling, rag):
    assert read_rag(spelling) == rag


@pytest.mark.parametrize("text,day", [
    ("30/09/2020", dt.date(2020, 9, 30)), ("30-Sep-2020", dt.date(2020, 9, 30)),
    ("Sept 2020", dt.date(2020, 9, 1)), ("September 2020", dt.date(2020, 9, 1)),
    ("May 25", dt.date(2025, 5, 1)), ("1/2/2021", dt.date(2021, 2, 1)),
    ("30 September 2020", dt.date(2020, 9, 30)), ("2020-09-30", dt.date(2020, 9, 30)),
])
def test_dates_written_as_text_are_read_day_first(text, day):
    assert read_date(text) == day


def test_a_month_alone_is_its_last_day_as_a_deadline():
    result = read([HEADER, ["JC1", "Review", "Sept 2020", None, None],
                   ["JC2", "Plan", dt.datetime(2021, 3, 31), None, None]])
    assert [a.values["due_date"] for a in result.actions] == [dt.date(2020, 9, 30),
                                                             dt.date(2021, 3, 31)]


def test_a_formula_is_read_as_its_text_and_never_evaluated():
    result = read([HEADER, ["JC1", '=HYPERLINK("https://example.com","Review")', None, None,
                            "=1+1"]])
    assert result.actions[0].values["title"] == '=HYPERLINK("https://example.com","Review")'
    assert result.actions[0].values["progress"] == "=1+1"


def test_text_is_kept_whole_long_non_ascii_and_with_line_breaks():
    long = ("Ensure the graduated response is understood by every setting. " * 160)[:10_000]
    words = "Café provision — Zoë's team\nSecond line\n\nThird paragraph"
    result = read([[*HEADER, "Description"], ["JC1", long, None, None, words, long]])
    values = result.actions[0].values
    assert values["title"] == long.strip() and len(values["description"]) == len(long.strip())
    assert values["progress"] == words


@pytest.mark.parametrize("cell,column,message", [
    ("Amber/Green", "RAG", "RAG must be Blue, Green, Amber or Red"),
    ("Purple", "RAG", "RAG must be Blue, Green, Amber or Red"),
])
def test_a_rag_that_is_no_colour_is_an_error_naming_its_cell(cell, column, message):
    result = read([["Title"], [], [], HEADER, ["JC1", "Review", None, "G", None],
                   ["JC2", "Plan", None, cell, None]])
    assert [str(problem) for problem in result.problems] == [
        f"Sheet “Plan”, row 6, column {column}: {message} (or B, G, A, R, Complete, On track, "
        f"Not started) (found “{cell}”)"]


def test_a_date_that_is_no_date_is_an_error_naming_its_cell():
    result = read([HEADER, ["JC1", "Review", "next spring", None, None]])
    assert [str(problem) for problem in result.problems] == [
        "Sheet “Plan”, row 2, column Due date: Due date must be a date such as 30/09/2020, "
        "30-Sep-2020 or September 2020 (found “next spring”)"]


def test_a_date_out_of_bounds_is_an_error():
    result = read([HEADER, ["JC1", "Review", "30/09/1920", None, None]])
    assert "must be a date between 2000 and 2100" in str(result.problems[0])


def test_a_row_without_a_ref_is_an_error_and_duplicate_refs_name_both_rows():
    result = read([HEADER, ["JC1", "Review", None, None, None], [None, "Orphan", None, None,
                                                                 None]],
                  More=[HEADER, ["JC1", "Again", None, None, None]])
    assert [str(problem) for problem in result.problems] == [
        "Sheet “Plan”, row 3, column Ref: enter the action's reference",
        "Sheet “More”, row 2, column Ref: JC1 is also given in sheet “Plan”, row 2: each "
        "action is given once (found “JC1”)"]


def test_every_problem_in_the_file_is_listed_not_just_the_first():
    result = read([HEADER, ["JC1", "Review", "soon", "Purple", None],
                   ["!!", "Plan", None, None, None]])
    assert len(result.problems) == 3


def test_workstreams_come_from_ref_letters_numbered_actions_and_headings():
    result = read([["Ref", "Action"], ["Significant weakness 2: Joint commissioning"],
                   ["A3", "One"], ["Action 1.1", "Two"], ["jc 8", "Three"]])
    assert [(a.ref, a.workstream_code, a.weakness_number) for a in result.actions] == [
        ("A3", "A", 2), ("1.1", "1", 1), ("JC8", "JC", 2)]


def _zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize("content,message", [
    (b"Ref,Action\nJC1,Review\n", "The file must be an Excel workbook (.xlsx)"),
    (b"PK\x03\x04 broken", "The file must be an Excel workbook (.xlsx)"),
    # A password-protected workbook is an encrypted OLE2 file, not a zip.
    (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "The file must be an Excel workbook"),
    (b"", "The file is empty"),
])
def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(content, message):
    with pytest.raises(ValidationError) as refused:
        read_plan_workbook(Upload(content), "plan.xlsx")
    assert len(refused.value.messages) == 1
    assert refused.value.messages[0].startswith(message)


def test_a_workbook_with_no_rows_is_refused():
    with pytest.raises(ValidationError, match="The workbook is empty"):
        read_plan_workbook(Upload(workbook_bytes({"Sheet1": []})), "plan.xlsx")


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    big = Upload(workbook_bytes({"Plan": [HEADER]}))
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="must be 10 MB or smaller"):
        read_plan_workbook(big, "plan.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_parsed():
    bomb = _zip_bytes({"xl/workbook.xml": b"<workbook/>",
                       "xl/worksheets/sheet1.xml": b"\0" * (101 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match="unpacks to 101 MB, more than a plan workbook"):
        read_plan_workbook(Upload(bomb), "plan.xlsx")
