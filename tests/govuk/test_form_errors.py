"""Every form of the service, sent empty and sent wrong, answers in the GOV.UK way: each
error names its field ("Enter the value for Basildon and Brentwood"), never Django's own
"This field is required" or "Select a valid choice"."""

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core import validators
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField
from django.test import RequestFactory
from django.utils import timezone
from django.utils.functional import Promise

from actions.forms import LongTextField
from actions.models import Action
from audit.models import AuditEntry
from govuk.forms import GovUkFormMixin, error_name
from measures.models import Measure
from plans.models import ReportingPeriod
from tests.factories import (
    ActionFactory,
    AreaFactory,
    MeasureFactory,
    OutcomeFactory,
    UserFactory,
)
from workstreams.models import Area

PROJECT = Path(settings.BASE_DIR).resolve()
FORM_MODULES = ("forms", "filters", "admin")


def _project_apps():
    return [config for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(PROJECT)]


def project_form_classes() -> dict[str, type]:
    """Every form class the project defines, by dotted name, from each app's forms, filters
    and admin modules; a FilterSet stands for the form it builds."""
    import django_filters

    found: dict[str, type] = {}
    for config in _project_apps():
        for module_name in FORM_MODULES:
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.{module_name}":
                    raise
                continue
            for name, value in vars(module).items():
                if not inspect.isclass(value) or value.__module__ != module.__name__:
                    continue
                if issubclass(value, (forms.BaseForm, django_filters.FilterSet)):
                    found[f"{module.__name__}.{name}"] = value
    return found


# --- DJANGO'S OWN WORDS ------------------------------------------------------------------

def _django_default_patterns() -> list[re.Pattern]:
    messages: set[str] = set()
    for module in (forms.fields, forms.models):
        for value in vars(module).values():
            if inspect.isclass(value) and issubclass(value, forms.Field):
                for cls in value.__mro__:
                    messages |= {str(text) for text in
                                 vars(cls).get("default_error_messages", {}).values()}
    for value in vars(validators).values():
        if inspect.isclass(value) and isinstance(getattr(value, "message", None), str | Promise):
            messages.add(str(value.message))
    messages |= {"Ensure this value has at most %(limit_value)d characters (it has "
                 "%(show_value)d).", "Ensure this filename has at most %(max)d characters "
                 "(it has %(length)d).", "Null characters are not allowed.",
                 "Please enter a correct %(username)s and password."}
    patterns = []
    for message in filter(None, messages):
        words = re.escape(message)
        words = re.sub(r"%\\\(\w+\\\)[sd]|\\\{\w+\\\}", ".*", words)
        patterns.append(re.compile(words.split(r"\.")[0], re.IGNORECASE))
    return patterns


DJANGO_DEFAULTS = _django_default_patterns()


def is_django_default(message: str) -> bool:
    return any(pattern.match(message) for pattern in DJANGO_DEFAULTS)


def test_djangos_own_words_are_recognised():
    for message in ["This field is required.", "Enter a valid date.", "Enter a number.",
                    "Select a valid choice. x is not one of the available choices.",
                    "Ensure this value has at most 40 characters (it has 41).",
                    "Ensure this value is less than or equal to 99.", "Enter a whole number.",
                    "The submitted file is empty.", "Enter a valid URL."]:
        assert is_django_default(message), message
    assert not is_django_default("Enter the value for Basildon and Brentwood")


# --- WRONG ANSWERS --------------------------------------------------------------------

def _wrong_answers(field: forms.Field) -> list:
    """Values of each kind the field must refuse, most telling first."""
    if isinstance(field, forms.BooleanField):
        return []
    if isinstance(field, forms.FileField):
        name = "x" * ((field.max_length or 300) + 1)
        return [SimpleUploadedFile("empty.xlsx", b""), SimpleUploadedFile(f"{name}.xlsx", b"1"),
                SimpleUploadedFile("notes.txt", b"Not a workbook")]
    if isinstance(field, ModelMultipleChoiceField):
        return [["999999"], ["not-a-key"], "not-a-list"]
    if isinstance(field, forms.MultipleChoiceField):
        return [["no-such-choice"], "not-a-list"]
    if isinstance(field, ModelChoiceField):
        return ["999999", "not-a-key"]
    if isinstance(field, forms.ChoiceField):
        return ["no-such-choice"]
    if isinstance(field, (forms.DateField, forms.DateTimeField)):
        return ["31/02/2021", "tomorrow"]
    if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
        answers = ["many", "1.5" if isinstance(field, forms.IntegerField) else "1e400"]
        if field.min_value is not None:
            answers.append(str(field.min_value - 1))
        if field.max_value is not None:
            answers.append(str(field.max_value + 1))
        return answers
    if isinstance(field, (forms.EmailField, forms.URLField)):
        return ["not an address\x00"]
    if isinstance(field, forms.CharField):
        return ["y" * ((field.max_length or 100_000) + 1), "null\x00character"]
    return ["???"]


