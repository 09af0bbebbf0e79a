"""The monitoring pack read back as its reader would: every sheet, its headers and values
against the database, frozen at the period's close, and opened by LibreOffice."""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from actions import services as action_services
from actions.models import Rag
from measures.services import milestone_target_set, readings_record
from monitoring.services import monitoring_pack
from monitoring.workbook import GENERATION_ROWS, SHEETS
from plans.services import reporting_period_close, review_meeting_create, review_outcome_record
from tests.factories import (
    ActionFactory,
    EvidenceFactory,
    MeasureFactory,
    MilestoneFactory,
    OrganisationFactory,
    OutcomeFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
)
from workstreams.models import FeedbackPoint

FORMULA = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def periods(plan):
    q2 = ReportingPeriodFactory(plan=plan, label="2020-Q3", start=dt.date(2020, 7, 1),
                                end=dt.date(2020, 9, 30))
    q3 = ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                end=dt.date(2020, 12, 31))
    q4 = ReportingPeriodFactory(plan=plan, label="2021-Q1", start=dt.date(2021, 1, 1),
                                end=dt.date(2021, 3, 31))
    return q2, q3, q4


@pytest.fixture
def world(plan, jc, periods, jc_lead):
    q2, q3, _ = periods
    council = OrganisationFactory(plan=plan, name="Test County Council", kind="council")
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, owner=council,
                           title="Commission an ASD pathway", rag=Rag.AMBER,
                           start_date=dt.date(2020, 4, 1),
                           original_due_date=dt.date(2020, 11, 30),
                           current_due_date=dt.date(2020, 11, 30))
    other = ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.GREEN,
                          title="Publish the local offer")
    ProgressUpdateFactory(action=action, period=q2, date=dt.date(2020, 8, 1), rag=Rag.AMBER,
                          narrative="Slipping.")
    ProgressUpdateFactory(action=action, period=q3, date=dt.date(2020, 11, 2), rag=Rag.RED,
                          narrative=FORMULA)
    ProgressUpdateFactory(action=other, period=q3, date=dt.date(2020, 11, 2), rag=Rag.BLUE,
                          narrative="Published.")
    MilestoneFactory(action=action, done_date=dt.date(2020, 10, 5))
    MilestoneFactory(action=action)
    EvidenceFactory(action=action, title="Board minutes", kind="minutes")
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    outcome.actions.add(action)
    measure = MeasureFactory(plan=plan, outcome=outcome, title="Waiting time", baseline=20,
                             baseline_period="2019", target=12)
    point = FeedbackPoint.objects.create(plan=plan, number=1, letter_date=dt.date(2020, 4, 6),
                                         text="Say who leads the pathway.",
                                         response="JC1 names the lead.")
    point.actions.add(action)
    return action, other, measure


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def values(book) -> dict[str, list[tuple]]:
    """Every cell's value, sheet by sheet, except when, by whom and against which state of
    the audit trail the pack was generated."""
    found = {}
    for sheet in book:
        rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        found[sheet.title] = [row for row in rows if row[0] not in GENERATION_ROWS]
    return found


def test_every_sheet_is_named_and_headed_as_the_department_expects(plan, world, periods):
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    book = workbook(content)

    assert book.sheetnames == ["Cover", "Summary", "Actions", "Exceptions", "Measures",
                               "Inspector feedback", "Evidence index"] == SHEETS
    headers = {sheet.title: [cell.value for cell in next(sheet.iter_rows())] for sheet in book}
    assert headers["Actions"][:12] == [
        "Ref", "Workstream", "Action", "Owner", "Contributors", "Start", "Original due",
        "Current due", "Due date move", "RAG at close", "RAG at previous close",
        "This period's progress update"]
    assert headers["Exceptions"][:6] == ["Ref", "Workstream", "Action", "Owner",
                                         "RAG at close", "Why it is listed"]
    assert headers["Measures"][:4] == ["Measure", "Workstream", "Data source", "Baseline"]
    assert "2020-21 Q3 actual" in headers["Measures"]
    assert headers["Inspector feedback"] == ["Letter", "Point", "Actions", "Area's response",
                                             "Those actions' RAG at close"]
    assert headers["Evidence index"] == ["Title", "Type", "Action", "Date added"]
    assert book.properties.creator == "Test Area"
    assert "monitoring pack" in book.properties.title


