"""What a reader of the published Essex documents would check in the loaded plan."""

import datetime as dt

import pytest
from django.core.management import call_command

from actions.models import Action
from audit.models import AuditEntry
from measures.models import Measure, Outcome
from plans.models import LocalArea, Plan
from plans.selectors import periods_for_plan
from plans.services import quarter_bounds
from workstreams.models import FeedbackPoint, Weakness, Workstream

SEEDS = {
    "000_9578803e41b8420a.txt", "001_b5bc0a55458881da.txt", "002_b36886a2528568a2.txt",
    "003_470c53e05c43ddb7.txt", "004_ee6fdf8a2575a1ff.txt",
}

ALL_REFS = ([f"ID{n}" for n in range(1, 12)] + [f"JC{n}" for n in range(1, 18)]
            + [f"EHC{n}" for n in range(1, 17)] + [f"OV{n}" for n in range(1, 7)])


def test_the_plan_is_essexs_written_statement_of_action_from_its_declared_start(essex):
    area = essex.local_area
    assert (area.name, area.ons_code, area.region) == ("Essex", "E10000012", "East of England")
    assert area.source_document == "ofsted_area_send_inspections_2016_2022.csv"
    assert "E10000012,Essex" in area.source_passage
    assert str(essex.local_area) == "Essex"
    assert essex.kind == Plan.Kind.WSOA
    assert essex.starts_on == essex.declared_fit_for_purpose == dt.date(2020, 4, 6)
    # The revisit began on 17 May 2022 (the Ofsted file of area SEND inspections).
    assert essex.ends_on == dt.date(2022, 5, 17)


def test_the_plans_quarters_run_from_its_start_to_the_quarter_of_its_end(essex):
    labels = [period.label for period in periods_for_plan(essex)]
    assert labels[0] == "2020-Q2"
    assert labels[-1] == quarter_bounds(essex.ends_on)[0] == "2022-Q2"
    assert len(labels) == len(set(labels)) == 9


def test_three_weaknesses_and_four_workstreams(essex):
    assert Weakness.objects.filter(plan=essex).count() == 3
    assert sorted(Workstream.objects.filter(plan=essex).values_list("code", flat=True)) == [
        "EHC", "ID", "JC", "OV"]
    mld = Weakness.objects.get(plan=essex, number=1)
    assert "moderate learning difficulties" in mld.text
    assert mld.points.exists()


def test_every_action_ref_the_documents_name_is_present(essex):
    refs = set(Action.objects.filter(plan=essex).values_list("ref", flat=True))
    assert refs == set(ALL_REFS)


def test_actions_without_published_wording_say_so(essex):
    unpublished = Action.objects.filter(plan=essex, title__icontains="not published")
    assert unpublished.exists()
    assert not Action.objects.filter(plan=essex, title="").exists()


def test_jc10_outcome_promises_specialist_equipment_within_six_weeks(essex):
    jc10 = Action.objects.get(plan=essex, ref="JC10")
    texts = " ".join(
        f"{outcome.what_will_be_different} "
        + " ".join(f"{m.how_measured} {m.target_note}" for m in outcome.measures.all())
        for outcome in jc10.outcomes.all())
    assert "specialist equipment" in texts
    assert "6 weeks" in texts


def test_poet_baseline_is_july_2019_with_2471_respondents(essex):
    poet = Measure.objects.filter(plan=essex, baseline_note__icontains="POET").first()
    assert poet is not None
    assert "July 2019" in poet.baseline_note
    assert poet.baseline_sample_size == 2471 or "2471" in poet.baseline_note


def test_high_needs_block_baseline_is_2018_with_1800_respondents(essex):
    hnb = [m for m in Measure.objects.filter(plan=essex)
           if "1800" in m.baseline_note or m.baseline_sample_size == 1800]
    assert hnb, "no measure carries the High Needs Block survey baseline"
    assert any("2018" in (m.baseline_note + m.baseline_period) for m in hnb)


def test_no_baseline_figure_is_invented(essex):
    # The published plan states survey sizes and periods but no baseline values.
    assert not Measure.objects.filter(plan=essex, baseline__isnull=False).exists()


def test_six_feedback_points_link_to_the_actions_they_name(essex):
    points = {p.number: set(p.actions.values_list("ref", flat=True))
              for p in FeedbackPoint.objects.filter(plan=essex)}
    assert len(points) == 6
    named = list(points.values())
    assert {"EHC1", "OV2"} in named
    assert {f"ID{n}" for n in range(1, 9)} in named
    assert {"JC15", *{f"JC{n}" for n in range(8, 15)}} in named
    assert {"EHC3", "EHC5"} in named
    assert all(p.response for p in FeedbackPoint.objects.filter(plan=essex).exclude(
        response_source_document=""))


def test_every_record_cites_a_source_document(essex):
    for model in (Weakness, Workstream, Action, Outcome, Measure, FeedbackPoint):
        documents = set(model.objects.filter(plan=essex).values_list("source_document", flat=True))
        assert documents <= SEEDS, f"{model.__name__} cites {documents - SEEDS}"
        assert not model.objects.filter(plan=essex, source_passage="").exists(), model.__name__


def test_outcome_ranges_expand_to_each_action(essex):
    outcome = Outcome.objects.filter(plan=essex, action_refs_as_written__contains="ID2").first()
    assert outcome is not None
    refs = set(outcome.actions.values_list("ref", flat=True))
    assert {f"ID{n}" for n in range(2, 9)} <= refs


def test_loading_twice_changes_nothing(essex):
    entries = AuditEntry.objects.count()
    actions = Action.objects.count()
    call_command("load_essex_plan", verbosity=0)
    assert Action.objects.count() == actions
    assert AuditEntry.objects.count() == entries
    assert LocalArea.objects.filter(ons_code="E10000012").count() == 1
    assert Plan.objects.filter(slug="essex").count() == 1


def test_reloading_keeps_a_leads_progress(essex):
    jc8 = Action.objects.get(plan=essex, ref="JC8")
    jc8.rag = "green"
    jc8._change_reason = "Progress reported"
    jc8.save()
    call_command("load_essex_plan", verbosity=0)
    jc8.refresh_from_db()
    assert jc8.rag == "green"


@pytest.mark.django_db
def test_loader_records_itself_as_the_actor_in_the_audit_trail(essex):
    entry = AuditEntry.objects.filter(object_kind="action").first()
    assert entry is not None
    assert "load_essex_plan" in entry.actor_label
