import datetime as dt
import zipfile
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from measures.models import Measure, MeasureReading
from measures.services import parse_value, readings_import_xlsx, readings_record
from tests.factories import MeasureReadingFactory

from .conftest import make_measure


def record(measure, period, value, user, **kwargs):
    return readings_record(measure=measure, period=period, values_by_area={None: value},
                           user=user, **kwargs)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize("value", ["-1", "100.5", "lots"])
def test_percentage_must_be_between_0_and_100(plan, outcome, period, officer, value):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    errors = errors_of(lambda: record(measure, period, value, officer))
    assert errors["value"] == ["Whole local area: value must be a number between 0 and 100"]
    assert not MeasureReading.objects.exists()


@pytest.mark.parametrize("value", ["2.5", "-3"])
def test_count_must_be_a_whole_number_of_zero_or_more(plan, outcome, period, officer, value):
    measure = make_measure(plan, outcome, Measure.Kind.COUNT)
    errors = errors_of(lambda: record(measure, period, value, officer))
    assert "a whole number, 0 or more" in errors["value"][0]


def test_count_of_zero_is_kept_as_a_decimal(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.COUNT)
    [reading] = record(measure, period, "0", officer)
    reading.refresh_from_db()
    assert reading.value == D("0") and isinstance(reading.value, D)


def test_duration_needs_weeks_or_months(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.DURATION, unit="")
    errors = errors_of(lambda: record(measure, period, "12", officer, unit="days"))
    assert errors["unit"] == ["Choose the unit: weeks or months"]
    [reading] = record(measure, period, "12.5", officer, unit="months")
    assert reading.unit == "months" and reading.value == D("12.5")


def test_duration_in_another_unit_than_the_measure_is_refused(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.DURATION, unit="weeks")
    errors = errors_of(lambda: record(measure, period, "3", officer, unit="months"))
    assert "reported in weeks" in errors["unit"][0]