def test_actions_sheet_says_what_the_database_holds(plan, world, periods):
    action, other, _ = world
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    sheet = workbook(content)["Actions"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}

    jc1 = rows["JC1"]
    assert [cell.value for cell in jc1[:4]] == ["JC1", "JC", "Commission an ASD pathway",
                                               "Test County Council"]
    assert jc1[6].value == dt.datetime(2020, 11, 30) and jc1[6].number_format == "dd/mm/yyyy"
    assert jc1[9].value == "Red" and jc1[9].fill.fgColor.rgb.endswith("D4351C")
    assert jc1[10].value == "Amber"
    assert (jc1[12].value, jc1[13].value, jc1[14].value) == (1, 2, 1)
    assert jc1[15].value == "Waiting time"
    assert rows["JC2"][9].value == "Blue"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P3"
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert next(sheet.iter_rows())[0].font.b


def test_the_evidence_index_lists_each_piece_by_type_and_action(plan, world, periods):
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    rows = list(workbook(content)["Evidence index"].iter_rows(min_row=2, values_only=True))
    assert [row[:3] for row in rows] == [("Board minutes", "Minutes", "JC1")]
    assert isinstance(rows[0][3], dt.datetime)


def test_summary_counts_each_colour_at_this_and_the_previous_close(plan, world, periods):
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    sheet = workbook(content)["Summary"]
    header = [cell.value for cell in next(sheet.iter_rows())]
    jc = next(row for row in sheet.iter_rows(min_row=2, values_only=True)
              if row[0] and row[0].startswith("JC"))
    counts = dict(zip(header, jc, strict=False))
    assert (counts["Blue at close"], counts["Red at close"]) == (1, 1)
    assert counts["Amber at 2020-21 Q2 close"] == 1
    assert counts["% complete"] == 0.5


def test_a_formula_in_a_narrative_stays_inert_text(plan, world, periods):
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    book = workbook(content)
    for title in ("Actions", "Exceptions"):
        cells = [cell for row in book[title].iter_rows() for cell in row
                 if cell.value == FORMULA]
        assert cells, title
        assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_a_closed_periods_pack_is_the_same_after_the_plan_is_edited(
        plan, world, periods, officer, jc_lead):
    action, _, measure = world
    q2, q3, q4 = periods
    readings_record(measure=measure, period=q3, values_by_area={None: "15"}, user=officer)
    reporting_period_close(period=q3, user=officer)
    q3.refresh_from_db()
    _, before = monitoring_pack(plan=plan, period=q3, generated_by="A. Officer")

    action.refresh_from_db()
    action_services.due_date_move(action=action, user=jc_lead, expected_version=action.version,
                                  new_due_date=dt.date(2021, 6, 30), reason="Provider delay")
    action.refresh_from_db()
    action_services.progress_update_create(
        action=action, user=jc_lead, expected_version=action.version, rag="green",
        narrative="Back on track", period=q4, date=dt.date(2021, 1, 5))
    action.refresh_from_db()
    action.title = "Commission the ASD pathway, renamed"
    action._change_reason = "Renamed"
    action.save()
    action_services.milestone_mark_done(milestone=action.milestones.get(done_date=None),
                                        user=jc_lead, done_date=dt.date(2020, 12, 1))
    EvidenceFactory(action=action, title="Later evidence")
    readings_record(measure=measure, period=q4, values_by_area={None: "11"}, user=officer)
    # q2 is still open: a milestone target set for it now is not in q3's pack, made before.
    milestone_target_set(measure=measure, period=q2, value="17", user=officer,
                         reason="Set late")
    _, after = monitoring_pack(plan=plan, period=q3, generated_by="A. Officer")

    assert values(workbook(after)) == values(workbook(before))
    _, open_pack = monitoring_pack(plan=plan, period=q4, generated_by="A. Officer")
    assert "Commission the ASD pathway, renamed" in str(values(workbook(open_pack)))


