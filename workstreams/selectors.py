"""Reads of the plan's structure."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from plans.models import Plan
from send_wsoa.precompiled import precompiled

from .models import Weakness, Workstream


def workstream_for_plan_or_404(plan: Plan, *, pk: int) -> Workstream:
    found = _workstream(plan.pk, pk)
    if not found:
        raise Http404("No such workstream.")
    return found[0]


@precompiled
def _workstream(plan_pk: int, pk: int):
    return Workstream.objects.select_related("weakness").filter(plan_id=plan_pk, pk=pk)[:1]


def workstream_heading_or_404(plan: Plan, code: str) -> dict:
    """Just enough of a workstream (pk, code, name) for its page's title: the page itself
    is usually read from the cache."""
    found = _workstream_heading(plan.pk, code)
    if not found:
        raise Http404("No such workstream.")
    return found[0]


@precompiled
def _workstream_heading(plan_pk: int, code: str):
    return (Workstream.objects.filter(plan_id=plan_pk, code=code).order_by()
            .values("pk", "code", "name")[:1])


@dataclass
class ForWhomGroup:
    label: str
    changes: list[str] = field(default_factory=list)


@dataclass
class OutcomeGroup:
    """One outcome as the plan states it, with what will be different under it."""

    outcome: str
    for_whom: list[ForWhomGroup] = field(default_factory=list)


def outcome_groups(workstream: Workstream) -> list[OutcomeGroup]:
    """The workstream's outcomes, each stated once. The published outcomes table writes one
    outcome in a cell spanning many rows of "what will be different", and each row is an
    Outcome here, so rows sharing an outcome's words are grouped under it (in plan order),
    then by whom the change is for. One query."""
    from measures.models import Outcome

    groups: dict[str, OutcomeGroup] = {}
    for row in Outcome.objects.filter(workstream=workstream).order_by("order", "pk"):
        group = groups.setdefault(row.outcome.strip(), OutcomeGroup(outcome=row.outcome))
        label = row.get_for_whom_display()
        whom = next((w for w in group.for_whom if w.label == label), None)
        if whom is None:
            whom = ForWhomGroup(label=label)
            group.for_whom.append(whom)
        whom.changes.append(row.what_will_be_different)
    return list(groups.values())


@precompiled
def weaknesses_with_points(plan_pk: int) -> QuerySet:
    return Weakness.objects.filter(plan_id=plan_pk).prefetch_related("points")


@precompiled
def feedback_points(plan_pk: int) -> QuerySet:
    """The inspectors' feedback on the statement, in order, with the actions each names."""
    from .models import FeedbackPoint

    return FeedbackPoint.objects.filter(plan_id=plan_pk).prefetch_related("actions")


# The plan page's reads, each compiled once: the page is drawn after every change.
@precompiled
def _actions_in_plan_order(plan_pk: int) -> QuerySet:
    from actions.models import Action

    # Plain rows, not model objects: the page lists every action, and at 6,000 actions
    # making an object of each (and of each outcome's link to it) cost most of its time.
    return Action.objects.filter(plan_id=plan_pk).natural_order().values(
        "pk", "ref", "title", "rag", "workstream_id", "ref_number")


@precompiled
def _outcome_links(plan_pk: int) -> QuerySet:
    from measures.models import Outcome

    return Outcome.actions.through.objects.filter(outcome__plan_id=plan_pk).values_list(
        "outcome_id", "action_id")


@precompiled
def _outcomes_with_measures(plan_pk: int) -> QuerySet:
    from measures.models import Measure, Outcome

    return Outcome.objects.filter(plan_id=plan_pk).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order")))


@precompiled
def _workstreams_in_order(plan_pk: int) -> QuerySet:
    return Workstream.objects.filter(plan_id=plan_pk).order_by("order", "code")


def plan_tree(plan: Plan, points: list | None = None) -> list[dict]:
    """Weakness -> workstreams -> outcomes -> actions and measures, with the inspectors'
    feedback (`points`, from feedback_points, when the caller has read them) against the
    actions it names; a fixed number of queries for any plan size."""
    feedback_by_action: dict[int, list] = {}
    for point in feedback_points(plan.pk) if points is None else points:
        for action in point.actions.all():
            feedback_by_action.setdefault(action.pk, []).append(point)

    actions = _actions_in_plan_order(plan.pk)
    place = {}
    for index, action in enumerate(actions):
        action["feedback"] = feedback_by_action.get(action["pk"], [])
        place[action["pk"]] = index
    links: dict[int, list[int]] = {}
    for outcome_id, action_id in _outcome_links(plan.pk):
        links.setdefault(outcome_id, []).append(action_id)

    outcomes = _outcomes_with_measures(plan.pk)
    outcomes_by_workstream: dict[int, list] = {}
    linked: set[int] = set()
    for outcome in outcomes:
        # By number, then in plan order (JC1 before EHC1 when both are 1).
        outcome.linked_actions = [actions[index] for index in sorted(
            (place[pk] for pk in links.get(outcome.pk, [])),
            key=lambda index: (actions[index]["ref_number"], index))]
        linked.update(action["pk"] for action in outcome.linked_actions)
        outcomes_by_workstream.setdefault(outcome.workstream_id, []).append(outcome)

    workstreams = _workstreams_in_order(plan.pk)
    for workstream in workstreams:
        workstream.tree_outcomes = outcomes_by_workstream.get(workstream.pk, [])
        workstream.other_actions = [a for a in actions if a["workstream_id"] == workstream.pk
                                    and a["pk"] not in linked]

    sections = [{"weakness": weakness,
                 "workstreams": [ws for ws in workstreams if ws.weakness_id == weakness.pk]}
                for weakness in weaknesses_with_points(plan.pk)]
    unanswered = [ws for ws in workstreams if ws.weakness_id is None]
    if unanswered:
        sections.append({"weakness": None, "workstreams": unanswered})
    return sections
