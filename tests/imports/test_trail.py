"""An import writes its history and audit entries together at the end rather than save by
save: the trail it leaves must read exactly as the one-by-one saves would have left it
(who, when, what, why), its chain must verify, and its cost must not grow by more than a
few queries a row."""

import contextlib
import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Rag
from audit.checkpoints import verify_trail
from audit.models import AuditEntry
from imports import services as import_services
from imports.services import apply_import, prepare_new_plan, prepare_returns
from plans.services import quarter_bounds
from tests.factories import ActionFactory, MilestoneFactory, ReportingPeriodFactory
from tests.imports.workbooks import upload

pytestmark = pytest.mark.django_db
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")


class Rollback(Exception):
    pass


def _entries(after: int) -> list[tuple]:
    """The trail written since `after`, as a reader sees it; the moment of each change is
    checked apart, as two runs cannot share it."""
    rows = []
    for entry in AuditEntry.objects.filter(sequence__gt=after).order_by("sequence"):
        changes = {field: [("<time>" if isinstance(value, str) and TIME.match(value)
                            else value) for value in values]
                   for field, values in entry.changes.items()}
        rows.append((entry.actor_id, entry.actor_label, entry.object_kind, entry.object_label,
                     entry.workstream_code, entry.action_ref, entry.change_type, changes,
                     entry.reason))
    return rows


def _head() -> int:
    return AuditEntry.objects.order_by("-sequence").values_list("sequence", flat=True).first() \
        or 0


def _trail_both_ways(monkeypatch, make_prepared, user=None) -> tuple[list, list]:
    """The trail of one import saved one by one (then undone) and of the same import
    batched."""
    head = _head()
    one_by_one = []
    with monkeypatch.context() as patch:
        patch.setattr(import_services, "batched_trail", contextlib.nullcontext)
        with pytest.raises(Rollback), transaction.atomic():
            apply_import(make_prepared(), user=user)
            one_by_one = _entries(head)
            raise Rollback
    assert _head() == head
    started = timezone.now()
    apply_import(make_prepared(), user=user)
    batched = AuditEntry.objects.filter(sequence__gt=head)
    # When: each entry at the moment of its change, during the import, in order.
    moments = [entry.recorded_at for entry in batched.order_by("sequence")]
    assert moments == sorted(moments) and moments[0] >= started
    return one_by_one, _entries(head)


@pytest.fixture
def actions(plan, jc):
    label, start, end = quarter_bounds(timezone.localdate())
    ReportingPeriodFactory(plan=plan, label=label, start=start, end=end)
    return [ActionFactory(plan=plan, workstream=jc, ref=f"JC{n}", ref_number=n,
                          rag=Rag.AMBER, current_due_date=dt.date(2027, 3, 31),
                          original_due_date=dt.date(2027, 3, 31)) for n in range(1, 41)]


def _returns(plan, rows: int = 3):
    def make():
        sheets = {"Returns": [
            ["Ref", "RAG", "Progress update", "Due date", "Lead agency", "Action lead"],
            ["JC1", "Green", "Panel met twice.", "30/06/2027", "Test Area Council",
             "Ria Jones, Head of SEND"],
            ["JC2", None, None, "31/12/2027", None, None],
            *[[f"JC{n}", "Red", f"Slipped {n}.", None, None, None]
              for n in range(3, rows + 1)]],
            "Milestones": [["Ref", "Milestone", "Due date", "Done date"],
                           ["JC1", "Panel agreed", None, "01/06/2026"],
                           ["JC2", "Policy published", "31/03/2027", None]]}
        return prepare_returns(plan=plan, file=upload(sheets), file_name="returns-q3.xlsx",
                               today=timezone.localdate())
    return make


def test_returns_leave_the_trail_one_by_one_saves_would(monkeypatch, plan, actions, officer):
    MilestoneFactory(action=actions[0], title="Panel agreed", due_date=dt.date(2026, 6, 30))
    one_by_one, batched = _trail_both_ways(monkeypatch, _returns(plan), user=officer)
    assert batched == one_by_one
    # Who, what and why, as a reader of the trail sees them.
    assert {(kind, change) for _, _, kind, _, _, _, change, _, _ in batched} == {
        ("organisation", "created"), ("action", "changed"), ("milestone", "changed"),
        ("milestone", "created"), ("progress update", "created")}
    assert {actor for actor, *_ in batched} == {officer.pk}
    moved = next(row for row in batched if row[5] == "JC2" and row[2] == "action")
    assert moved[7] == {"Current due date": ["31 Mar 2027", "31 Dec 2027"]}
    assert moved[8] == "imported from returns-q3.xlsx"
    assert verify_trail([]).intact


def test_a_new_plan_leaves_the_trail_one_by_one_saves_would(monkeypatch):
    def make():
        rows = [["Ref", "Action", "Workstream", "Owner", "Partners", "Start date", "Due date",
                 "RAG", "Progress update", "Date of update"]]
        rows += [[f"JC{n}", f"Action {n}", "JC", "Northshire County Council",
                  "NHS Northshire ICB; Parent Carer Forum", "01/04/2026", "31/03/2027",
                  "Green", "On plan.", "01/12/2026"] for n in range(1, 6)]
        return prepare_new_plan(file=upload({"Action plan": rows}), file_name="north.xlsx",
                                name="Northshire", today=dt.date(2026, 12, 5))
    one_by_one, batched = _trail_both_ways(monkeypatch, make)
    assert batched == one_by_one
    contributors = [row[7]["Contributors"] for row in batched
                    if row[2] == "action" and "Contributors" in row[7]]
    assert contributors == [[None, "NHS Northshire ICB, Parent Carer Forum"]] * 5
    assert verify_trail([]).intact


def _queries(plan, rows: int, words: str) -> int:
    sheets = {"Returns": [["Ref", "RAG", "Progress update"],
                          *[[f"JC{n}", "Red", f"{words} {n}."] for n in range(1, rows + 1)]]}
    prepared = prepare_returns(plan=plan, file=upload(sheets), file_name="returns.xlsx",
                               today=timezone.localdate())
    with CaptureQueriesContext(connection) as queries:
        apply_import(prepared)
    return len(queries)


def test_an_imports_queries_grow_by_a_few_a_row_at_most(plan, actions):
    few = _queries(plan, 10, "Slipped")
    many = _queries(plan, 40, "Slipped again")
    # A progress update a row: the action's save and the update's insert; its contributors,
    # the history rows and the audit entries come in a few queries in all.
    assert (many - few) / 30 <= 2.5


def _new_plan_queries(rows: int, name: str) -> int:
    sheet = [["Ref", "Action", "Owner", "Partners", "Due date", "RAG", "Progress update"]]
    sheet += [[f"JC{n}", f"Action {n}", "Northshire County Council",
               "NHS Northshire ICB; Parent Carer Forum", "31/03/2027", "Green", "On plan."]
              for n in range(1, rows + 1)]
    prepared = prepare_new_plan(file=upload({"Action plan": sheet}), file_name="north.xlsx",
                                name=name, today=dt.date(2026, 12, 5))
    with CaptureQueriesContext(connection) as queries:
        apply_import(prepared)
    return len(queries)


def test_a_new_plans_queries_grow_by_a_few_a_row_at_most():
    few = _new_plan_queries(10, "Northshire")
    many = _new_plan_queries(40, "Southshire")
    # A row's action, contributors and first update's history and trail come in a few
    # queries in all; the update itself saves the action and inserts the update.
    assert (many - few) / 30 <= 2.5
