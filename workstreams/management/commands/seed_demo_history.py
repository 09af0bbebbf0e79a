"""Fill a plan with illustrative history from 2020-21 Q1 to 2021-22 Q4 so charts and RAG trends
have something to show: quarterly readings for every measure (by area where the measure is
broken down), progress updates for every action and board meetings every two months.

Every record it makes is marked `is_demo` and the plan's `has_demo_data` is set, so every
page says its figures are illustrative. The same plan always gets the same history (seeded
random), and re-running adds nothing."""

import datetime as dt
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.models import Action, ProgressUpdate, Rag
from dashboard.services import board_baseline_record
from measures.models import Measure, MeasureReading
from measures.services import is_survey
from plans.models import BoardMeeting, Plan, ReportingPeriod
from plans.services import reporting_periods_extend
from workstreams.models import Area

try:
    from audit.context import acting_as
except ImportError:  # the audit trail's actor labels are optional for this command
    from contextlib import nullcontext as _nullcontext

    def acting_as(label: str):
        return _nullcontext()

FIRST_DAY = dt.date(2020, 4, 1)
LAST_DAY = dt.date(2022, 3, 31)
REASON = "Illustrative demo history"
LABEL = "Illustrative update for demonstration"

NARRATIVES = {
    Rag.RED: [
        "work has not started yet; the lead is agreeing resources with partners.",
        "progress has stalled while staffing gaps are filled; escalated to the board.",
    ],
    Rag.AMBER: [
        "work is under way but one milestone has slipped; a recovery plan is agreed.",
        "partners have agreed the approach; delivery depends on recruitment this quarter.",
        "some delay from changed working arrangements; the lead expects to catch up.",
    ],
    Rag.GREEN: [
        "milestones for the quarter were met and partners report good engagement.",
        "on track: the draft was shared with the parent carer forum for comment.",
        "delivery is progressing to plan and evidence is being gathered.",
    ],
    Rag.BLUE: [
        "the action is complete and evidence of impact has been shared with the board.",
    ],
}


def _quantize(measure: Measure, value: float) -> Decimal:
    if measure.kind == Measure.Kind.COUNT:
        return Decimal(max(round(value), 0))
    low = Decimal(0) if measure.kind != Measure.Kind.NUMBER else Decimal(-10**9)
    result = max(Decimal(str(round(value, 1))), low)
    if measure.kind == Measure.Kind.PERCENTAGE:
        result = min(result, Decimal(100))
    return result


def _start_and_end(measure: Measure, rng: random.Random) -> tuple[float, float]:
    """A plausible first and last whole-area value, moving the better way more often."""
    start = {
        Measure.Kind.PERCENTAGE: rng.uniform(35, 65),
        Measure.Kind.COUNT: float(rng.randint(20, 400)),
        Measure.Kind.DURATION: rng.uniform(14, 30),
        Measure.Kind.NUMBER: rng.uniform(20, 80),
    }[measure.kind]
    if measure.baseline is not None:
        start = float(measure.baseline)
    change = rng.uniform(0.1, 0.4) * start
    if measure.direction == Measure.Direction.HIGHER:
        end = start + change if rng.random() < 0.8 else start - change / 3
    elif measure.direction == Measure.Direction.LOWER:
        end = start - change if rng.random() < 0.8 else start + change / 3
    else:
        end = start + rng.uniform(-0.1, 0.1) * start
    if measure.target is not None and rng.random() < 0.5:
        end = float(measure.target)
    if measure.kind == Measure.Kind.PERCENTAGE:
        end = min(max(end, 0), 98)
    return start, end


