"""Reusable filters over actions; selectors compose these."""

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone


class ActionQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def natural_order(self):
        return self.order_by("workstream__order", "workstream__code", "ref_number")

    def overdue(self, on: date | None = None):
        today = on or timezone.localdate()
        return self.filter(current_due_date__lt=today).exclude(rag="blue")

    def red(self):
        return self.filter(rag="red")

    def without_update_in(self, period):
        from .models import ProgressUpdate

        return self.exclude(rag="blue").filter(~Exists(
            ProgressUpdate.objects.filter(action=OuterRef("pk"), period=period)))


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, on: date | None = None):
        today = on or timezone.localdate()
        return self.filter(done_date__isnull=True, due_date__lt=today)


class ProgressUpdateQuerySet(models.QuerySet):
    def as_of(self, moment: date):
        return self.filter(date__lte=moment)
