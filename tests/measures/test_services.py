import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from measures.models import Measure, MeasureReading
from measures.services import readings_import_xlsx, readings_record

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


def workbook(rows) -> BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(["Period", "Area", "Value", "Note", "Sample size (n)", "Date delivered"])
    for row in rows:
        sheet.append(row)
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
