import datetime as dt

import factory
from django.contrib.auth.models import User

from actions.models import Action, Milestone, ProgressUpdate, Rag
from measures.models import Measure, MeasureReading, Outcome
from plans.models import LocalArea, Membership, Plan, ReportingPeriod
from workstreams.models import Area, Organisation, Weakness, Workstream

Role = Membership.Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


class LocalAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"area-{n}")
    local_area = factory.SubFactory(LocalAreaFactory)
    title = "Written Statement of Action"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "plan", "role")
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    plan = factory.SubFactory(PlanFactory)
    role = Role.BOARD

    @factory.post_generation
    def workstreams(self, create, extracted, **kwargs):
        if create and extracted:
            self.workstreams.add(*extracted)


def member(user: User, plan: Plan, role: str, *workstreams: Workstream) -> User:
    """`user`, holding `role` in `plan` (leading `workstreams`)."""
    MembershipFactory(user=user, plan=plan, role=role, workstreams=list(workstreams))
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    plan = factory.SubFactory(PlanFactory)
    key = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.COUNCIL


class WeaknessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Weakness

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    summary = "Joint commissioning"
    text = "The joint commissioning arrangements do not work well enough."


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream
        django_get_or_create = ("plan", "code")

    plan = factory.SubFactory(PlanFactory)
    code = "JC"
    name = "Joint commissioning"
    order = 2


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    breakdown = Area.Breakdown.CCG


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod
        django_get_or_create = ("plan", "label")

    plan = factory.SubFactory(PlanFactory)
    label = "2020-Q3"
    start = dt.date(2020, 7, 1)
    end = dt.date(2020, 9, 30)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    workstream = factory.SubFactory(WorkstreamFactory, plan=factory.SelfAttribute("..plan"))
    ref_number = factory.Sequence(lambda n: n + 1)
    ref = factory.LazyAttribute(lambda a: f"{a.workstream.code}{a.ref_number}")
    title = factory.Sequence(lambda n: f"Action {n}")
    rag = Rag.AMBER
    original_due_date = dt.date(2021, 3, 31)
    current_due_date = dt.date(2021, 3, 31)


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = dt.date(2020, 12, 31)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    period = factory.SubFactory(ReportingPeriodFactory, plan=factory.SelfAttribute("..action.plan"))
    date = dt.date(2020, 8, 1)
    rag = Rag.GREEN
    narrative = "On track."


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    plan = factory.SubFactory(PlanFactory)
    workstream = factory.SubFactory(WorkstreamFactory, plan=factory.SelfAttribute("..plan"))
    key = factory.Sequence(lambda n: f"outcome-{n}")
    outcome = "Equitable access to services."
    for_whom = Outcome.ForWhom.FAMILIES
    what_will_be_different = "Shorter waits for assessment."


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    outcome = factory.SubFactory(OutcomeFactory, plan=factory.SelfAttribute("..plan"))
    title = "Waiting time for ASD assessment"
    how_measured = "Data held by CCGs."
    kind = Measure.Kind.DURATION
    unit = "weeks"
    direction = Measure.Direction.LOWER


class MeasureReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureReading

    measure = factory.SubFactory(MeasureFactory)
    period = factory.SubFactory(ReportingPeriodFactory,
                                plan=factory.SelfAttribute("..measure.plan"))
    kind = factory.SelfAttribute("measure.kind")
    value = 10


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "actions.Evidence"

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Board minutes {n}")
    file = factory.django.FileField(filename="minutes.pdf",
                                    data=b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    content_type = "application/pdf"


class ReviewMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.ReviewMeeting"

    plan = factory.SubFactory(PlanFactory)
    period = factory.SubFactory(ReportingPeriodFactory, plan=factory.SelfAttribute("..plan"))
    kind = "quarterly"
    date = dt.date(2020, 10, 15)
    evidence_deadline = dt.date(2020, 10, 1)
    feedback = "The advisers were content with progress."
    feedback_file = factory.django.FileField(filename="letter.pdf",
                                             data=b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    feedback_content_type = "application/pdf"


class PackSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "plans.PackSubmission"

    meeting = factory.SubFactory(ReviewMeetingFactory)
    filename = "test-area-monitoring-pack-2020-21-Q2.xlsx"
    content = b"PK\x03\x04 a stored workbook"
    sha256 = "0" * 64
    submitted_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))
    submitted_by = factory.SubFactory(UserFactory)
