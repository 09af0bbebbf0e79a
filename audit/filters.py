"""Filters for the audit trail page; GET parameters, shared by the page and its CSV."""

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from govuk.forms import GovUkForm
from workstreams.models import Workstream

from .models import AuditEntry
from .selectors import entries_for_action_ref
from .services import KIND_CHOICES
from .wording import actor_name


class AuditEntryFilter(django_filters.FilterSet):
    person = django_filters.ChoiceFilter(label="Person", field_name="actor_label",
                                         empty_label="Anyone")
    workstream = django_filters.ChoiceFilter(label="Workstream", field_name="workstream_code",
                                             empty_label="All workstreams")
    action = django_filters.CharFilter(label="Action reference, for example JC8",
                                       method="filter_action")
    kind = django_filters.ChoiceFilter(label="Kind of record", field_name="object_kind",
                                       choices=[(kind, kind.capitalize())
                                                for kind in KIND_CHOICES],
                                       empty_label="Any kind")
    date_from = django_filters.DateFilter(label="Changed on or after",
                                          help_text="For example, 27/3/2021",
                                          field_name="recorded_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(label="Changed on or before",
                                        help_text="For example, 31/3/2021",
                                        field_name="recorded_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEntry
        fields: list[str] = []
        # A bad filter value is told by the filter's name, as on every form.
        form = GovUkForm

    def __init__(self, data: QueryDict | None = None, *, queryset: QuerySet, plan, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.plan = plan
        people = queryset.order_by("actor_label").values_list("actor_label",
                                                                flat=True).distinct()
        # Stored labels, shown in words ("Demo data loader" for its command).
        self.filters["person"].extra["choices"] = sorted(
            ((label, actor_name(label)) for label in people), key=lambda choice: choice[1])
        codes = set(queryset.exclude(workstream_code="").values_list(
            "workstream_code", flat=True).distinct())
        self.filters["workstream"].extra["choices"] = [
            (ws.code, f"{ws.code}: {ws.name}")
            for ws in Workstream.objects.filter(plan=plan, code__in=codes).order_by("order",
                                                                                   "code")]

    def filter_action(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The action's whole history follows it through a change of ref.
        return entries_for_action_ref(queryset, self.plan, value) if value else queryset
