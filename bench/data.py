"""A plan shaped like Essex's (four workstreams, 60 actions, ten progress updates each) at any
scale, built with bulk_create so 100x (6,000 actions, 60,000 updates) takes seconds.

bulk_create skips django-simple-history, which is what test data wants here: the audit
trail a real save would write is added directly, once per action, so pages that read the
history (due date moves since the last board) have rows to read."""

import datetime as dt
import random

from actions.models import Action, Milestone, ProgressUpdate, Rag
from dashboard.services import board_baseline_record
from measures.models import Measure, MeasureReading, Outcome
from plans.models import BoardMeeting, LocalArea, Plan, ReportingPeriod
from plans.services import quarter_bounds
from workstreams.models import Organisation, Weakness, WeaknessPoint, Workstream

WORKSTREAMS = [("ID", "Identification of need", 1), ("JC", "Joint commissioning", 2),
               ("EHC", "EHC plans", 3), ("OV", "Oversight and governance", None)]
ACTIONS_PER_WORKSTREAM = 15
UPDATES_PER_ACTION = 10
RAGS = [Rag.BLUE, Rag.GREEN, Rag.GREEN, Rag.AMBER, Rag.AMBER, Rag.RED]


def quarters_up_to(today: dt.date, count: int) -> list[tuple[str, dt.date, dt.date]]:
    quarters = []
    day = today
    for _ in range(count):
        label, start, end = quarter_bounds(day)
        quarters.append((label, start, end))
        day = start - dt.timedelta(days=1)
    return list(reversed(quarters))


def build_plan(*, slug: str, scale: int = 1, today: dt.date, seed: int = 1) -> Plan:
    """A plan of 60 x `scale` actions with ten progress updates each, a board meeting about
    two months ago (with its baseline recorded), overdue milestones and a few outcome
    measures with readings."""
    chance = random.Random(seed)
    area = LocalArea.objects.create(name=f"Bench {slug}")
    plan = Plan.objects.create(slug=slug, local_area=area, title="Written Statement of Action")
    organisations = Organisation.objects.bulk_create(
        Organisation(plan=plan, key=f"org-{n}", name=f"Organisation {n}",
                     kind=Organisation.Kind.COUNCIL) for n in range(1, 9))
    weaknesses = {}
    for number in (1, 2, 3):
        weaknesses[number] = Weakness.objects.create(
            plan=plan, number=number, summary=f"Weakness {number}",
            text=f"The text of weakness {number}.")
        WeaknessPoint.objects.bulk_create(
            WeaknessPoint(weakness=weaknesses[number], order=n, text=f"Point {n}.")
            for n in (1, 2))
    workstreams = Workstream.objects.bulk_create(
        Workstream(plan=plan, code=code, name=name, order=order,
                   weakness=weaknesses.get(weakness))
        for order, (code, name, weakness) in enumerate(WORKSTREAMS, start=1))
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(plan=plan, label=label, start=start, end=end)
        for label, start, end in quarters_up_to(today, UPDATES_PER_ACTION))
    meeting_date = today - dt.timedelta(days=60)
    BoardMeeting.objects.create(plan=plan, date=meeting_date, notes="Bench board meeting.")

    actions = []
    histories = []
    for workstream in workstreams:
        for number in range(1, ACTIONS_PER_WORKSTREAM * scale + 1):
            rags = [chance.choice(RAGS[1:]) for _ in range(UPDATES_PER_ACTION)]
            if chance.random() < 0.2:
                rags[-1] = Rag.BLUE
            due = periods[chance.randrange(len(periods))].end + dt.timedelta(days=90)
            action = Action(plan=plan, workstream=workstream, ref=f"{workstream.code}{number}",
                            ref_number=number, title=f"Action {workstream.code}{number}",
                            description=f"What action {workstream.code}{number} does.",
                            owner=organisations[number % len(organisations)],
                            start_date=periods[0].start, original_due_date=due,
                            current_due_date=due, rag=rags[-1])
            action.bench_rags = rags
            actions.append(action)
    Action.objects.bulk_create(actions, batch_size=1000)
    Action.contributors.through.objects.bulk_create(
        (Action.contributors.through(action_id=action.pk,
                                     organisation_id=organisations[(i + 3) % 8].pk)
         for i, action in enumerate(actions)), batch_size=2000)

    HistoricalAction = Action.history.model
    fields = [field.attname for field in Action._meta.concrete_fields]
    created = dt.datetime.combine(meeting_date - dt.timedelta(days=30), dt.time(9),
                                  tzinfo=dt.UTC)
    for index, action in enumerate(actions):
        record = HistoricalAction(**{name: getattr(action, name) for name in fields},
                                  history_date=created, history_type="+",
                                  history_change_reason="Loaded")
        if index % 5 == 0:
            record.current_due_date = action.current_due_date - dt.timedelta(days=30)
        histories.append(record)
    HistoricalAction.objects.bulk_create(histories, batch_size=1000)

    # bulk_create bypasses simple-history, which test data does not need for updates.
    ProgressUpdate.objects.bulk_create(
        (ProgressUpdate(action=action, period=period, date=period.start + dt.timedelta(days=20),
                        rag=rag, narrative="Progress this quarter.")
         for action in actions
         for period, rag in zip(periods, action.bench_rags, strict=True)), batch_size=5000)
    Milestone.objects.bulk_create(
        (Milestone(action=action, title=f"Milestone of {action.ref}",
                   due_date=periods[i % len(periods)].end,
                   done_date=None if i % 3 else periods[i % len(periods)].end)
         for i, action in enumerate(actions)), batch_size=2000)

    for workstream in workstreams:
        for order in (1, 2):
            outcome = Outcome.objects.create(
                plan=plan, workstream=workstream, key=f"{workstream.code}-{order}",
                order=order, outcome="Needs are identified early.",
                for_whom=Outcome.ForWhom.FAMILIES,
                what_will_be_different="Families wait less.")
            for measure_order in (1, 2):
                measure = Measure.objects.create(
                    plan=plan, outcome=outcome, order=measure_order,
                    title=f"Measure {workstream.code}-{order}-{measure_order}",
                    how_measured="Quarterly return.", kind=Measure.Kind.NUMBER, unit="weeks",
                    direction=Measure.Direction.LOWER, baseline=20, target=12)
                MeasureReading.objects.bulk_create(
                    MeasureReading(measure=measure, period=period, kind=measure.kind,
                                   value=20 - n * measure_order)
                    for n, period in enumerate(periods[-4:]))
    # As the daily record_board_baselines does once the meeting day is over.
    board_baseline_record(plan=plan, today=today)
    return plan
