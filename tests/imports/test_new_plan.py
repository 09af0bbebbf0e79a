"""A new plan from a council's own workbook: workstreams, weaknesses and organisations
made once each, accountability in its own fields, text kept whole, all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from actions.models import Action, Rag
from audit.models import AuditEntry
from imports.services import apply_import, prepare_new_plan
from plans.models import Plan
from tests.imports.workbooks import upload
from workstreams.models import Organisation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 5)
HEADER = ["Action no.", "Activity", "Workstream", "Owner", "Lead agency", "Delivery team",
          "Sponsoring director", "Action lead", "Partners", "Start date", "Deadline",
          "RAG rating", "Commentary", "KPI"]


def _row(ref: str, **overrides) -> list:
    values = {"Action no.": ref, "Activity": f"Action {ref}",
              "Workstream": "JC: Joint commissioning", "Owner": "Northshire County Council",
              "Lead agency": "Northshire County Council", "Delivery team": "SEN Team",
              "Sponsoring director": "Sam Patel, Director of Education",
              "Action lead": "Ria Jones (Head of SEND)",
              "Partners": "NHS Northshire ICB; Parent Carer Forum",
              "Start date": "01/04/2026", "Deadline": "30-Sep-2026", "RAG rating": "G",
              "Commentary": "On plan.", "KPI": "Waiting times fall"}
    values.update(overrides)
    return [values[heading] for heading in HEADER]


def prepare(rows, **options):
    return prepare_new_plan(file=upload({"Action plan": [["Northshire WSOA"], [], [], HEADER,
                                                         *rows]}),
                            file_name="northshire.xlsx", name=options.pop("name", "Northshire"),
                            today=TODAY, **options)


def test_a_new_plan_is_made_with_its_workstreams_organisations_and_actions():
    prepared = prepare([_row("JC1"), _row("JC2"), _row("EHC1", Workstream="EHC plans")])
    assert prepared.is_valid, prepared.problem_lines
    plan = apply_import(prepared)
    assert plan.slug == "northshire" and plan.kind == Plan.Kind.WSOA
    assert sorted(plan.workstreams.values_list("code", flat=True)) == ["EHC", "JC"]
    # Named once each, however many rows name them.
    assert sorted(Organisation.objects.filter(plan=plan).values_list("name", flat=True)) == [
        "NHS Northshire ICB", "Northshire County Council", "Parent Carer Forum", "SEN Team"]
    action = Action.objects.get(plan=plan, ref="JC1")
    assert action.lead_agency.name == "Northshire County Council"
    assert action.delivery_team.name == "SEN Team"
    assert (action.sponsoring_director_name, action.sponsoring_director_role) == (
        "Sam Patel", "Director of Education")
    assert (action.action_lead_name, action.action_lead_role) == ("Ria Jones", "Head of SEND")
    assert action.owner.name == "Northshire County Council"
    assert sorted(c.name for c in action.contributors.all()) == [
        "NHS Northshire ICB", "Parent Carer Forum"]
    assert action.current_due_date == dt.date(2026, 9, 30)
    assert action.success_criteria == "Waiting times fall"
    assert action.rag == Rag.GREEN
    assert action.progress_updates.get().narrative == "On plan."


def test_every_change_names_the_import_and_its_reason():
    plan = apply_import(prepare([_row("JC1")]))
    action = Action.objects.get(plan=plan, ref="JC1")
    assert action.history.earliest().history_change_reason == "imported from northshire.xlsx"
    assert AuditEntry.objects.filter(actor_label="Import of northshire.xlsx").exists()


def test_an_action_longer_than_a_title_keeps_its_whole_text_as_the_description():
    long = ("Every setting understands the graduated response and uses it. " * 170)[:10_000]
    plan = apply_import(prepare([_row("JC1", Activity=long)]))
    action = Action.objects.get(plan=plan, ref="JC1")
    assert len(action.title) <= 300
    assert action.description == long.strip()


def test_a_rag_without_words_explaining_it_is_an_error_naming_the_cell():
    prepared = prepare([_row("JC1", Commentary=None)])
    assert prepared.problem_lines == [
        "Sheet “Action plan”, row 5, column Commentary: Enter a narrative explaining the "
        "progress and the RAG status"]


def test_a_missing_action_is_an_error_and_nothing_is_written():
    prepared = prepare([_row("JC1"), _row("JC2", Activity=None)])
    assert prepared.problem_lines == ["Sheet “Action plan”, row 6, column Activity: enter "
                                      "the action"]
    with pytest.raises(ValidationError):
        apply_import(prepared)
    assert not Plan.objects.filter(slug="northshire").exists()


def test_a_plan_whose_address_is_taken_is_refused(plan):
    prepared = prepare([_row("JC1")], name="Test Area", slug=plan.slug)
    assert any("already exists" in line for line in prepared.problem_lines)
