import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures.models import Measure, MeasureReading
from tests.factories import (
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    ReportingPeriodFactory,
)


def measures_url(name, plan, **kwargs):
    """The address of a measures page of `plan`."""
    return reverse(f"measures:{name}", kwargs={"plan_slug": plan.slug, **kwargs})


def detail_url(measure):
    return measures_url("detail", measure.plan, measure_id=measure.pk)


def new_url(measure):
    return measures_url("reading_new", measure.plan, measure_id=measure.pk)


def template_url(measure):
    return measures_url("readings_template", measure.plan, measure_id=measure.pk)


def upload_url(measure):
    return measures_url("readings_upload", measure.plan, measure_id=measure.pk)


def as_submitted(form, **changes) -> dict:
    """What the browser sends for the form as the page fills it in, with `changes`."""
    data = {}
    for field in form:
        shown = field.field.widget.format_value(field.value())
        data[field.name] = (shown[0] if shown else "") if isinstance(shown, list) else shown or ""
    data.update(changes)
    return data


def grid(period, whole, by_area, **extra):
    data = {"period": period.pk, "value": whole, "unit": "weeks", "note": "", "source": "",
            "reason": ""}
    data.update({f"area_{area.pk}": value for area, value in by_area.items()})
    data.update(extra)
    return data


def test_lead_enters_a_quarter_for_every_ccg_area_and_sees_the_variation(
        client, jc_lead, waiting_time, ccg_areas, period):
    client.force_login(jc_lead)
    values = dict(zip(ccg_areas, ["14", "17", "21", "9", "28"], strict=True))
    response = client.post(new_url(waiting_time), grid(period, "18", values))
    assert response.status_code == 302
    page = client.get(detail_url(waiting_time)).content.decode()
    assert ("Waiting time varies 3.1x between CCG areas (North East Essex 9 weeks, "
            "West Essex 28 weeks)") in page
    assert 'role="img"' in page and "<title" in page
    assert MeasureReading.objects.filter(measure=waiting_time).count() == 6


