"""Quarterly returns into a plan: rows matched by ref, each change made by the action
page's own services with the reason "imported from <file>", all or nothing, and the
actions download accepted back as it left."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action, Milestone, ProgressUpdate, Rag
from imports.services import apply_import, plan_state, prepare_returns
from monitoring.services import monitoring_pack
from plans.models import Plan, ReportingPeriod
from plans.services import quarter_bounds
from tests.downloads import XLSX_HEADER_ROW
from tests.factories import ActionFactory, MilestoneFactory, ReportingPeriodFactory
from tests.imports.workbooks import Upload, upload

pytestmark = pytest.mark.django_db
HEADER = ["Ref", "RAG", "Progress update", "Due date"]


@pytest.fixture
def actions(plan, jc):
    label, start, end = quarter_bounds(timezone.localdate())
    ReportingPeriodFactory(plan=plan, label=label, start=start, end=end)
    return [ActionFactory(plan=plan, workstream=jc, ref=f"JC{n}", ref_number=n,
                          rag=Rag.AMBER, current_due_date=dt.date(2027, 3, 31),
                          original_due_date=dt.date(2027, 3, 31)) for n in (1, 2, 3)]


def prepare(plan, sheets, name="returns-q3.xlsx"):
    file = sheets if isinstance(sheets, Upload) else upload(sheets)
    return prepare_returns(plan=plan, file=file, file_name=name,
                           today=timezone.localdate())


def test_rag_and_progress_become_a_progress_update_as_if_made_in_the_app(plan, actions):
    prepared = prepare(plan, {"Returns": [HEADER, ["JC1", "Green", "Panel met twice.", None]]})
    assert [(c.field, c.old, c.new) for c in prepared.actions[0].changes][-1] == (
        "RAG", "Amber", "Green")
    apply_import(prepared)
    action = Action.objects.get(pk=actions[0].pk)
    update = action.progress_updates.get()
    assert (action.rag, update.rag, update.narrative) == (Rag.GREEN, Rag.GREEN,
                                                          "Panel met twice.")
    assert update.date == timezone.localdate()
    assert action.history.latest().history_change_reason == "Panel met twice."


def test_a_moved_due_date_keeps_the_original_with_the_import_as_reason(plan, actions):
    apply_import(prepare(plan, {"Returns": [HEADER, ["JC2", None, None, "30/06/2027"]]}))
    action = Action.objects.get(pk=actions[1].pk)
    assert (action.original_due_date, action.current_due_date) == (
        dt.date(2027, 3, 31), dt.date(2027, 6, 30))
    assert action.history.latest().history_change_reason == "imported from returns-q3.xlsx"


def test_milestones_are_added_and_marked_done(plan, actions):
    MilestoneFactory(action=actions[0], title="Panel agreed", due_date=dt.date(2026, 6, 30))
    prepared = prepare(plan, {
        "Returns": [HEADER, ["JC1", None, None, None]],
        "Milestones": [["Ref", "Milestone", "Due date", "Done date"],
                       ["JC1", "Panel agreed", None, "01/06/2026"],
                       ["JC1", "Policy published", "31/03/2027", None]]})
    apply_import(prepared)
    milestones = {m.title: m for m in Milestone.objects.filter(action=actions[0])}
    assert milestones["Panel agreed"].done_date == dt.date(2026, 6, 1)
    assert milestones["Policy published"].due_date == dt.date(2027, 3, 31)


def test_accountability_columns_land_in_their_fields(plan, actions):
    apply_import(prepare(plan, {"Returns": [
        ["Ref", "Lead agency", "Delivery team", "Sponsoring director", "Responsible officer"],
        ["JC3", "Test Area Council", "Commissioning Team", "Sam Patel, Director",
         "Ria Jones, Head of SEND"]]}))
    action = Action.objects.get(pk=actions[2].pk)
    assert action.lead_agency.name == "Test Area Council"
    assert action.delivery_team.name == "Commissioning Team"
    assert action.sponsoring_director == "Sam Patel, Director"
    assert action.action_lead == "Ria Jones, Head of SEND"


def test_an_error_in_the_last_row_leaves_the_plan_unchanged(plan, actions):
    before = plan_state(plan, timezone.localdate())
    prepared = prepare(plan, {"Returns": [HEADER, ["JC1", "Green", "Fine.", "30/06/2027"],
                                          ["JC2", "Blue", "Done.", None],
                                          ["JC3", "Purple", "Hmm.", None]]})
    assert prepared.problem_lines == [
        "Sheet “Returns”, row 4, column RAG: RAG must be Blue, Green, Amber or Red (or B, G, "
        "A, R, Complete, On track, Not started) (found “Purple”)"]
    with pytest.raises(ValidationError):
        apply_import(prepared)
    assert plan_state(plan, timezone.localdate()) == before
    assert not ProgressUpdate.objects.exists()


def test_a_failure_while_writing_undoes_every_earlier_row(plan, actions):
    prepared = prepare(plan, {"Returns": [HEADER, ["JC1", "Green", "Fine.", None],
                                          ["JC2", "Green", "Fine.", None]]})
    # Someone changes JC2 between the check and the write: its update is refused, so JC1's
    # goes too.
    def refuse(user):
        raise ValidationError("changed meanwhile")
    prepared.steps.append(refuse)
    with pytest.raises(ValidationError):
        apply_import(prepared)
    assert not ProgressUpdate.objects.exists()
    assert Action.objects.get(pk=actions[0].pk).rag == Rag.AMBER


def test_a_ref_the_plan_does_not_have_is_an_error(plan, actions):
    prepared = prepare(plan, {"Returns": [HEADER, ["JC9", "Green", "Fine.", None]]})
    assert prepared.problem_lines == [
        "Sheet “Returns”, row 2, column Ref: no action JC9 in the Test Area plan: returns "
        "change actions the plan has (found “JC9”)"]


def test_a_rag_change_without_a_narrative_is_an_error(plan, actions):
    prepared = prepare(plan, {"Returns": [HEADER, ["JC1", "Red", None, None]]})
    assert prepared.problem_lines == [
        "Sheet “Returns”, row 2, column RAG: a change of RAG needs the progress narrative that "
        "explains it (an Update or Progress column) (found “Red”)"]


def test_a_closed_plan_refuses_returns(plan, actions):
    plan.status = Plan.Status.CLOSED
    plan._change_reason = "Signed off"
    plan.save()
    with pytest.raises(ValidationError, match="closed"):
        prepare(plan, {"Returns": [HEADER, ["JC1", "Green", "Fine.", None]]})


def test_the_actions_download_comes_back_as_it_left(client, board_member, plan, actions):
    client.force_login(board_member)
    content = client.get(reverse("actions:export_xlsx", kwargs={"plan_slug": plan.slug})).content
    unchanged = prepare(plan, Upload(content), name="test-area-actions.xlsx")
    assert unchanged.is_valid, unchanged.problem_lines
    assert unchanged.actions == [] and unchanged.unchanged == 3

    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    # Below the download's heading: its header row, then the first action, edited in place.
    header = [cell.value for cell in sheet[XLSX_HEADER_ROW]]
    first = XLSX_HEADER_ROW + 1
    sheet.cell(row=first, column=header.index("RAG") + 1, value="Green")
    sheet.cell(row=first, column=header.index("Latest progress narrative") + 1,
               value="Recovered after the panel.")
    edited = io.BytesIO()
    book.save(edited)
    apply_import(prepare(plan, Upload(edited.getvalue()), name="edited.xlsx"))
    assert Action.objects.get(pk=actions[0].pk).rag == Rag.GREEN


def test_the_monitoring_packs_actions_sheet_comes_back_as_returns(plan, actions):
    period = ReportingPeriod.objects.get(plan=plan)
    _, content = monitoring_pack(plan=plan, period=period, generated_by="A. Officer")
    unchanged = prepare(plan, Upload(content), name="pack.xlsx")
    assert unchanged.is_valid, unchanged.problem_lines
    assert unchanged.actions == [] and unchanged.unchanged == 3
    # Every column of the Actions sheet is read; the pack's other sheets are named.
    assert "Actions" not in unchanged.read.unrecognised
    assert any("only its Actions sheet was read" in note for note in unchanged.notes)

    book = load_workbook(io.BytesIO(content))
    sheet = book["Actions"]
    header = [cell.value for cell in sheet[1]]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    row = refs.index("JC2") + 2
    sheet.cell(row=row, column=header.index("RAG at close") + 1, value="Red")
    sheet.cell(row=row, column=header.index("This period's progress update") + 1,
               value="Recruitment paused:\nthe panel meets again in March.")
    edited = io.BytesIO()
    book.save(edited)
    prepared = prepare(plan, Upload(edited.getvalue()), name="pack-edited.xlsx")
    assert prepared.is_valid, prepared.problem_lines
    assert [(preview.ref, [change.field for change in preview.changes])
            for preview in prepared.actions] == [("JC2", ["Progress update", "RAG"])]
    apply_import(prepared)
    action = Action.objects.get(pk=actions[1].pk)
    assert action.rag == Rag.RED
    assert action.progress_updates.get().narrative == ("Recruitment paused:\nthe panel meets "
                                                       "again in March.")
