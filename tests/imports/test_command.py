"""python manage.py import_plan: a new plan or returns, --dry-run, exit status 2 for a
refused file and 1 for a file with problems, nothing written unless all is well."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from actions.models import Action
from plans.models import Plan
from tests.imports.workbooks import write

pytestmark = pytest.mark.django_db
HEADER = ["Ref", "Action", "Owner", "Due date", "RAG", "Progress update"]
ROWS = [HEADER, ["A1", "Agree the joint commissioning strategy", "Barsetshire Council",
                 "30/09/2026", "Green", "Drafted."],
        ["A2", "Publish the local offer", "Barsetshire Council", "Sept 2026", None, None]]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_a_new_plan_is_imported_from_the_command_line(tmp_path):
    path = write(tmp_path / "barsetshire.xlsx", {"Plan": ROWS})
    output = run(str(path), "--new-plan", "Barsetshire", "--kind", "pap")
    assert "Imported barsetshire.xlsx into Barsetshire (barsetshire)" in output
    plan = Plan.objects.get(slug="barsetshire")
    assert plan.kind == Plan.Kind.PAP
    assert sorted(plan.actions.values_list("ref", flat=True)) == ["A1", "A2"]


def test_a_dry_run_shows_what_would_change_and_writes_nothing(tmp_path):
    path = write(tmp_path / "barsetshire.xlsx", {"Plan": ROWS})
    output = run(str(path), "--new-plan", "Barsetshire", "--dry-run")
    assert "A1 (new): Agree the joint commissioning strategy" in output
    assert "  Progress update: Green" in output
    assert "Dry run: nothing was written." in output
    assert not Plan.objects.filter(slug="barsetshire").exists()


def test_a_csv_renamed_to_xlsx_is_refused_with_exit_status_2(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("Ref,Action\nA1,Agree the strategy\n")
    with pytest.raises(CommandError) as refused:
        run(str(path), "--new-plan", "Barsetshire")
    assert refused.value.returncode == 2
    assert str(refused.value) == ("plan.xlsx: The file must be an Excel workbook (.xlsx); save "
                                  "it from Excel as “Excel Workbook”, without a password")
    assert not Plan.objects.exists()


def test_a_file_with_problems_lists_them_and_writes_nothing(tmp_path):
    path = write(tmp_path / "barsetshire.xlsx", {"Plan": [*ROWS, ["A3", "Late", None,
                                                                  "31/13/2026", None, None]]})
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_plan", str(path), "--new-plan", "Barsetshire", stdout=out,
                     stderr=out)
    assert failed.value.returncode == 1
    assert "Sheet “Plan”, row 4, column Due date: Due date must be a date" in out.getvalue()
    assert not Plan.objects.exists() and not Action.objects.exists()


def test_returns_go_into_the_plan_named(tmp_path):
    run(str(write(tmp_path / "plan.xlsx", {"Plan": ROWS})), "--new-plan", "Barsetshire")
    returns = write(tmp_path / "q4.xlsx", {"Q4": [["Ref", "RAG", "Update"],
                                                  ["A2", "Amber", "Waiting on the provider."]]})
    output = run(str(returns), "--plan", "barsetshire")
    assert "1 change(s)" not in output and "to 1 action(s)" in output
    assert Action.objects.get(plan__slug="barsetshire", ref="A2").rag == "amber"