def test_form_names_the_area_at_fault_and_keeps_what_was_typed(
        client, jc_lead, waiting_time, ccg_areas, period):
    client.force_login(jc_lead)
    response = client.post(new_url(waiting_time),
                           grid(period, "18", {ccg_areas[0]: "-2", ccg_areas[1]: "12"},
                                note="Keep me"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Basildon and Brentwood: value must be a number of weeks, 0 or more" in page
    assert "Keep me" in page
    assert not MeasureReading.objects.exists()


def test_correction_through_the_form_needs_a_reason(client, jc_lead, waiting_time, period):
    client.force_login(jc_lead)
    client.post(new_url(waiting_time), grid(period, "20", {}))
    response = client.post(new_url(waiting_time), grid(period, "23", {}))
    assert "give a reason for the correction" in response.content.decode()
    response = client.post(new_url(waiting_time), grid(period, "23", {}, reason="Typo"))
    assert response.status_code == 302
    assert MeasureReading.objects.get().value == D("23")


def test_other_workstream_lead_cannot_enter_readings(client, ehc_lead, waiting_time, period):
    client.force_login(ehc_lead)
    response = client.post(new_url(waiting_time), grid(period, "20", {}))
    assert response.status_code == 403
    assert not MeasureReading.objects.exists()


def test_measure_page_says_when_no_baseline_was_published(client, board_member, plan,
                                                          outcome):
    measure = MeasureFactory(plan=plan, outcome=outcome, baseline=None,
                             baseline_note="No figure in the plan")
    client.force_login(board_member)
    page = client.get(detail_url(measure)).content.decode()
    assert "Not published in the source documents" in page
    assert "No figure in the plan" in page


def test_list_filters_by_status(client, board_member, waiting_time, period, plan, outcome):
    MeasureReadingFactory(measure=waiting_time, period=period, value=12)
    MeasureFactory(plan=plan, outcome=outcome, title="Never read")
    client.force_login(board_member)
    page = client.get(measures_url("list", plan), {"status": "on target"}).content.decode()
    assert "Waiting time" in page and "Never read" not in page
    page = client.get(measures_url("list", plan), {"status": "no reading yet"}).content.decode()
    assert "Never read" in page and ">Waiting time<" not in page


def test_variation_page_compares_with_the_first_reading_period(
        client, board_member, waiting_time, ccg_areas, period, q4, plan):
    for p, values in ((period, [10, 12, 14, 8, 30]), (q4, [12, 13, 14, 10, 20])):
        for area, value in zip(ccg_areas, values, strict=True):
            MeasureReadingFactory(measure=waiting_time, period=p, area=area, value=value)
    client.force_login(board_member)
    page = client.get(measures_url("variation", plan)).content.decode()
    assert "No baseline spread published" in page
    assert "2020-21 Q2 (first reading period)" in page
    assert "Narrowing" in page


def test_template_download_has_the_layout_and_neutralised_cells(
        client, officer, waiting_time, ccg_areas, period, plan):
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, note="=HYPERLINK(1)")
    client.force_login(officer)
    response = client.get(template_url(waiting_time))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Period", "Area", "Value", "Note")
    assert rows[1][:4] == ("2020-21 Q2", "Whole local area", 20, "'=HYPERLINK(1)")


def test_upload_page_lists_every_cell_at_fault_and_saves_nothing(
        client, officer, waiting_time, period, plan):
    book = Workbook()
    book.active.append(["Period", "Area", "Value", "Note"])
    book.active.append(["2020-Q3", "Whole local area", "soon"])
    book.active.append(["2020-Q3", "Atlantis", 3])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "readings.xlsx"
    client.force_login(officer)
    response = client.post(upload_url(waiting_time),
                           {"file": buffer, "reason": ""})
    page = response.content.decode()
    assert "Row 2, cell C2: value must be a number of weeks, 0 or more" in page
    assert "Row 3, cell B3: area must be one of" in page
    assert not MeasureReading.objects.exists()


def add_history(measure, areas, plan, quarters, first=0):
    periods = [ReportingPeriodFactory(plan=plan, label=f"{1800 + q // 4}-Q{q % 4 + 1}",
                                      start=dt.date(1800 + q // 4, 3 * (q % 4) + 1, 1),
                                      end=dt.date(1800 + q // 4, 3 * (q % 4) + 1, 28))
               for q in range(first, first + quarters)]
    MeasureReading.objects.bulk_create(
        MeasureReading(measure=measure, period=p, area=a, kind=measure.kind, value=10 + i % 7)
        for p in periods for i, a in enumerate([None, *areas]))


def count_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_measure_pages_keep_a_constant_number_of_queries(
        client, board_member, waiting_time, ccg_areas, plan, django_assert_max_num_queries):
    client.force_login(board_member)
    urls = [detail_url(waiting_time), measures_url("list", plan), measures_url("variation", plan)]
    add_history(waiting_time, ccg_areas, plan, 2)
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        small[url] = len(captured)
    # 100 times as many readings: 200 quarters of six readings each.
    add_history(waiting_time, ccg_areas, plan, 200, first=2)
    for url in urls:
        count_queries(client, url, django_assert_max_num_queries, small[url])


def test_deliverable_is_entered_as_yes_or_no_with_its_date(client, officer, plan, outcome,
                                                          period):
    measure = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DELIVERABLE,
                             direction="none", unit="", title="Strategy published")
    client.force_login(officer)
    page = client.get(new_url(measure)).content.decode()
    assert "Delivered for the whole local area?" in page and "Date delivered" in page
    response = client.post(new_url(measure), {"period": period.pk, "value": "yes",
                                              "achieved_on": "", "note": "", "source": "",
                                              "reason": ""})
    assert "Enter the date it was delivered" in response.content.decode()
    response = client.post(new_url(measure), {"period": period.pk, "value": "yes",
                                              "achieved_on": "03/08/2020", "note": "",
                                              "source": "", "reason": ""})
    assert response.status_code == 302
    page = client.get(detail_url(measure)).content.decode()
    assert "On target" in page


def entered_period(waiting_time, ccg_areas, period):
    """A quarter as a spreadsheet import leaves it: every reading with its own fields."""
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, unit="weeks",
                          note="From CCG returns", source="CCG dashboards", sample_size=40)
    for index, area in enumerate(ccg_areas):
        MeasureReadingFactory(measure=waiting_time, period=period, area=area, value=10 + index,
                              unit="weeks", note=f"{area.name} return", source=f"CCG {index}",
                              sample_size=50 + index)


def fields_of(reading):
    return (reading.value, reading.note, reading.source, reading.sample_size, reading.unit,
            reading.achieved_on)


def test_correcting_one_area_in_the_form_keeps_the_other_readings_notes(
        client, jc_lead, waiting_time, ccg_areas, period):
    entered_period(waiting_time, ccg_areas, period)
    before = {r.pk: fields_of(r) for r in MeasureReading.objects.all()}
    history = MeasureReading.history.count()
    client.force_login(jc_lead)
    response = client.get(new_url(waiting_time), {"period": period.pk})
    page = response.content.decode()
    assert "From CCG returns" in page and "CCG dashboards" in page
    data = as_submitted(response.context["form"], reason="CCG resubmitted")
    data[f"area_{ccg_areas[0].pk}"] = "13"
    assert client.post(new_url(waiting_time), data).status_code == 302
    after = {r.pk: fields_of(r) for r in MeasureReading.objects.all()}
    corrected = MeasureReading.objects.get(area=ccg_areas[0])
    assert after[corrected.pk] == (D("13"), *before[corrected.pk][1:])
    assert {pk: f for pk, f in after.items() if pk != corrected.pk} == {
        pk: f for pk, f in before.items() if pk != corrected.pk}
    assert MeasureReading.history.count() == history + 1


def test_saving_a_period_unchanged_asks_no_reason_and_changes_nothing(
        client, jc_lead, waiting_time, ccg_areas, period):
    entered_period(waiting_time, ccg_areas, period)
    before = {r.pk: fields_of(r) for r in MeasureReading.objects.all()}
    history = MeasureReading.history.count()
    client.force_login(jc_lead)
    form = client.get(new_url(waiting_time), {"period": period.pk}).context["form"]
    response = client.post(new_url(waiting_time), as_submitted(form), follow=True)
    assert "Nothing changed for 2020-21 Q2." in response.content.decode()
    assert {r.pk: fields_of(r) for r in MeasureReading.objects.all()} == before
    assert MeasureReading.history.count() == history


def test_the_message_after_saving_shows_on_a_measure_page_seen_before(
        client, jc_lead, waiting_time, ccg_areas, period, plan):
    # Nothing changes, so the page seen before is still in the cache: the message must not
    # be lost to it.
    entered_period(waiting_time, ccg_areas, period)
    client.force_login(jc_lead)
    detail = detail_url(waiting_time)
    client.get(detail)
    client.get(detail)
    form = client.get(new_url(waiting_time), {"period": period.pk}).context["form"]
    response = client.post(new_url(waiting_time), as_submitted(form), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "Nothing changed for 2020-21 Q2." in response.content.decode()
    assert "Nothing changed" not in client.get(detail).content.decode()


def test_the_entry_page_opens_on_the_current_period_with_its_readings_filled_in(
        client, jc_lead, waiting_time, ccg_areas, period, plan):
    # A later period that has not started yet must not be the one the form opens on.
    ReportingPeriodFactory(plan=plan, label="2099-Q1", start=dt.date(2099, 1, 1),
                           end=dt.date(2099, 3, 31))
    entered_period(waiting_time, ccg_areas, period)
    before = {r.pk: fields_of(r) for r in MeasureReading.objects.all()}
    client.force_login(jc_lead)
    response = client.get(new_url(waiting_time))
    assert "From CCG returns" in response.content.decode()
    form = response.context["form"]
    assert form["period"].value() == period.pk
    saved = client.post(new_url(waiting_time), as_submitted(form), follow=True)
    assert "Nothing changed for 2020-21 Q2." in saved.content.decode()
    assert {r.pk: fields_of(r) for r in MeasureReading.objects.all()} == before


def test_choosing_another_period_shows_that_periods_figures_not_the_last_ones(
        client, jc_lead, waiting_time, ccg_areas, period, q4):
    entered_period(waiting_time, ccg_areas, period)
    client.force_login(jc_lead)
    response = client.get(new_url(waiting_time), {"period": q4.pk})
    page = response.content.decode()
    assert "Readings for 2020-21 Q3" in page
    assert "From CCG returns" not in page
    form = response.context["form"]
    assert form["period"].value() == q4.pk
    assert not form["value"].value()


def test_the_entry_page_says_so_when_the_plan_has_no_periods(client, officer, waiting_time):
    client.force_login(officer)
    page = client.get(new_url(waiting_time)).content.decode()
    assert "No reporting period has been set up" in page
    assert "Save readings" not in page


def test_saving_a_delivered_deliverable_unchanged_keeps_its_date(client, officer, plan, outcome,
                                                                period):
    measure = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DELIVERABLE,
                             direction="none", unit="", title="Strategy published")
    MeasureReadingFactory(measure=measure, period=period, value=1,
                          achieved_on=dt.date(2020, 8, 3), note="Published on the Local Offer")
    client.force_login(officer)
    form = client.get(new_url(measure), {"period": period.pk}).context["form"]
    assert client.post(new_url(measure), as_submitted(form)).status_code == 302
    reading = MeasureReading.objects.get()
    assert reading.achieved_on == dt.date(2020, 8, 3)
    assert reading.history.count() == 1


def test_a_unit_with_markup_is_shown_as_text_on_the_reading_form(client, officer, plan,
                                                                 outcome, period):
    measure = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DURATION,
                             unit="<script>x</script>")
    client.force_login(officer)
    page = client.get(new_url(measure)).content.decode()
    assert "<script>x</script>" not in page
    assert "Enter a number of &lt;script&gt;x&lt;/script&gt;, 0 or more." in page


def download(client, measure) -> bytes:
    response = client.get(template_url(measure))
    assert response.status_code == 200
    return response.content


def upload(client, measure, content: bytes, reason=""):
    buffer = BytesIO(content)
    buffer.name = "readings.xlsx"
    return client.post(upload_url(measure), {"file": buffer, "reason": reason}, follow=True)


def test_uploading_the_downloaded_layout_unchanged_changes_nothing(
        client, officer, waiting_time, ccg_areas, period, q4):
    entered_period(waiting_time, ccg_areas, period)
    notes = ["=SUM(A1)", "-3 weeks late", "@risk", "'=x", "+44 line", "'quoted"]
    for reading, note in zip(MeasureReading.objects.order_by("pk"), notes, strict=True):
        reading.note = note
        reading.source = f"'{note}"
        reading.save()
    before = {r.pk: fields_of(r) for r in MeasureReading.objects.all()}
    history = MeasureReading.history.count()
    client.force_login(officer)
    for _ in range(2):
        page = upload(client, waiting_time, download(client, waiting_time)).content.decode()
        assert "Nothing changed: the spreadsheet matches the readings already entered." in page
    assert {r.pk: fields_of(r) for r in MeasureReading.objects.all()} == before
    assert MeasureReading.history.count() == history


def test_uploading_the_downloaded_layout_unchanged_keeps_survey_and_deliverable_fields(
        client, officer, plan, outcome, period):
    survey = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                            data_source="POET survey", title="Parents satisfied")
    deliverable = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DELIVERABLE,
                                 unit="", direction="none", title="Strategy published")
    MeasureReadingFactory(measure=survey, period=period, value=D("61.5"), sample_size=1800)
    MeasureReadingFactory(measure=deliverable, period=period, value=1,
                          achieved_on=dt.date(2020, 8, 3))
    history = MeasureReading.history.count()
    client.force_login(officer)
    for measure in (survey, deliverable):
        page = upload(client, measure, download(client, measure)).content.decode()
        assert "Nothing changed" in page
    assert MeasureReading.history.count() == history