def test_the_measures_sheet_sets_each_milestone_target_beside_its_actual(
        plan, world, periods, officer):
    _, _, measure = world
    q2, q3, _ = periods
    readings_record(measure=measure, period=q2, values_by_area={None: "18"}, user=officer)
    readings_record(measure=measure, period=q3, values_by_area={None: "15"}, user=officer)
    milestone_target_set(measure=measure, period=q3, value="16", user=officer,
                         reason="Agreed at the SEND board")

    _, content = monitoring_pack(plan=plan, period=q3, generated_by="A. Officer")

    sheet = workbook(content)["Measures"]
    rows = list(sheet.iter_rows(values_only=True))
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Measure"] == "Waiting time"
    assert (line["2020-21 Q2 milestone target"], line["2020-21 Q2 actual"]) == ("Not set", 18)
    assert (line["2020-21 Q3 milestone target"], line["2020-21 Q3 actual"]) == (16, 15)


def test_the_pack_says_which_due_date_moves_were_agreed(plan, world, periods, officer,
                                                        jc_lead):
    action, _, _ = world
    action_services.due_date_move(action=action, user=jc_lead, expected_version=action.version,
                                  new_due_date=dt.date(2021, 2, 28), reason="Provider delay")
    meeting = review_meeting_create(plan=plan, user=officer, kind="quarterly",
                                    date=dt.date(2021, 1, 14), period=periods[1])
    review_outcome_record(meeting=meeting, user=officer, feedback="Agreed the new date.",
                          agreed_actions=[action])
    _, content = monitoring_pack(plan=plan, period=periods[2], generated_by="A. Officer")
    rows = {row[0]: row for row in workbook(content)["Actions"].iter_rows(min_row=2,
                                                                          values_only=True)}
    assert rows["JC1"][8] == f"Agreed with DfE/NHSE at {meeting}"

    action.refresh_from_db()
    action_services.due_date_move(action=action, user=jc_lead, expected_version=action.version,
                                  new_due_date=dt.date(2021, 5, 31), reason="Again")
    _, content = monitoring_pack(plan=plan, period=periods[2], generated_by="A. Officer")
    rows = {row[0]: row for row in workbook(content)["Actions"].iter_rows(min_row=2,
                                                                          values_only=True)}
    assert rows["JC1"][8] == "Moved, not agreed with DfE/NHSE"


def test_the_command_writes_the_pack_of_the_period_named(plan, world, periods, tmp_path):
    output = tmp_path / "pack.xlsx"
    call_command("export_monitoring_pack", "--plan", plan.slug, "--period", "2020-21-Q3",
                 "-o", str(output), stdout=io.StringIO())
    book = workbook(output.read_bytes())
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(values_only=True)}
    assert cover["Reporting period"] == "2020-21 Q3 (October to December 2020)"
    assert cover["Name of the local area"] == "Test Area"


def test_every_member_downloads_the_pack_from_its_address(plan, world, periods, adviser):
    client = Client()
    client.force_login(adviser)
    response = client.get(reverse("monitoring:pack", kwargs={"plan_slug": plan.slug,
                                                             "period_slug": "2020-21-Q3"}))
    assert response.status_code == 200
    assert 'filename="test-area-monitoring-pack-2020-21-Q3.xlsx"' in response[
        "Content-Disposition"]
    assert workbook(response.content).sheetnames == SHEETS


def test_the_pack_opens_cleanly_in_libreoffice(plan, world, periods, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: make test installs it"
    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")
    pack = tmp_path / "pack.xlsx"
    pack.write_bytes(content)
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(pack)],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "pack.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_the_cover_attests_the_audit_trail_as_the_pack_was_made(plan, world, periods):
    from audit.checkpoints import trail_head

    _, content = monitoring_pack(plan=plan, period=periods[1], generated_by="A. Officer")

    cover = {row[0]: row[1] for row in workbook(content)["Cover"].iter_rows(values_only=True)}
    count, head_hash = trail_head()
    assert f"verify_audit --expect {count}:{head_hash}" in cover["Audit trail when generated"]