def test_deliverable_yes_needs_its_date(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    errors = errors_of(lambda: record(measure, period, "yes", officer))
    assert errors["achieved_on"] == ["Enter the date it was delivered"]
    [reading] = record(measure, period, "yes", officer, achieved_on=dt.date(2020, 8, 3))
    assert reading.value == 1 and reading.achieved_on == dt.date(2020, 8, 3)


def test_a_delivery_date_in_year_one_is_refused_naming_the_field(plan, outcome, period,
                                                                   officer):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    errors = errors_of(lambda: record(measure, period, "yes", officer,
                                      achieved_on=dt.date(1, 1, 1)))
    assert errors["achieved_on"][0].startswith("The date delivered must be between")


def test_survey_measure_needs_its_sample_size(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE,
                           data_source="POET survey", baseline_sample_size=2471)
    errors = errors_of(lambda: record(measure, period, "61", officer))
    assert "sample size (n)" in errors["sample_size"][0]
    [reading] = record(measure, period, "61", officer, sample_size=1800)
    assert reading.sample_size == 1800


def test_too_many_decimal_places_are_refused_not_rounded(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.NUMBER)
    errors = errors_of(lambda: record(measure, period, "1.23456", officer))
    assert "no more than 4 decimal places" in errors["value"][0]


def test_grid_saves_whole_area_and_every_area_at_once(waiting_time, ccg_areas, period, jc_lead):
    values = {None: "18", **{area: str(10 + i) for i, area in enumerate(ccg_areas)}}
    saved = readings_record(measure=waiting_time, period=period, values_by_area=values,
                            user=jc_lead, note="From CCG returns")
    assert len(saved) == 6
    assert MeasureReading.objects.filter(measure=waiting_time, area__isnull=False).count() == 5
    assert all(r.entered_by == jc_lead and r.unit == "weeks" for r in saved)


def test_one_bad_area_value_saves_nothing(waiting_time, ccg_areas, period, jc_lead):
    values = {None: "18", ccg_areas[0]: "12", ccg_areas[1]: "-4"}
    errors = errors_of(lambda: readings_record(measure=waiting_time, period=period,
                                               values_by_area=values, user=jc_lead))
    assert errors == {f"area_{ccg_areas[1].pk}": [
        "Castle Point and Rochford: value must be a number of weeks, 0 or more"]}
    assert not MeasureReading.objects.exists()


def test_correction_needs_a_reason_and_is_audited(waiting_time, period, jc_lead):
    record(waiting_time, period, "20", jc_lead)
    errors = errors_of(lambda: record(waiting_time, period, "22", jc_lead))
    assert "give a reason for the correction" in errors["reason"][0]
    assert MeasureReading.objects.get().value == D("20")

    record(waiting_time, period, "22", jc_lead, reason="CCG resubmitted its return")
    reading = MeasureReading.objects.get()
    assert reading.value == D("22")
    latest = reading.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Correction: CCG resubmitted its return"
    assert latest.history_user == jc_lead
    assert [h.value for h in reading.history.order_by("history_id")] == [D("20"), D("22")]


def test_entering_the_same_value_again_is_not_a_correction(waiting_time, period, jc_lead):
    record(waiting_time, period, "20", jc_lead)
    assert record(waiting_time, period, "20", jc_lead) == []
    assert MeasureReading.history.count() == 1


OLDER_HEADER = ["Period", "Area", "Value", "Note", "Sample size (n)", "Date delivered"]


def workbook(rows, header=OLDER_HEADER, formats=None) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_upload_rejects_a_bad_file_whole_and_names_the_cells(plan, outcome, period, officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    file = workbook([
        ["2020-Q3", "Whole local area", 55, "fine"],
        ["2020-Q3", "Nowhere", 40],
        ["2020-Q3", "Whole local area", 140],
        ["2031-Q1", "Whole local area", 20],
    ])
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    problems = caught.value.messages
    assert "Row 4, cell C4: value must be a number between 0 and 100" in problems
    assert any(p.startswith("Row 3, cell B3: area must be one of") for p in problems)
    assert any(p.startswith("Row 5, cell A5: period must be") for p in problems)
    assert not MeasureReading.objects.exists()


def test_upload_of_the_offered_layout_saves_every_row(waiting_time, ccg_areas, period, officer):
    file = workbook([["2020-Q3", "Whole local area", 20, "From returns"]]
                    + [["2020-Q3", area.name, 10 + i] for i, area in enumerate(ccg_areas)])
    saved = readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")
    assert len(saved) == 6
    assert MeasureReading.objects.get(area__name="West Essex").value == D("14")


def test_upload_names_a_period_by_its_financial_quarter_or_its_older_label(
        waiting_time, period, officer):
    # The template names July to September 2020 "2020-21 Q2"; templates downloaded before
    # named it "2020-Q3", and either is read as the same period.
    file = workbook([["2020-21 Q2", "Whole local area", 20]])
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")
    file = workbook([["2020-Q3", "Whole local area", 22]])
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="Late return")
    reading = MeasureReading.objects.get()
    assert (reading.period, reading.value) == (period, D("22"))


def test_upload_correcting_readings_needs_a_reason(waiting_time, period, officer):
    record(waiting_time, period, "20", officer)
    file = workbook([["2020-Q3", "Whole local area", 25]])
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")
    assert "Row 2 would correct readings already entered" in caught.value.messages[0]
    file.seek(0)
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="Late return")
    reading = MeasureReading.objects.get()
    assert reading.value == D("25")
    assert reading.history.first().history_change_reason == "Correction: Late return"


def test_upload_of_something_that_is_not_a_workbook_is_refused(waiting_time, officer):
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=waiting_time, file=BytesIO(b"not a workbook"),
                             user=officer, reason="")
    assert "must be an Excel workbook" in caught.value.messages[0]


def test_database_refuses_a_percentage_over_100(plan, outcome, period):
    from django.db import IntegrityError, transaction

    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureReading.objects.create(measure=measure, period=period, kind="percentage",
                                      value=D("101"))


