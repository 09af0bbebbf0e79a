"""The Excel workbook the downloads write (send_wsoa.exports.xlsx_bytes), read back as a
spreadsheet would read it."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from send_wsoa.exports import Heading, csv_bytes, xlsx_bytes


def _sheet(header, rows, title="Actions"):
    return load_workbook(io.BytesIO(xlsx_bytes(title, header, rows))).active


def test_excel_keeps_dates_numbers_and_yes_no_as_such_not_as_text():
    sheet = _sheet(["Due", "Updated", "Value", "Count", "Done", "Note"], [
        [dt.date(2021, 3, 31), dt.datetime(2021, 4, 1, 9, 30, tzinfo=dt.UTC),
         Decimal("14.2000"), 3, True, "On track"]])
    due, updated, value, count, done, note = next(sheet.iter_rows(min_row=2))
    assert due.is_date and due.value == dt.datetime(2021, 3, 31)
    assert due.number_format == "dd/mm/yyyy"
    assert updated.is_date and updated.value == dt.datetime(2021, 4, 1, 9, 30)
    assert (value.data_type, value.value) == ("n", 14.2)
    assert (count.data_type, count.value) == ("n", 3)
    assert (done.data_type, done.value) == ("b", True)
    assert (note.data_type, note.value) == ("s", "On track")


def test_excel_header_is_bold_and_stays_in_view_when_scrolling():
    sheet = _sheet(["Ref", "Title"], [["JC1", "Joint budget"]])
    assert [cell.value for cell in sheet[1]] == ["Ref", "Title"]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_excel_empty_cells_are_empty_and_text_is_kept_as_typed():
    sheet = _sheet(["A", "B", "C", "D"], [[None, "", "  padded  ", "Fish & chips <b>"]])
    assert [cell.value for cell in sheet[2]] == [None, None, "  padded  ", "Fish & chips <b>"]


def test_excel_opens_when_text_holds_characters_a_spreadsheet_cannot():
    sheet = _sheet(["Title"], [["Joint\x0b budget\x00"]], title="Actions\x01 at risk")
    assert sheet["A2"].value == "Joint budget"
    assert sheet.title == "Actions at risk"


def test_excel_sheet_title_is_cut_to_the_31_characters_excel_allows():
    assert _sheet(["A"], [], title="A" * 40).title == "A" * 31


def test_csv_writes_dates_and_numbers_as_they_are_and_nothing_for_empty():
    content = csv_bytes(["Due", "Value", "Empty", "Formula"],
                        [[dt.date(2021, 3, 31), Decimal("14.2000"), None, "=1+1"]])
    assert content.decode("utf-8-sig").splitlines() == [
        "Due,Value,Empty,Formula", "31/03/2021,14.2000,,'=1+1"]


def test_the_workbook_opens_cleanly_in_libreoffice(tmp_path):
    """Read by a spreadsheet program other than the library the tests read it with: the
    downloads write their workbooks directly, so a malformed part would show here."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: make test installs it"
    workbook = tmp_path / "actions.xlsx"
    workbook.write_bytes(xlsx_bytes("Actions", ["Ref", "Title", "Due", "Count"], [
        ["JC10", "=HYPERLINK(\"http://example.invalid\",\"x\")", dt.date(2021, 3, 31), 3],
        ["JC11", "Café & “quotes” <b>", None, None]]))

    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         # Comma-separated, double quotes, UTF-8 (character set 76).
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir",
         str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=120, check=False)

    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "actions.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Ref,Title,Due,Count"
    assert lines[1].startswith("JC10,")
    assert "HYPERLINK" in lines[1] and "31/03/2021" in lines[1] and lines[1].endswith(",3")
    assert "Café & “quotes” <b>" in lines[2]


HEADING = Heading(title="Test Area: actions of the Written Statement of Action",
                  filters="Filters: RAG: Red", made_at=dt.datetime(2021, 4, 1, 9, 30,
                                                                  tzinfo=dt.UTC))


def test_a_workbook_is_headed_with_the_plan_filters_and_when_made_and_filters_its_table():
    content = xlsx_bytes("Actions", ["Ref", "Title", "Due"], [
        ["JC10", "A title long enough to widen its column", dt.date(2021, 3, 31)],
        ["JC11", "Short", None]], heading=HEADING)
    sheet = load_workbook(io.BytesIO(content)).active
    assert [sheet.cell(row=n, column=1).value for n in (1, 2, 3)] == [
        "Test Area: actions of the Written Statement of Action", "Filters: RAG: Red",
        "Made 01/04/2021 10:30 (UK time)"]
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert [cell.value for cell in sheet[5]] == ["Ref", "Title", "Due"]
    assert sheet["A5"].font.b and sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:C7"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width >= 8


def test_a_csv_is_headed_likewise_and_gives_uk_dates():
    lines = csv_bytes(["Ref", "Due", "Updated"], [
        ["JC10", dt.date(2021, 3, 31), dt.datetime(2021, 4, 1, 9, 30, tzinfo=dt.UTC)]],
        heading=HEADING).decode("utf-8-sig").splitlines()
    assert lines[:5] == ["Test Area: actions of the Written Statement of Action",
                         "Filters: RAG: Red", "Made 01/04/2021 10:30 (UK time)", "",
                         "Ref,Due,Updated"]
    assert lines[5] == "JC10,31/03/2021,01/04/2021 10:30:00"


def test_a_formula_typed_as_a_narrative_is_inert_in_every_export(plan, jc, jc_lead, officer,
                                                                 period):
    from django.test import Client
    from django.urls import reverse

    from actions.services import progress_update_create
    from monitoring.services import monitoring_pack
    from tests.downloads import XLSX_HEADER_ROW, csv_records, csv_table
    from tests.factories import ActionFactory

    formula = '=HYPERLINK("http://example.invalid","x")'
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    progress_update_create(action=action, user=jc_lead, expected_version=action.version,
                           rag="red", narrative=formula, period=period, date=period.start)
    client = Client()
    client.force_login(officer)

    def get(name: str) -> bytes:
        return client.get(reverse(name, kwargs={"plan_slug": plan.slug})).content

    assert csv_records(get("actions:export_csv"))[0]["Latest progress narrative"] == (
        "'" + formula)
    assert any(row[10] == "'" + formula for row in csv_table(get("audit:export_csv"))[1:])
    sheet = load_workbook(io.BytesIO(get("actions:export_xlsx"))).active
    header = [cell.value for cell in sheet[XLSX_HEADER_ROW]]
    cell = sheet.cell(row=XLSX_HEADER_ROW + 1,
                      column=header.index("Latest progress narrative") + 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (formula, "s", True)
    _, pack = monitoring_pack(plan=plan, period=period, generated_by="An officer")
    cells = [cell for row in load_workbook(io.BytesIO(pack))["Actions"].iter_rows()
             for cell in row if cell.value == formula]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