def test_layout_download_has_the_source_and_a_changed_source_is_a_correction(
        client, officer, waiting_time, period):
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, unit="weeks",
                          source="CCG dashboards")
    client.force_login(officer)
    book = load_workbook(BytesIO(download(client, waiting_time)))
    sheet = book.worksheets[0]
    assert (sheet["G1"].value, sheet["G2"].value) == ("Source", "CCG dashboards")
    sheet["G2"] = "CCG returns"
    buffer = BytesIO()
    book.save(buffer)
    page = upload(client, waiting_time, buffer.getvalue()).content.decode()
    assert "Row 2 would correct readings already entered" in page
    upload(client, waiting_time, buffer.getvalue(), reason="Source renamed")
    assert MeasureReading.objects.get().source == "CCG returns"


def test_list_filters_by_workstream(client, board_member, plan, waiting_time, ehc):
    MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan, workstream=ehc),
                   title="Plans issued in 20 weeks")
    client.force_login(board_member)
    page = client.get(measures_url("list", plan), {"workstream": ehc.pk}).content.decode()
    assert "Plans issued in 20 weeks" in page and ">Waiting time<" not in page
    page = client.get(measures_url("list", plan),
                      {"workstream": waiting_time.outcome.workstream_id}).content.decode()
    assert ">Waiting time<" in page and "Plans issued in 20 weeks" not in page