def test_correcting_one_area_keeps_the_other_readings_own_fields(
        waiting_time, ccg_areas, period, jc_lead):
    # Area readings as a spreadsheet import leaves them: each with its own note, source and n.
    for index, area in enumerate(ccg_areas):
        MeasureReadingFactory(measure=waiting_time, period=period, area=area, value=10 + index,
                              unit="weeks", note=f"{area.name} return", source=f"CCG {index}",
                              sample_size=50 + index)
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, unit="weeks",
                          note="From CCG returns", source="CCG dashboards")
    before = MeasureReading.history.count()
    values = {None: "20", **{area: str(10 + i) for i, area in enumerate(ccg_areas)}}
    values[ccg_areas[0]] = "13"
    saved = readings_record(measure=waiting_time, period=period, values_by_area=values,
                            user=jc_lead, note="From CCG returns", source="CCG dashboards",
                            unit="weeks", reason="CCG resubmitted")
    assert [r.area for r in saved] == [ccg_areas[0]]
    assert MeasureReading.history.count() == before + 1
    corrected = MeasureReading.objects.get(area=ccg_areas[0])
    assert (corrected.value, corrected.note, corrected.source, corrected.sample_size) == (
        D("13"), "Basildon and Brentwood return", "CCG 0", 50)
    other = MeasureReading.objects.get(area=ccg_areas[4])
    assert (other.note, other.source, other.sample_size) == ("West Essex return", "CCG 4", 54)


def test_changing_the_period_note_changes_it_on_every_reading_of_the_period(
        waiting_time, ccg_areas, period, jc_lead):
    values = {None: "20", ccg_areas[0]: "12"}
    record_all = dict(measure=waiting_time, period=period, values_by_area=values, user=jc_lead,
                      unit="weeks")
    readings_record(**record_all, note="First draft")
    errors = errors_of(lambda: readings_record(**record_all, note="Checked by the CCG"))
    assert "give a reason" in errors["reason"][0]
    assert len(readings_record(**record_all, note="Checked by the CCG", reason="Checked")) == 2
    assert set(MeasureReading.objects.values_list("note", flat=True)) == {"Checked by the CCG"}


def test_older_spreadsheet_without_a_source_column_keeps_the_sources(
        waiting_time, period, q4, officer):
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, unit="weeks",
                          source="CCG dashboards")
    file = workbook([["2020-Q3", "Whole local area", 22], ["2020-Q4", "Whole local area", 19]])
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="Late return")
    assert MeasureReading.objects.get(period=period).source == "CCG dashboards"
    assert MeasureReading.objects.get(period=q4).source == ""


def test_spreadsheet_source_column_sets_the_source(waiting_time, period, officer):
    file = workbook([["2020-Q3", "Whole local area", 20, "", None, None, "'=CCG returns"]],
                    header=[*OLDER_HEADER, "Source"])
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")
    assert MeasureReading.objects.get().source == "=CCG returns"


@pytest.mark.parametrize(("typed", "kept"), [
    ("'=SUM(A1)", "=SUM(A1)"), ("'-3 weeks late", "-3 weeks late"), ("'@risk", "@risk"),
    ("''=x", "'=x"), ("'quoted", "'quoted"), ("it's fine", "it's fine")])
def test_spreadsheet_note_loses_only_the_apostrophe_the_download_adds(
        waiting_time, period, officer, typed, kept):
    file = workbook([["2020-Q3", "Whole local area", 20, typed]])
    readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")
    assert MeasureReading.objects.get().note == kept


