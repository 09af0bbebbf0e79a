"""The Ofsted file of area SEND inspections: an area's facts offered for a person to confirm,
a plan created from them with the file as their source, and Essex's revisit recorded on
each weakness, closing the plan to monitoring with its dashboard as at its last period."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from area_statistics.models import OfstedInspection
from area_statistics.ofsted import ofsted_facts
from area_statistics.services import revisit_record
from audit.models import AuditEntry
from plans.models import Plan
from tests.factories import Role, UserFactory, member
from workstreams.models import Weakness

CLOSE_ESSEX = ["E10000012", "--plan", "essex", "--revisit", "--confirm", "--reason",
               "Revisit outcome from the Ofsted file"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("ofsted_inspection", *args, stdout=out)
    return out.getvalue()


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main"):]))


def test_essex_facts_are_read_as_the_file_gives_them():
    facts = ofsted_facts("E10000012")
    assert (facts.area_name, facts.region) == ("Essex", "East of England")
    assert (facts.inspection_start, facts.inspection_published) == (
        dt.date(2019, 9, 30), dt.date(2019, 12, 23))
    assert (facts.weaknesses, facts.revisit_start, facts.revisit_published) == (
        3, dt.date(2022, 5, 17), dt.date(2022, 7, 27))
    assert (facts.revisit_outcome, facts.sufficient_progress, facts.insufficient_progress) == (
        "all", 3, 0)
    assert facts.row == 43


def test_the_command_shows_the_facts_and_records_nothing_until_confirmed(db):
    shown = run("E06000055", "--new-plan", "bedford", "--title", "Bedford WSOA")
    assert "Inspection began 5 February 2018, published 28 March 2018" in shown
    assert "Significant weaknesses: 5" in shown
    assert "Nothing recorded" in shown
    assert not Plan.objects.exists()


def test_a_plan_created_from_the_file_records_its_facts_and_cites_the_file(db):
    run("E06000055", "--new-plan", "bedford", "--title", "Bedford WSOA", "--confirm",
        "--reason", "New plan for Bedford")
    plan = Plan.objects.get(slug="bedford")
    assert (plan.local_area.name, plan.local_area.ons_code, plan.local_area.region) == (
        "Bedford", "E06000055", "East of England")
    assert plan.local_area.source_document == "ofsted_area_send_inspections_2016_2022.csv"
    assert (plan.inspection_start, plan.report_published) == (
        dt.date(2018, 2, 5), dt.date(2018, 3, 28))
    facts = OfstedInspection.objects.get(plan=plan)
    assert (facts.weaknesses, facts.revisit_outcome, facts.source.publisher) == (
        5, "all", "Ofsted")
    assert plan.periods.exists()


def test_an_unknown_ons_code_is_named(db):
    with pytest.raises(CommandError, match="has no area with ONS code E99999999"):
        run("E99999999")


def test_essex_takes_its_revisit_from_the_file_and_is_closed_to_monitoring(client, essex):
    run(*CLOSE_ESSEX)
    essex.refresh_from_db()
    assert essex.status == Plan.Status.CLOSED
    assert essex.ends_on == dt.date(2022, 5, 17)
    judgements = list(Weakness.objects.filter(plan=essex).values_list(
        "revisit_judgement", "revisit_date"))
    assert judgements == [("Sufficient progress", dt.date(2022, 5, 17))] * 3
    text = Weakness.objects.filter(plan=essex).first().revisit_text
    assert "published 27 July 2022" in text and "row 43" in text
    assert AuditEntry.objects.filter(object_kind="weakness",
                                     reason="Revisit outcome from the Ofsted file").count() == 3
    # Running it again changes nothing.
    count = AuditEntry.objects.count()
    run(*CLOSE_ESSEX)
    assert AuditEntry.objects.count() == count

    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    dashboard = text_of(client.get(reverse("dashboard:home", kwargs={"plan_slug": "essex"})))
    assert "closed to monitoring since 17 May 2022" in dashboard
    assert "Where the plan stands on 30 Jun 2022, the end of its last reporting period" \
        in dashboard
    statistics = text_of(client.get(reverse("statistics:list", kwargs={"plan_slug": "essex"})))
    assert ("Began 17 May 2022, published 27 Jul 2022: sufficient progress on every "
            "significant weakness (3 of 3)") in statistics


def test_a_revisit_with_progress_on_only_some_weaknesses_is_not_attributed(essex):
    OfstedInspection.objects.create(
        plan=essex, ons_code="E10000012", area_name="Essex", region="East of England",
        inspection_start=dt.date(2019, 9, 30), inspection_published=dt.date(2019, 12, 23),
        statement_required=True, weaknesses=3, revisit_start=dt.date(2022, 5, 17),
        revisit_outcome="some", sufficient_progress=2, insufficient_progress=1,
        source=_document(), row=43)
    with pytest.raises(ValidationError, match="sufficient progress on 2 of 3 .* the file "
                                              "does not say which"):
        revisit_record(plan=essex, user=None, reason="Try")
    essex.refresh_from_db()
    assert essex.status != Plan.Status.CLOSED


def _document():
    from area_statistics.services import source_document_for

    return source_document_for(file="ofsted_area_send_inspections_2016_2022.csv")


def _admin_adds_a_plan_for(client, area_name: str):
    from plans.models import LocalArea
    from tests.audit.test_admin import admin_form

    area = LocalArea.objects.create(name=area_name)
    data = admin_form(client, reverse("admin:plans_plan_add"))
    data.update(slug=area_name.lower(), local_area=area.pk, title=f"{area_name} WSOA",
                kind="wsoa", status="in_delivery", change_reason="A new plan")
    return client.post(reverse("admin:plans_plan_add"), data)


def test_a_plan_made_in_the_admin_is_offered_its_areas_ofsted_facts(db, client):
    admin = UserFactory(username="site-admin", is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = _admin_adds_a_plan_for(client, "Bedford")

    plan = Plan.objects.get(slug="bedford")
    offer_url = reverse("admin:plans_plan_ofsted", args=[plan.pk])
    assert response.url == offer_url
    offer = client.get(offer_url).content.decode()
    assert "Area: Bedford (ONS code E06000055), Ofsted region East of England" in offer
    client.post(offer_url, {"accept": "1", "reason": "Checked against the letter"})
    facts = OfstedInspection.objects.get(plan=plan)
    assert facts.source.file == "ofsted_area_send_inspections_2016_2022.csv"
    plan.refresh_from_db()
    assert plan.inspection_start == facts.inspection_start
    assert AuditEntry.objects.filter(object_kind="Ofsted inspection",
                                     reason="Checked against the letter").exists()
    # Recorded once: the offer is not made again.
    assert client.get(offer_url).url == reverse("admin:plans_plan_change", args=[plan.pk])


def test_declining_the_ofsted_facts_in_the_admin_records_nothing(db, client):
    client.force_login(UserFactory(username="site-admin", is_superuser=True, is_staff=True))
    _admin_adds_a_plan_for(client, "Bedford")
    plan = Plan.objects.get(slug="bedford")

    client.post(reverse("admin:plans_plan_ofsted", args=[plan.pk]),
                {"decline": "1", "reason": "x"})

    assert not OfstedInspection.objects.filter(plan=plan).exists()


def test_an_area_not_in_ofsteds_file_goes_straight_to_the_plans_list(db, client):
    client.force_login(UserFactory(username="site-admin", is_superuser=True, is_staff=True))

    response = _admin_adds_a_plan_for(client, "Barsetshire")

    assert response.url == reverse("admin:plans_plan_changelist")