def submissions(form_class_fields: dict[str, forms.Field]) -> list[tuple[dict, dict]]:
    """(data, files) pairs: the form sent empty, then sent with wrong answers, the first
    wrong answer of each field in one, the second in the next, and so on."""
    answers = {name: _wrong_answers(field) for name, field in form_class_fields.items()}
    sent = [({}, {})]
    for round_ in range(max((len(each) for each in answers.values()), default=0)):
        data, files = {}, {}
        for name, wrong in answers.items():
            if wrong:
                value = wrong[min(round_, len(wrong) - 1)]
                if isinstance(value, SimpleUploadedFile):
                    value.seek(0)
                    files[name] = value
                else:
                    data[name] = value
        sent.append((data, files))
    return sent


# --- THE FORMS, AS THE SERVICE BUILDS THEM ---------------------------------------------

@pytest.fixture
def world(plan, jc, period):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1,
                           current_due_date=dt.date(2021, 6, 30),
                           original_due_date=dt.date(2021, 3, 31))
    areas = [AreaFactory(plan=plan, name="Basildon and Brentwood", breakdown=Area.Breakdown.CCG),
             AreaFactory(plan=plan, name="Mid Essex", breakdown=Area.Breakdown.CCG)]
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    measures = [
        MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DURATION,
                       area_breakdown=Area.Breakdown.CCG),
        MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.DELIVERABLE,
                       direction=Measure.Direction.NONE, unit=""),
        MeasureFactory(plan=plan, outcome=outcome, kind=Measure.Kind.PERCENTAGE, unit="%",
                       how_measured="Parent carer survey", direction=Measure.Direction.HIGHER),
    ]
    return {"plan": plan, "action": action, "areas": areas, "measures": measures,
            "periods": ReportingPeriod.objects.for_plan(plan.pk)}


def _filter_form(filterset_class, **kwargs):
    def build(data, files):
        return filterset_class(data, **kwargs).form
    return build


def _bound(form_class, **kwargs):
    def build(data, files):
        return form_class(data, files, **kwargs)
    return build


def _builders(dotted: str, form_class: type, world: dict) -> list:
    """Ways the service builds the form, one per shape it takes (a reading of each kind)."""
    plan, action = world["plan"], world["action"]
    name = dotted.rsplit(".", 1)[-1]
    if name == "ProgressUpdateForm":
        return [_bound(form_class, periods=world["periods"], has_undone_milestones=True)]
    if name in ("ReviewMeetingForm",):
        return [_bound(form_class, periods=world["periods"])]
    if name == "OutcomeForm":
        return [_bound(form_class, moved_actions=Action.objects.filter(pk=action.pk))]
    if name == "EntryForm":
        return [_bound(form_class, plan=plan)]
    if name in ("PeriodChoiceForm", "ComparatorForm"):
        return [_bound(form_class, measure=world["measures"][0])]
    if name == "ReadingForm":
        return [_bound(form_class, measure=measure, areas=world["areas"])
                for measure in world["measures"]]
    if name == "SignInForm":
        return [lambda data, files: form_class(None, data=data)]
    if name == "ActionFilter":
        return [_filter_form(form_class, queryset=Action.objects.all(), plan=plan,
                             today=timezone.localdate(), period=world["periods"].first())]
    if name == "AuditEntryFilter":
        return [_filter_form(form_class, queryset=AuditEntry.objects.all(), plan=plan)]
    if issubclass(form_class, forms.ModelForm):
        return []  # walked below with the admin that uses it
    return [_bound(form_class)]


def _admin_builders() -> list:
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(username="site-admin", is_superuser=True, is_staff=True)
    built = []
    for model, model_admin in admin.site._registry.items():
        if not Path(inspect.getfile(type(model_admin))).resolve().is_relative_to(PROJECT):
            continue
        form_class = model_admin.get_form(request, None)
        built.append((f"admin {model._meta.label}", form_class, _bound(form_class)))
    return built


