"""Load the Essex plan from fixtures/essex_plan.json, built by hand from the published
documents. Safe to re-run: records are matched by their natural keys, only what the
fixture owns is refreshed, and a lead's progress (RAG, current due date) is never touched."""

import datetime as dt
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.models import Action, split_ref
from audit.context import acting_as
from measures.models import Measure, Outcome
from plans.models import LocalArea, Plan, SourceDocument
from plans.services import reporting_periods_extend
from workstreams.models import (
    Area,
    FeedbackPoint,
    Organisation,
    Weakness,
    WeaknessPoint,
    Workstream,
)

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "essex_plan.json"
REASON = "Loaded from the published Essex plan documents (fixtures/essex_plan.json)"
WORKSTREAM_ORDER = {"ID": 1, "JC": 2, "EHC": 3, "OV": 4}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _source(record: dict, prefix: str = "source") -> dict:
    source = record.get(prefix) or {}
    return {f"{prefix}_document": source.get("document", ""),
            f"{prefix}_passage": source.get("passage", "")}


class Loader:
    def __init__(self, data: dict):
        self.data = data
        self.counts = {"created": 0, "changed": 0}

    def upsert(self, model, lookup: dict, values: dict, create_only: dict | None = None):
        """Create, or refresh the fixture's fields; save only on a real difference so a
        re-run adds nothing to the audit trail."""
        instance = model.objects.filter(**lookup).first()
        if instance is None:
            instance = model(**lookup, **values, **(create_only or {}))
            self.counts["created"] += 1
        else:
            changed = [name for name, value in values.items()
                       if getattr(instance, name) != value]
            if not changed:
                return instance
            for name in changed:
                setattr(instance, name, values[name])
            self.counts["changed"] += 1
        instance._change_reason = REASON
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
        return instance

    def set_m2m(self, instance, name: str, targets) -> None:
        manager = getattr(instance, name)
        wanted = {target.pk for target in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)

    def run(self) -> Plan:
        data = self.data
        # The documents the records cite by file name, named as a person would cite them.
        for document in data.get("documents", []):
            self.upsert(SourceDocument, {"file": document["file"]}, {
                "publisher": document["publisher"], "title": document["title"],
                "published_on": _date(document.get("date"))})
        plan_data = data["plan"]
        area_data = plan_data["local_area"]
        area = self.upsert(LocalArea, {"ons_code": area_data["ons_code"]}, {
            "name": area_data["name"], "region": area_data["region"], **_source(area_data)})
        plan = self.upsert(Plan, {"slug": plan_data["slug"]}, {
            "local_area": area,
            "kind": plan_data["kind"],
            "starts_on": _date(plan_data.get("starts_on")),
            "ends_on": _date(plan_data.get("ends_on")),
            "title": plan_data["title"],
            "inspection_start": _date(plan_data.get("inspection_start")),
            "inspection_end": _date(plan_data.get("inspection_end")),
            "report_published": _date(plan_data.get("report_published")),
            "statement_submitted": _date(plan_data.get("statement_submitted")),
            "declared_fit_for_purpose": _date(plan_data.get("declared_fit_for_purpose")),
            "board_signed_off": _date(plan_data.get("board_signed_off")),
            "expected_revisit": plan_data.get("expected_revisit") or "",
            **_source(plan_data),
        })
        organisations = {
            org["key"]: self.upsert(Organisation, {"plan": plan, "key": org["key"]}, {
                "name": org["name"], "short_name": org.get("short_name") or "",
                "kind": org["kind"], **_source(org)})
            for org in data["organisations"]
        }
        for area in data["areas"]:
            self.upsert(Area, {"plan": plan, "breakdown": area["breakdown"], "name": area["name"]},
                        {"order": area.get("order", 0), **_source(area)})
        weaknesses = {}
        for weakness_data in data["weaknesses"]:
            weakness = self.upsert(Weakness, {"plan": plan, "number": weakness_data["number"]}, {
                "summary": weakness_data["summary"], "text": weakness_data["text"],
                **_source(weakness_data)})
            weaknesses[weakness.number] = weakness
            existing = list(weakness.points.order_by("order").values_list("text", flat=True))
            if existing != weakness_data["sub_points"]:
                weakness.points.all().delete()
                WeaknessPoint.objects.bulk_create(
                    WeaknessPoint(weakness=weakness, order=index, text=text)
                    for index, text in enumerate(weakness_data["sub_points"], start=1))
        workstreams = {}
        for ws in data["workstreams"]:
            workstreams[ws["code"]] = self.upsert(Workstream, {"plan": plan, "code": ws["code"]}, {
                "name": ws["name"], "description": ws.get("description") or "",
                "weakness": weaknesses.get(ws.get("weakness")),
                "order": WORKSTREAM_ORDER.get(ws["code"], 9), **_source(ws)})
        actions = {}
        for item in data["actions"]:
            _, number = split_ref(item["ref"])
            due = _date(item.get("original_due_date"))
            rag = item.get("rag") or ""
            action = self.upsert(Action, {"plan": plan, "ref": item["ref"]}, {
                "workstream": workstreams[item["workstream"]],
                "ref_number": number,
                "title": item["title"],
                "description": item.get("description") or "",
                "owner": organisations.get(item.get("owner")),
                "start_date": _date(item.get("start_date")),
                "original_due_date": due,
                "success_criteria": item.get("success_criteria") or "",
                **_source(item),
            }, create_only={"current_due_date": due, "rag": rag,
                            "public_summary": item.get("public_summary") or ""})
            self.set_m2m(action, "contributors",
                         [organisations[key] for key in item.get("contributors", [])])
            actions[action.ref] = action
        for outcome_data in data["outcomes"]:
            outcome = self.upsert(Outcome, {"plan": plan, "key": outcome_data["key"]}, {
                "workstream": workstreams[outcome_data["workstream"]],
                "order": outcome_data.get("order", 0),
                "outcome": outcome_data["outcome"],
                "for_whom": outcome_data["for_whom"],
                "what_will_be_different": outcome_data["what_will_be_different"],
                "action_refs_as_written": outcome_data.get("action_refs_as_written") or "",
                **_source(outcome_data)})
            self.set_m2m(outcome, "actions", [actions[ref] for ref in outcome_data["action_refs"]])
            for order, measure_data in enumerate(outcome_data["measures"], start=1):
                self.upsert(Measure, {"plan": plan, "outcome": outcome, "order": order}, {
                    "title": measure_data["title"],
                    "how_measured": measure_data["how_measured"],
                    "data_source": measure_data.get("data_source") or "",
                    "kind": measure_data["kind"],
                    "unit": measure_data.get("unit") or "",
                    "direction": measure_data["direction"],
                    "area_breakdown": measure_data.get("area_breakdown") or "none",
                    "baseline": measure_data.get("baseline_value"),
                    "baseline_period": measure_data.get("baseline_period") or "",
                    "baseline_note": measure_data.get("baseline_note") or "",
                    "baseline_sample_size": measure_data.get("baseline_sample_size"),
                    "target": measure_data.get("target_value"),
                    "target_date": _date(measure_data.get("target_date")),
                    "target_note": measure_data.get("target_note") or "",
                    **_source(measure_data)})
        for point in data["feedback_points"]:
            feedback = self.upsert(FeedbackPoint, {
                "plan": plan, "letter_date": _date(point["letter_date"]),
                "number": point["number"]}, {
                "text": point["text"],
                "action_refs_as_written": point.get("action_refs_as_written") or "",
                "response": point.get("response") or "",
                **_source(point), **_source(point, "response_source")})
            self.set_m2m(feedback, "actions", [actions[ref] for ref in point["action_refs"]])
        # Quarters are calendar structure, not facts of the plan: from the plan's start to
        # its end (to today's quarter while its end is open). Nothing is removed: quarters an
        # older load made up to the day stay, and pages stop at the plan's last period
        # (plans.querysets.within_plan_span).
        reporting_periods_extend(plan=plan)
        return plan


class Command(BaseCommand):
    help = "Load (or refresh) the Essex Written Statement of Action from fixtures/essex_plan.json."

    def add_arguments(self, parser):
        parser.add_argument("--fixture", default=str(FIXTURE))

    def handle(self, *args, **options):
        path = Path(options["fixture"])
        if not path.exists():
            raise CommandError(f"No fixture at {path}")
        loader = Loader(json.loads(path.read_text(encoding="utf-8")))
        with acting_as("command: load_essex_plan"), transaction.atomic():
            plan = loader.run()
        self.stdout.write(
            f"{plan.local_area}: {plan.actions.count()} actions, {plan.measures.count()} measures "
            f"({loader.counts['created']} created, {loader.counts['changed']} refreshed)")