def test_a_cell_showing_50_percent_is_saved_as_50_percent(plan, outcome, period, q4, officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    file = workbook([["2020-Q3", "Whole local area", 0.5], ["2020-Q4", "Whole local area", 0.615]],
                    formats={"C2": "0%", "C3": "0.0%"})
    readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    assert [r.value for r in MeasureReading.objects.order_by("period__start")] == [
        D("50"), D("61.5")]


def test_a_deliverable_typed_as_1_or_0_in_a_spreadsheet_is_yes_or_no(
        plan, outcome, period, q4, officer):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    file = workbook([["2020-Q3", "Whole local area", 0.0],
                     ["2020-Q4", "Whole local area", 1.0, "", None, dt.date(2020, 11, 2)]])
    readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    assert [r.value for r in MeasureReading.objects.order_by("period__start")] == [0, 1]


@pytest.mark.parametrize(("raw", "expected"), [
    (1.0, 1), (1, 1), ("1", 1), ("1.0", 1), (True, 1), ("Yes", 1),
    (0.0, 0), (0, 0), ("0", 0), (False, 0), ("no", 0)])
def test_deliverable_accepts_yes_no_and_one_zero_in_any_form(plan, outcome, raw, expected):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    assert parse_value(measure, raw) == expected


@pytest.mark.parametrize("raw", [2.0, 0.5, "maybe", "sNaN", "NaN", "Infinity"])
def test_deliverable_refuses_other_numbers(plan, outcome, raw):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    with pytest.raises(ValueError, match="must be yes or no"):
        parse_value(measure, raw)


@pytest.mark.parametrize("typed", ["1,,0", "12,34", "１２", "1e5", "1 000", "٣"])
def test_a_value_not_written_as_a_number_is_refused_saying_how_to_write_it(plan, outcome,
                                                                           typed):
    measure = make_measure(plan, outcome, Measure.Kind.NUMBER)
    with pytest.raises(ValueError, match="must be written as a number, in the digits 0 to 9"):
        parse_value(measure, typed)


@pytest.mark.parametrize(("typed", "expected"), [
    ("1,234.5", D("1234.5")), ("1234", D("1234")), ("-3", D("-3")), (".5", D("0.5")),
    (1e-04, D("0.0001")), (61.5, D("61.5"))])
def test_a_value_written_as_a_number_is_read(plan, outcome, typed, expected):
    measure = make_measure(plan, outcome, Measure.Kind.NUMBER)
    assert parse_value(measure, typed) == expected


def test_deliverable_refuses_full_width_digits(plan, outcome):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    with pytest.raises(ValueError, match="must be yes or no"):
        parse_value(measure, "１")


def test_upload_names_the_cells_of_numbers_not_written_as_numbers(plan, outcome, period, q4,
                                                                  officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE, data_source="POET survey")
    file = workbook([["2020-Q3", "Whole local area", "1,,0", "", 40],
                     ["2020-Q4", "Whole local area", 62, "", "１８００"]])
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    assert caught.value.messages == [
        "Row 2, cell C2: value must be written as a number, in the digits 0 to 9, such as 1234 "
        "or 1,234.5 (commas only between thousands)",
        "Row 3, cell E3: sample size must be written as a number, in the digits 0 to 9, such "
        "as 1234 or 1,234.5 (commas only between thousands)"]
    assert not MeasureReading.objects.exists()


def test_upload_names_the_sample_size_cell_at_fault(plan, outcome, period, q4, officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE, data_source="POET survey")
    file = workbook([["2020-Q3", "Whole local area", 61],
                     ["2020-Q4", "Whole local area", 62, "", "lots"]])
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    assert caught.value.messages == [
        "Row 2, cell E2: enter the sample size (n): how many people answered the survey",
        "Row 3, cell E3: sample size must be a whole number, 1 or more"]
    assert not MeasureReading.objects.exists()


def test_upload_names_the_delivery_date_cell_at_fault(plan, outcome, period, q4, officer):
    measure = make_measure(plan, outcome, Measure.Kind.DELIVERABLE, direction="none")
    file = workbook([["2020-Q3", "Whole local area", "yes"],
                     ["2020-Q4", "Whole local area", "yes", "", None, "soon"]])
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    assert caught.value.messages == [
        "Row 2, cell F2: enter the date it was delivered",
        "Row 3, cell F3: date delivered must be a date such as 2021-03-31"]
    assert not MeasureReading.objects.exists()


def test_a_sample_size_of_many_digits_is_refused_by_name_not_a_server_error(
        plan, outcome, period, q4, officer):
    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE, data_source="POET survey")
    file = workbook([["2020-Q3", "Whole local area", 61, "", 3_000_000_000],
                     ["2020-Q4", "Whole local area", 62, "", "1" * 30]])

    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=file, user=officer, reason="")
    with pytest.raises(ValidationError) as typed:
        readings_record(measure=measure, period=period, values_by_area={None: "61"},
                        user=officer, sample_size=3_000_000_000)

    assert caught.value.messages == [
        "Row 2, cell E2: sample size (n) must be 10,000,000 or fewer",
        "Row 3, cell E3: sample size (n) must be 10,000,000 or fewer"]
    assert typed.value.message_dict["sample_size"] == [
        "Sample size (n) must be 10,000,000 or fewer"]
    assert not MeasureReading.objects.exists()


