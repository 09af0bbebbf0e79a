"""Filters for the list of actions. They are GET parameters, so a filtered list can be
bookmarked and shared, and the downloads hold exactly the rows the list shows."""

import datetime as dt

import django_filters
from django import forms
from django.db import connection
from django.db.models import DateField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest, QueryDict

from govuk.forms import GovUkForm
from plans.models import Plan, ReportingPeriod
from plans.selectors import current_period
from workstreams.models import Organisation, Workstream

from .models import Action, ProgressUpdate, Rag

NOT_REPORTED = "not_reported"
RAG_CHOICES = [*Rag.choices, (NOT_REPORTED, "Not reported")]
# Parameters that page or sort the table rather than choose rows.
TABLE_PARAMETERS = ("page", "sort")


def _last_update() -> RawSQL:
    """The date of the action's latest progress update, for a query of actions. Written in
    SQL: Django compares a Subquery with every ordering of the query as it compiles it, which
    cost the lists more than the database took to run them."""
    quote = connection.ops.quote_name
    update, action = ProgressUpdate._meta.db_table, Action._meta.db_table
    # Only the models' own names are written into the SQL.
    return RawSQL(  # noqa: S611
        f"(SELECT MAX(u.{quote('date')}) FROM {quote(update)} u "  # noqa: S608
        f"WHERE u.{quote('action_id')} = {quote(action)}.{quote('id')})", (),
        output_field=DateField())


def actions_for_listing(plan: Plan) -> QuerySet:
    """Every action of the plan with what the list shows, in natural order; one query."""
    return (Action.objects.for_plan(plan).select_related("workstream", "owner")
            .annotate(last_update=_last_update()).natural_order())


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search by reference, title or description",
                                  method="filter_text")
    workstream = django_filters.ChoiceFilter(label="Workstream", field_name="workstream__code",
                                             empty_label="All workstreams")
    rag = django_filters.MultipleChoiceFilter(label="RAG", choices=RAG_CHOICES,
                                              widget=forms.CheckboxSelectMultiple,
                                              method="filter_rag")
    owner = django_filters.ChoiceFilter(label="Owner (accountable)", field_name="owner__key",
                                        empty_label="Any owner")
    contributor = django_filters.ChoiceFilter(label="Contributor",
                                              field_name="contributors__key",
                                              empty_label="Any contributor")
    lead_agency = django_filters.ChoiceFilter(label="Lead agency", field_name="lead_agency__key",
                                              empty_label="Any lead agency")
    delivery_team = django_filters.ChoiceFilter(label="Delivery team",
                                                field_name="delivery_team__key",
                                                empty_label="Any delivery team")
    person = django_filters.CharFilter(label="Action lead or sponsoring director (name or role)",
                                       method="filter_person")
    overdue = django_filters.BooleanFilter(label="Overdue", widget=forms.CheckboxInput,
                                           method="filter_overdue")
    no_update = django_filters.BooleanFilter(label="No progress update this period",
                                             widget=forms.CheckboxInput,
                                             method="filter_no_update")

    class Meta:
        model = Action
        fields: list[str] = []
        # A bad filter value is told by the filter's name, as on every form.
        form = GovUkForm

    def __init__(self, data: QueryDict | None = None, *, queryset: QuerySet, plan: Plan,
                 today: dt.date, period: ReportingPeriod | None, workstreams=None,
                 organisations=None, **kwargs) -> None:
        super().__init__(data, queryset=queryset, **kwargs)
        self.today = today
        self.period = period
        workstreams = workstreams if workstreams is not None else (
            Workstream.objects.filter(plan=plan).order_by("order", "code"))
        organisations = organisations if organisations is not None else (
            Organisation.objects.filter(plan=plan).order_by("name"))
        self.filters["workstream"].extra["choices"] = [
            (ws.code, f"{ws.code}: {ws.name}") for ws in workstreams]
        organisation_choices = [(org.key, org.name) for org in organisations]
        self.filters["owner"].extra["choices"] = organisation_choices
        self.filters["contributor"].extra["choices"] = organisation_choices
        self.filters["lead_agency"].extra["choices"] = organisation_choices
        self.filters["delivery_team"].extra["choices"] = organisation_choices
        if period is not None:
            self.filters["no_update"].label = f"No progress update in {period.financial_quarter}"

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(ref__icontains=text) | Q(title__icontains=text)
                               | Q(description__icontains=text))

    def filter_person(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(action_lead_name__icontains=text) | Q(action_lead_role__icontains=text)
            | Q(sponsoring_director_name__icontains=text)
            | Q(sponsoring_director_role__icontains=text))

    def filter_rag(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        rags = ["" if rag == NOT_REPORTED else rag for rag in value]
        return queryset.filter(rag__in=rags)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.overdue(on=self.today) if value else queryset

    def filter_no_update(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        if self.period is None:
            return queryset.exclude(rag=Rag.BLUE)
        return queryset.without_update_in(self.period)


def action_filter_for(request: HttpRequest, plan: Plan, today: dt.date) -> ActionFilter:
    """The list's filters bound to the request's GET parameters."""
    return ActionFilter(request.GET or None, queryset=actions_for_listing(plan), plan=plan,
                        today=today, period=current_period(plan, today))


def filter_query(request: HttpRequest) -> str:
    """The request's filters as a query string, without paging or sorting."""
    query = request.GET.copy()
    for parameter in TABLE_PARAMETERS:
        query.pop(parameter, None)
    return query.urlencode()
