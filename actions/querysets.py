"""Reusable filters over actions; selectors compose these."""

from datetime import date

from django.db import connection, models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone


def action_overdue(today: date) -> Q:
    """The one rule for an overdue action: not completed (Blue) and its current due date
    has passed."""
    return Q(current_due_date__lt=today) & ~Q(rag="blue")


def is_overdue(rag: str, current_due_date: date | None, today: date) -> bool:
    """`action_overdue` for an action read from history rather than from the table."""
    return current_due_date is not None and current_due_date < today and rag != "blue"


def milestone_overdue(today: date) -> Q:
    """The one rule for an overdue milestone: not done, and its due date has passed."""
    return Q(done_date__isnull=True, due_date__lt=today)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


class ActionQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def natural_order(self):
        return self.order_by("workstream__order", "workstream__code", "ref_number")

    def through_workstreams(self, plan):
        """The plan's actions, found through its workstreams: SQLite then reads them in
        plan order from its indexes (workstream_in_plan_order, action_in_plan_order_idx)
        and stops at the first rows a list shows, where found through the plan it sorts
        every one. PostgreSQL is given the plan too: it guesses a workstream's actions from
        the average over every plan, and read a small plan beside a large one by scanning
        every action."""
        actions = self.filter(workstream__plan=plan)
        if connection.vendor == "postgresql":
            actions = actions.filter(plan=plan)
        return actions

    def in_plan_order(self, plan):
        """The plan's actions in natural order, as lists that show their first rows read
        them (through_workstreams)."""
        return self.through_workstreams(plan).natural_order()

    def overdue(self, on: date | None = None):
        return self.filter(action_overdue(on or timezone.localdate()))

    def with_overdue_flag(self, on: date | None = None):
        return self.annotate(is_overdue=_flag(action_overdue(on or timezone.localdate())))

    def red(self):
        return self.filter(rag="red")

    def due_between(self, first: date, last: date):
        """Not completed (Blue), with a current due date from `first` to `last`."""
        return self.exclude(rag="blue").filter(current_due_date__range=(first, last))

    def without_update_in(self, period):
        from .models import ProgressUpdate

        return self.exclude(rag="blue").filter(~Exists(
            ProgressUpdate.objects.filter(action=OuterRef("pk"), period=period)))


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: date | None = None):
        return self.filter(milestone_overdue(on or timezone.localdate()))

    def due_by(self, last: date):
        """Not done, with a due date on or before `last`: overdue ones included."""
        return self.filter(done_date__isnull=True, due_date__lte=last)

    def with_overdue_flag(self, on: date | None = None):
        return self.annotate(overdue=_flag(milestone_overdue(on or timezone.localdate())))


class ProgressUpdateQuerySet(models.QuerySet):
    def as_of(self, moment: date):
        return self.filter(date__lte=moment)

    def latest_first(self):
        """Latest by date, then by when written: the first sets the action's RAG."""
        return self.order_by("-date", "-created_at", "-id")