def _sheet_of_empty_rows(rows: int) -> BytesIO:
    """A workbook whose sheet says it has `rows` rows, nearly all of them empty: small to
    upload, huge to read."""
    buffer = BytesIO()
    with zipfile.ZipFile(workbook([["2020-Q3", "Whole local area", 20]])) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                empty = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t></t></is></c>'
                                "</row>" for n in range(3, rows + 3))
                data = data.replace(b"</sheetData>", empty.encode() + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:F2"/>', b"")
            target.writestr(part, data)
    buffer.seek(0)
    return buffer


def test_a_workbook_that_unpacks_past_its_limit_is_refused_before_it_is_read(waiting_time,
                                                                              officer):
    file = _sheet_of_empty_rows(400_000)
    assert len(file.getvalue()) < 2 * 1024 * 1024  # within the upload limit as sent

    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")

    assert "more than a readings file can need (20 MB)" in caught.value.messages[0]


def test_reading_stops_at_the_end_of_the_layout(waiting_time, period, officer):
    file = _sheet_of_empty_rows(5_000)

    saved = readings_import_xlsx(measure=waiting_time, file=file, user=officer, reason="")

    assert [reading.value for reading in saved] == [D("20")]


def test_a_sheet_that_says_it_has_millions_of_rows_is_refused_by_its_size(waiting_time,
                                                                          officer):
    book = Workbook()
    book.active.append(OLDER_HEADER)
    book.active.cell(row=1_000_000, column=1, value="2020-Q3")
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)

    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=waiting_time, file=buffer, user=officer, reason="")

    assert "The sheet has 1,000,000 rows" in caught.value.messages[0]


@pytest.mark.parametrize("typed,written", [
    (" =SUM(A1)", "' =SUM(A1)"), ("\n+1", "'\n+1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("'\uff20x", "''\uff20x"), ("=1", "'=1"), ("fine", "fine"), ("'quoted", "'quoted")])
def test_the_readings_layout_marks_formulas_by_the_downloads_rule_and_reads_them_back(
        typed, written):
    from measures.services import _unmarked, spreadsheet_text

    assert spreadsheet_text(typed) == written
    assert _unmarked(written) == typed


def test_upload_refuses_rows_for_a_closed_period_naming_the_cell_and_who_reopens(
        plan, outcome, period, officer):
    from plans.services import reporting_period_close

    measure = make_measure(plan, outcome, Measure.Kind.PERCENTAGE)
    reporting_period_close(period=period, user=officer)
    with pytest.raises(ValidationError) as caught:
        readings_import_xlsx(measure=measure, file=workbook([
            ["2020-Q3", "Whole local area", 55]]), user=officer, reason="")
    assert caught.value.messages == [
        "Row 2, cell A2: 2020-21 Q2 (July to September 2020) is closed: its monitoring pack "
        "is final, so nothing dated in it can be added or changed. An administrator of the "
        "plan can reopen it if it must change"]
    assert not MeasureReading.objects.exists()
