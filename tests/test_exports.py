"""The Excel workbook the downloads write (send_wsoa.exports.xlsx_bytes), read back as a
spreadsheet would read it."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from send_wsoa.exports import csv_bytes, xlsx_bytes


def _sheet(header, rows, title="Actions"):
    return load_workbook(io.BytesIO(xlsx_bytes(title, header, rows))).active


def test_excel_keeps_dates_numbers_and_yes_no_as_such_not_as_text():
    sheet = _sheet(["Due", "Updated", "Value", "Count", "Done", "Note"], [
        [dt.date(2021, 3, 31), dt.datetime(2021, 4, 1, 9, 30, tzinfo=dt.UTC),
         Decimal("14.2000"), 3, True, "On track"]])
    due, updated, value, count, done, note = next(sheet.iter_rows(min_row=2))
    assert due.is_date and due.value == dt.datetime(2021, 3, 31)
    assert due.number_format == "yyyy-mm-dd"
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
        "Due,Value,Empty,Formula", "2021-03-31,14.2000,,'=1+1"]


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
    assert "HYPERLINK" in lines[1] and "2021-03-31" in lines[1] and lines[1].endswith(",3")
    assert "Café & “quotes” <b>" in lines[2]
