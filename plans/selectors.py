"""Reads of plans and their calendar."""

import datetime as dt
from dataclasses import dataclass

from django.http import Http404

from .models import Plan, ReportingPeriod, SourcedModel, SourceDocument
from .permissions import AnyUser, can_read_plan


def plan_for_reader_or_404(user: AnyUser, slug: str) -> Plan:
    plan = Plan.objects.select_related("local_area").filter(slug=slug).first()
    if plan is None or not can_read_plan(user, plan):
        raise Http404("No such plan.")
    return plan


def plans_readable_by(user: AnyUser) -> list[Plan]:
    return list(Plan.objects.readable_by(user).select_related("local_area")
                .order_by("local_area__name", "slug"))


def periods_for_plan(plan: Plan | int):
    """The plan's reporting periods, first to last: never one after the plan's end."""
    return ReportingPeriod.objects.for_plan(plan).order_by("start")


def current_period(plan: Plan | int, today: dt.date) -> ReportingPeriod | None:
    """The plan's current reporting period (see ReportingPeriodQuerySet.current): the one
    holding today, or the plan's last once the plan has ended."""
    return ReportingPeriod.objects.for_plan(plan).current(today).first()


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