def test_list_filters_by_data_source(client, board_member, plan, outcome):
    MeasureFactory(plan=plan, outcome=outcome, title="Parents satisfied",
                   data_source="POET survey")
    MeasureFactory(plan=plan, outcome=outcome, title="Plans issued", data_source="EHC data")
    client.force_login(board_member)
    page = client.get(measures_url("list", plan), {"data_source": "POET survey"}).content.decode()
    assert "Parents satisfied" in page and "Plans issued" not in page


DEMO_BANNER = "Some figures on this page are illustrative demo data"


def measure_pages(measure):
    return [measures_url("list", measure.plan), detail_url(measure),
            measures_url("variation", measure.plan)]


def test_measure_pages_say_when_the_plan_holds_demo_data(
        client, board_member, plan, waiting_time, ccg_areas, period):
    plan.has_demo_data = True
    plan.save()
    client.force_login(board_member)
    for url in measure_pages(waiting_time):
        assert DEMO_BANNER in client.get(url).content.decode(), url


def test_measure_pages_of_real_figures_have_no_demo_banner(
        client, board_member, waiting_time, ccg_areas, period):
    MeasureReadingFactory(measure=waiting_time, period=period, area=ccg_areas[0], value=12)
    client.force_login(board_member)
    for url in measure_pages(waiting_time):
        assert DEMO_BANNER not in client.get(url).content.decode(), url