# England beside each measure -------------------------------------------------------------

EES_HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,"
              "region_code,region_name,new_la_code,old_la_code,la_name,rate")
ENGLAND = "National,E92000001,England,,,,,"
TEST_AREA = 'Local authority,E92000001,England,E12000006,East of England,E10000099,999,"Test"'


@pytest.fixture
def twenty_weeks(plan, tmp_path):
    """A published percentage for England and the plan's area, loaded as any file is."""
    from area_statistics.services import statistics_load

    area = plan.local_area
    area.ons_code, area._change_reason = "E10000099", "Its ONS code"
    area.save()
    path = tmp_path / "sen2.csv"
    path.write_text("\n".join([
        EES_HEADER,
        f"2019,Calendar year,{ENGLAND},60.4", f"2019,Calendar year,{TEST_AREA},74.2",
        f"2020,Calendar year,{ENGLAND},58.1", f"2020,Calendar year,{TEST_AREA},33.6",
        f"2021,Calendar year,{ENGLAND},59.9", f"2021,Calendar year,{TEST_AREA},45.9",
    ]) + "\n", encoding="utf-8")
    statistics_load(path=path, indicator="rate", name="EHC plans issued within 20 weeks",
                    unit="percent", publisher="Department for Education")
    from area_statistics.models import Indicator

    return Indicator.objects.get(column="rate")


def _comparator_linked(plan, indicator, officer, title="Plans issued within 20 weeks",
                       measure=None):
    from area_statistics.services import measure_comparator_link

    measure = measure or MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan),
                                        title=title, kind="percentage", unit="")
    measure_comparator_link(measure=measure, indicator=indicator, use="comparator",
                            user=officer, reason="England beside our figure")
    return measure


def _measures_sheet(plan, period) -> dict[str, dict]:
    _, content = monitoring_pack(plan=plan, period=period, generated_by="A. Officer")
    rows = list(workbook(content)["Measures"].iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_the_measures_sheet_shows_englands_figure_with_its_period_and_source(
        plan, world, periods, twenty_weeks, officer):
    _comparator_linked(plan, twenty_weeks, officer)
    q2, q3, _ = periods

    sheet = _measures_sheet(plan, q3)

    assert sheet["Plans issued within 20 weeks"]["National comparator"] == (
        "England 58.1% (2020). Department for Education, sen2.csv, row 4")
    assert sheet["Waiting time"]["National comparator"] == "Not held"
    # 2020 had not ended when 2020-Q3 closed: its pack shows 2019's figure.
    assert _measures_sheet(plan, q2)["Plans issued within 20 weeks"][
        "National comparator"] == ("England 60.4% (2019). Department for Education, "
                                   "sen2.csv, row 2")


def test_a_closed_periods_pack_shows_the_comparators_linked_by_its_close(
        plan, world, periods, twenty_weeks, officer):
    q2, q3, _ = periods
    measure = MeasureFactory(plan=plan, outcome=OutcomeFactory(plan=plan), kind="percentage",
                             title="Plans issued within 20 weeks", unit="")
    reporting_period_close(period=q2, user=officer)
    q2.refresh_from_db()
    _comparator_linked(plan, twenty_weeks, officer, measure=measure)

    closed = _measures_sheet(plan, q2)
    assert closed["Plans issued within 20 weeks"]["National comparator"] == "Not held"
    assert _measures_sheet(plan, q3)["Plans issued within 20 weeks"][
        "National comparator"].startswith("England 58.1% (2020)")


def test_the_packs_queries_do_not_grow_with_the_measures_compared_with_england(
        plan, world, periods, twenty_weeks, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monitoring.selectors import pack_content

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            content = pack_content(plan, periods[1])
        assert all(line.national_comparator.startswith("England 58.1%")
                   for line in content.measures if line.title.startswith("Plans"))
        return len(captured)

    _comparator_linked(plan, twenty_weeks, officer, title="Plans 1")
    few = queries()
    for number in range(2, 7):
        _comparator_linked(plan, twenty_weeks, officer, title=f"Plans {number}")

    assert queries() == few
