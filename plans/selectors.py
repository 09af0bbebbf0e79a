"""Reads of plans and their calendar."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from send_wsoa.precompiled import precompiled

from .models import Membership, Plan, ReportingPeriod, ReviewMeeting, SourcedModel, SourceDocument
from .permissions import AnyUser, can_read_plan
from .workdays import working_days_until


def plan_for_reader_or_404(user: AnyUser, slug: str) -> Plan:
    found = _plan_named(slug)
    if not found or not can_read_plan(user, found[0]):
        raise Http404("No such plan.")
    return found[0]


@precompiled
def _plan_named(slug: str):
    """Every page's first query, so compiled once."""
    return Plan.objects.select_related("local_area").filter(slug=slug).order_by()[:1]


def workstream_lead_names(plan: Plan, workstream_id: int) -> list[str]:
    """The people who lead the workstream, by name (their username when they have none)."""
    users = (Membership.objects.filter(plan=plan, role=Membership.Role.LEAD,
                                       workstreams=workstream_id)
             .order_by("user__last_name", "user__first_name", "user__username")
             .values_list("user__first_name", "user__last_name", "user__username"))
    return [f"{first} {last}".strip() or username for first, last, username in users]


def plans_readable_by(user: AnyUser) -> list[Plan]:
    return list(Plan.objects.readable_by(user).select_related("local_area")
                .order_by("local_area__name", "slug"))


def periods_for_plan(plan: Plan | int):
    """The plan's reporting periods, first to last: never one after the plan's end."""
    return ReportingPeriod.objects.for_plan(plan).order_by("start")


def current_period(plan: Plan | int, today: dt.date) -> ReportingPeriod | None:
    """The plan's current reporting period (see ReportingPeriodQuerySet.current): the one
    holding today, or the plan's last once the plan has ended."""
    return next(iter(_current_period(getattr(plan, "pk", plan), today)), None)


@precompiled
def _current_period(plan_pk: int, today: dt.date):
    # Read by most pages, so compiled once.
    return ReportingPeriod.objects.for_plan(plan_pk).current(today)


def as_at(plan: Plan, today: dt.date) -> dt.date:
    """The day a plan's dashboard reads as at: today, or for a closed plan the end of its
    last reporting period, so a plan closed years ago is not shown as if live now."""
    if not plan.is_closed:
        return today
    last = periods_for_plan(plan).order_by("-start").values_list("end", flat=True).first()
    return min(today, last) if last else today


def period_for_readings(plan: Plan | int, today: dt.date) -> ReportingPeriod | None:
    """The period a measure's readings form opens on: the latest that has ended (a
    quarter's figures come after it), on the same calendar as the current period; the
    current one while none has ended yet."""
    periods = ReportingPeriod.objects.for_plan(plan)
    return periods.latest_ended(today).first() or periods.current(today).first() or (
        periods.order_by("start").first())


@dataclass(frozen=True)
class Source:
    """Where a record comes from, for plans/_source.html: the document's name as a person
    would cite it (its file name when the document is not named in SourceDocument), the
    file name, and the passage the record rests on."""

    name: str
    file: str
    passage: str

    @property
    def is_named(self) -> bool:
        return self.name != self.file


def source_of(record: SourcedModel) -> Source | None:
    """The record's source document, named; None when the record gives none."""
    file = record.source_document
    if not file:
        return None
    document = SourceDocument.objects.filter(file=file).first()
    return Source(name=document.name if document else file, file=file,
                  passage=record.source_passage)


_PERIOD_SLUG = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


def period_for_plan_or_404(plan: Plan, slug: str) -> ReportingPeriod:
    """The plan's period a URL or command names by its financial quarter, '2020-21-Q3'."""
    match = _PERIOD_SLUG.match(slug)
    if match is None:
        raise Http404("No such reporting period.")
    year, quarter = int(match.group(1)), int(match.group(3))
    month = 4 + 3 * (quarter - 1)
    start = dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)
    period = periods_for_plan(plan).filter(start=start).first()
    if period is None:
        raise Http404("No such reporting period.")
    return period


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (ReportingPeriod.objects.filter(plan_id=period.plan_id, start__lt=period.start)
            .order_by("-start").first())


def review_meetings_for_plan(plan: Plan):
    """The plan's review meetings, earliest first, with what their pages list."""
    return (ReviewMeeting.objects.filter(plan=plan).select_related("period")
            .annotate(packs_sent=Count("submissions")).order_by("date", "id"))


def review_meeting_for_plan_or_404(plan: Plan, meeting_id: int) -> ReviewMeeting:
    meeting = review_meetings_for_plan(plan).filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("No such review meeting.")
    return meeting


@precompiled
def _next_evidence_meeting(plan_pk: int, today: dt.date):
    # On every dashboard, so compiled once.
    return review_meetings_for_plan(plan_pk).filter(evidence_deadline__gte=today).order_by(
        "evidence_deadline", "date")[:1]


@dataclass(frozen=True)
class EvidenceDeadline:
    meeting: ReviewMeeting
    working_days_left: int


def next_evidence_deadline(plan: Plan, today: dt.date) -> EvidenceDeadline | None:
    """The next evidence deadline still to come (today's included), and the working days
    left before it."""
    meeting = next(iter(_next_evidence_meeting(plan.pk, today)), None)
    if meeting is None:
        return None
    return EvidenceDeadline(meeting, working_days_until(today, meeting.evidence_deadline))