def _errors_not_naming_their_field(build, seen: list[str]) -> list[str]:
    problems = []
    probe = build({}, {})
    for data, files in submissions(dict(probe.fields)):
        form = build(data, files)
        form.is_valid()
        for name, messages in form.errors.items():
            field = form.fields.get(name)
            for message in messages:
                seen.append(message)
                if is_django_default(message):
                    problems.append(f"{name}: Django's own words: {message!r}")
                elif field is not None and error_name(field, name).lower() not in (
                        message.lower()):
                    problems.append(f"{name}: does not name {error_name(field, name)!r}: "
                                    f"{message!r}")
    return problems


def test_every_form_of_the_service_is_found():
    found = project_form_classes()

    for name in ["actions.forms.ProgressUpdateForm", "measures.forms.ReadingForm",
                 "dashboard.forms.CommentaryForm", "accounts.forms.SignInForm",
                 "actions.filters.ActionFilter", "plans.admin.MembershipForm"]:
        assert name in found, name


def test_every_form_words_its_errors_through_the_govuk_base(world):
    import django_filters

    for dotted, form_class in project_form_classes().items():
        if issubclass(form_class, django_filters.FilterSet):
            form_class = form_class._meta.form
        assert issubclass(form_class, GovUkFormMixin), dotted
    for label, form_class, _ in _admin_builders():
        assert issubclass(form_class, GovUkFormMixin), label


def test_every_error_of_every_form_names_its_field(world):
    problems, seen = [], []
    for dotted, form_class in project_form_classes().items():
        for build in _builders(dotted, form_class, world):
            problems += [f"{dotted} {problem}" for problem in
                         _errors_not_naming_their_field(build, seen)]
    for label, _, build in _admin_builders():
        problems += [f"{label} {problem}"
                     for problem in _errors_not_naming_their_field(build, seen)]

    assert not problems, "\n".join(problems)
    for message in ["Enter your username", "Select the RAG status you are reporting",
                    "Value for Basildon and Brentwood must be 40 characters or fewer (it has 41)",
                    "Select yes if it was delivered for the whole local area, or no",
                    "Changed on or after must be a real date, for example 27/3/2021",
                    "Select one of the options for the unit",
                    "The plan workbook must be an Excel workbook (.xlsx)",
                    "Enter reason for change"]:
        assert message in seen, message


def test_the_readings_form_names_the_area_of_an_overlong_value(world):
    measure, basildon = world["measures"][0], world["areas"][0]
    from measures.forms import ReadingForm

    form = ReadingForm({"period": world["periods"].first().pk, "value": "", "unit": "parsecs",
                        f"area_{basildon.pk}": "9" * 41},
                       measure=measure, areas=world["areas"])

    assert not form.is_valid()
    assert form.errors == {
        "value": ["Enter a value for the whole local area"],
        "unit": ["Select one of the options for the unit"],
        f"area_{basildon.pk}": [
            "Value for Basildon and Brentwood must be 40 characters or fewer (it has 41)"]}


def test_spaces_alone_answer_no_required_text_question_of_any_form(world):
    refused = []
    for dotted, form_class in project_form_classes().items():
        for build in _builders(dotted, form_class, world):
            probe = build({}, {})
            # A password is typed as it is, spaces and all: a wrong one is told as such.
            texts = [name for name, field in probe.fields.items()
                     if type(field) in (forms.CharField, LongTextField)
                     and not isinstance(field.widget, forms.PasswordInput)]
            form = build(dict.fromkeys(texts, "  \n\t  "), {})
            form.is_valid()
            for name in texts:
                if form.fields[name].required:
                    assert form.errors.get(name) == [
                        form.fields[name].error_messages["required"]], (dotted, name)
                    refused.append(f"{dotted}.{name}")
                else:
                    assert name not in form.errors, (dotted, name)

    assert "dashboard.forms.CommentaryForm.what_went_wrong" in refused
    assert "actions.forms.ProgressUpdateForm.narrative" in refused


def test_a_commentary_of_spaces_is_refused_naming_the_field():
    from dashboard.forms import CommentaryForm

    form = CommentaryForm({"what_went_wrong": "   ", "what_is_being_done": "\n\n",
                           "board_asked_to": "note"})

    assert form.errors == {"what_went_wrong": ["Enter what went wrong"],
                           "what_is_being_done": ["Enter what is being done"]}