def test_reading_entry_and_layout_download_keep_a_constant_number_of_queries(
        client, officer, waiting_time, ccg_areas, plan, django_assert_max_num_queries):
    client.force_login(officer)
    add_history(waiting_time, ccg_areas, plan, 2)
    first = MeasureReading.objects.order_by("period__start").first().period
    urls = [new_url(waiting_time), f"{new_url(waiting_time)}?period={first.pk}",
            template_url(waiting_time)]
    small = {}
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        small[url] = len(captured)
    # 100 times as many readings: 200 quarters of six readings each.
    add_history(waiting_time, ccg_areas, plan, 200, first=2)
    for url in urls:
        count_queries(client, url, django_assert_max_num_queries, small[url])


def test_a_measure_of_another_plan_is_not_found_at_this_plans_address(
        client, jc_lead, plan, period, other_jc):
    theirs = MeasureFactory(plan=other_jc.plan,
                            outcome=OutcomeFactory(plan=other_jc.plan, workstream=other_jc),
                            title="Their waiting time")
    client.force_login(jc_lead)
    for url in (measures_url("detail", plan, measure_id=theirs.pk),
                measures_url("reading_new", plan, measure_id=theirs.pk)):
        assert client.get(url).status_code == 404, url
    response = client.post(measures_url("reading_new", plan, measure_id=theirs.pk),
                           grid(period, "20", {}))
    assert response.status_code == 404
    assert "Their waiting time" not in client.get(measures_url("list", plan)).content.decode()
    assert client.get(detail_url(theirs)).status_code == 404
    assert not MeasureReading.objects.exists()


def test_a_sample_size_of_many_digits_gets_a_message_at_its_field(client, officer, plan,
                                                                  outcome, period):
    survey = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                            data_source="POET survey", title="Parents satisfied")
    client.force_login(officer)

    response = client.post(new_url(survey), {**grid(period, "61", {}),
                                             "sample_size": "3000000000"})

    assert response.status_code == 200
    assert "Sample size (n) must be 10,000,000 or fewer" in response.content.decode()
    assert not MeasureReading.objects.exists()


@pytest.mark.parametrize(("field", "typed", "message"), [
    ("value", "6,,1", "Whole local area: value must be written as a number, in the digits 0 "
                      "to 9"),
    ("value", "６１", "Whole local area: value must be written as a number, in the digits 0 "
                     "to 9"),
    ("sample_size", "１８００", "Sample size (n) must be written as a number, in the digits 0 "
                               "to 9"),
    ("sample_size", "1,,800", "Sample size (n) must be written as a number, in the digits 0 "
                              "to 9"),
])
def test_a_number_not_written_as_a_number_is_refused_naming_its_field(
        client, officer, plan, outcome, period, field, typed, message):
    survey = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                            data_source="POET survey", title="Parents satisfied")
    client.force_login(officer)
    data = {**grid(period, "61", {}), "sample_size": "1800", field: typed}

    response = client.post(new_url(survey), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeasureReading.objects.exists()


def test_a_sample_size_written_with_thousands_commas_is_taken(client, officer, plan, outcome,
                                                             period):
    survey = MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="",
                            data_source="POET survey", title="Parents satisfied")
    client.force_login(officer)

    response = client.post(new_url(survey), {**grid(period, "61", {}), "sample_size": "1,800"})

    assert response.status_code == 302
    assert MeasureReading.objects.get().sample_size == 1800
