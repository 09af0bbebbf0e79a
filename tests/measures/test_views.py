import datetime as dt
from decimal import Decimal as D
from io import BytesIO

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from measures.models import MeasureReading
from tests.factories import MeasureFactory, MeasureReadingFactory, ReportingPeriodFactory


def detail_url(measure):
    return reverse("measures:detail", kwargs={"measure_id": measure.pk})


def new_url(measure):
    return reverse("measures:reading_new", kwargs={"measure_id": measure.pk})


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
    page = client.get(reverse("measures:list"), {"status": "on target"}).content.decode()
    assert "Waiting time" in page and "Never read" not in page
    page = client.get(reverse("measures:list"), {"status": "no reading yet"}).content.decode()
    assert "Never read" in page and ">Waiting time<" not in page


def test_variation_page_compares_with_the_first_reading_period(
        client, board_member, waiting_time, ccg_areas, period, q4):
    for p, values in ((period, [10, 12, 14, 8, 30]), (q4, [12, 13, 14, 10, 20])):
        for area, value in zip(ccg_areas, values, strict=True):
            MeasureReadingFactory(measure=waiting_time, period=p, area=area, value=value)
    client.force_login(board_member)
    page = client.get(reverse("measures:variation")).content.decode()
    assert "No baseline spread published" in page
    assert "2020-Q3 (first reading period)" in page
    assert "Narrowing" in page


def test_template_download_has_the_layout_and_neutralised_cells(
        client, officer, waiting_time, ccg_areas, period):
    MeasureReadingFactory(measure=waiting_time, period=period, value=20, note="=HYPERLINK(1)")
    client.force_login(officer)
    response = client.get(reverse("measures:readings_template",
                                  kwargs={"measure_id": waiting_time.pk}))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Period", "Area", "Value", "Note")
    assert rows[1][:4] == ("2020-Q3", "Whole local area", 20, "'=HYPERLINK(1)")


def test_upload_page_lists_every_cell_at_fault_and_saves_nothing(
        client, officer, waiting_time, period):
    book = Workbook()
    book.active.append(["Period", "Area", "Value", "Note"])
    book.active.append(["2020-Q3", "Whole local area", "soon"])
    book.active.append(["2020-Q3", "Atlantis", 3])
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "readings.xlsx"
    client.force_login(officer)
    response = client.post(reverse("measures:readings_upload",
                                   kwargs={"measure_id": waiting_time.pk}),
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
    urls = [detail_url(waiting_time), reverse("measures:list"), reverse("measures:variation")]
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
    from measures.models import Measure

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