class Seeder:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.counts = {"readings": 0, "updates": 0, "meetings": 0, "actions": 0}

    def run(self) -> None:
        periods = reporting_periods_extend(plan=self.plan, since=FIRST_DAY, through=LAST_DAY)
        self.readings(periods)
        self.progress_updates(periods)
        self.board_meetings()
        if not self.plan.has_demo_data:
            self.plan.has_demo_data = True
            self.plan._change_reason = REASON
            self.plan.save()

    def readings(self, periods: list[ReportingPeriod]) -> None:
        areas: dict[str, list[Area]] = {}
        for area in Area.objects.filter(plan=self.plan).order_by("order", "name"):
            areas.setdefault(area.breakdown, []).append(area)
        existing = set(MeasureReading.objects.filter(measure__plan=self.plan).values_list(
            "measure_id", "period_id", "area_id"))
        measures = Measure.objects.filter(plan=self.plan).select_related("outcome").order_by(
            "outcome__key", "order")
        for measure in measures:
            rng = random.Random(f"{self.plan.slug}:{measure.outcome.key}:{measure.order}")
            measure_areas = areas.get(measure.area_breakdown, [])
            for period, whole, extra, by_area in self.series(measure, periods, measure_areas,
                                                             rng):
                self.reading(measure, period, None, whole, extra, existing)
                for area, value in by_area:
                    self.reading(measure, period, area, value, {}, existing)

    def series(self, measure: Measure, periods, measure_areas, rng: random.Random):
        """(period, whole-area value, extra fields, [(area, value)]) for each quarter."""
        last = len(periods) - 1
        if measure.kind == Measure.Kind.DELIVERABLE:
            delivered_at = rng.randint(1, last + 2)
            achieved_on = None
            for index, period in enumerate(periods):
                delivered = index >= delivered_at
                if delivered and achieved_on is None:
                    achieved_on = period.start + dt.timedelta(days=rng.randint(10, 80))
                yield (period, Decimal(1 if delivered else 0),
                       {"achieved_on": achieved_on if delivered else None}, [])
            return
        start, end = _start_and_end(measure, rng)
        # Each area sits above or below the whole area; the gap narrows over time.
        offsets = [rng.uniform(-0.5, 0.6) for _ in measure_areas]
        survey = is_survey(measure)
        for index, period in enumerate(periods):
            share = index / last if last else 1
            level = start + (end - start) * share + rng.uniform(-0.05, 0.05) * start
            extra = {"unit": measure.unit or "weeks"} if measure.kind == "duration" else {}
            if survey:
                extra["sample_size"] = rng.randint(300, 2500)
            by_area = [(area, _quantize(measure, level * (1 + offset * (1 - 0.5 * share))))
                       for area, offset in zip(measure_areas, offsets, strict=True)]
            yield period, _quantize(measure, level), extra, by_area

    def reading(self, measure, period, area, value, extra, existing) -> None:
        key = (measure.pk, period.pk, area.pk if area else None)
        if key in existing:
            return
        reading = MeasureReading(
            measure=measure, period=period, area=area, kind=measure.kind, value=value,
            is_demo=True, note="Illustrative figure for demonstration" if area is None else "",
            unit=extra.get("unit", measure.unit if measure.kind == "duration" else ""),
            sample_size=extra.get("sample_size") if area is None else None,
            achieved_on=extra.get("achieved_on"))
        reading._change_reason = REASON
        reading.save()
        existing.add(key)
        self.counts["readings"] += 1

    def progress_updates(self, periods: list[ReportingPeriod]) -> None:
        seeded = set(ProgressUpdate.objects.filter(action__plan=self.plan, is_demo=True)
                     .values_list("action_id", "period_id"))
        for action in Action.objects.filter(plan=self.plan).order_by("ref"):
            rng = random.Random(f"{self.plan.slug}:{action.ref}")
            start = max(action.start_date or FIRST_DAY, FIRST_DAY)
            quarters = [p for p in periods if p.end >= start]
            if not quarters:
                continue
            due = action.current_due_date or action.original_due_date
            due_index = next((i for i, p in enumerate(quarters) if due and p.end >= due),
                             len(quarters) - 1)
            # About two in three actions finish within the period, some of them late.
            finish = (min(due_index + rng.choice([0, 0, 1, 2]), len(quarters) - 1)
                      if rng.random() < 0.65 else None)
            rag = rng.choice([Rag.RED, Rag.AMBER, Rag.AMBER])
            latest = None
            added = False
            for index, period in enumerate(quarters):
                if index == finish:
                    rag = Rag.BLUE
                elif index:
                    rag = self.next_rag(rag, rng)
                date = period.end - dt.timedelta(days=rng.randint(5, 20))
                if (action.pk, period.pk) not in seeded:
                    update = ProgressUpdate(
                        action=action, period=period, date=date, rag=rag, is_demo=True,
                        narrative=f"{LABEL}: {rng.choice(NARRATIVES[rag])}")
                    update._change_reason = REASON
                    update.save()
                    added = True
                    self.counts["updates"] += 1
                latest = (rag, date)
                if rag == Rag.BLUE:
                    break
            # Only a run that added this action's history sets its RAG: a later real update
            # by its lead is never overwritten by a re-run.
            if added:
                self.set_action_rag(action, *latest)

    @staticmethod
    def next_rag(rag: str, rng: random.Random) -> str:
        """Mostly steady or improving, with the occasional slip."""
        roll = rng.random()
        if rag == Rag.RED:
            return Rag.AMBER if roll < 0.6 else Rag.RED
        if rag == Rag.AMBER:
            return Rag.GREEN if roll < 0.5 else Rag.RED if roll > 0.92 else Rag.AMBER
        return Rag.AMBER if roll < 0.12 else Rag.GREEN

    def set_action_rag(self, action: Action, rag: str, date: dt.date) -> None:
        completed = date if rag == Rag.BLUE else None
        if action.rag == rag and action.completed_date == completed:
            return
        action.rag = rag
        action.completed_date = completed
        action.version += 1
        action._change_reason = REASON
        action.save()
        self.counts["actions"] += 1

    def board_meetings(self) -> None:
        existing = set(BoardMeeting.objects.filter(plan=self.plan).values_list("date", flat=True))
        year, month = FIRST_DAY.year, 6
        while dt.date(year, month, 1) <= LAST_DAY:
            day = dt.date(year, month, 1)
            # The second Thursday of the month.
            day += dt.timedelta(days=(3 - day.weekday()) % 7 + 7)
            if day not in existing:
                meeting = BoardMeeting(plan=self.plan, date=day, is_demo=True,
                                       notes="Illustrative board meeting for demonstration: "
                                             "reviewed RAG status and outcome measures.")
                meeting._change_reason = REASON
                meeting.save()
                self.counts["meetings"] += 1
            month += 2
            if month > 12:
                year, month = year + 1, month - 12


class Command(BaseCommand):
    help = ("Add illustrative quarterly readings, progress updates and board meetings "
            "(2020-21 Q1 to 2021-22 Q4), marked as demo data. Re-running adds nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="essex", help="The plan's slug.")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"No plan {options['plan']!r}: run load_essex_plan first.")
        seeder = Seeder(plan)
        with acting_as("command: seed_demo_history"), transaction.atomic():
            seeder.run()
            # The history just written reaches back behind the board's last meeting.
            board_baseline_record(plan=plan, afresh=True)
        counts = seeder.counts
        self.stdout.write(
            f"{plan.local_area}: {counts['readings']} readings, {counts['updates']} progress "
            f"updates, {counts['meetings']} board meetings added; {counts['actions']} actions' "
            "RAG set from their latest update (all illustrative)")
