"""An officer links a published figure to a measure, as England's comparator beside the
area's figure or as the measure's own published series (baseline and readings citing the
file, checked and audited as any reading)."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from area_statistics.models import Indicator, MeasureComparator
from area_statistics.services import measure_comparator_link
from audit.models import AuditEntry
from measures.models import Measure, MeasureReading
from tests.factories import Role, UserFactory, member


@pytest.fixture
def published(db):
    call_command("load_published_statistics", stdout=io.StringIO())


@pytest.fixture
def twenty_weeks(published):
    return Indicator.objects.get(column="no_exc_20week_rate")


@pytest.fixture
def measure(essex):
    # "Professional advice provided within timescales": a percentage with no baseline.
    return Measure.objects.get(plan=essex, kind="percentage",
                               title__startswith="Professional advice provided")


@pytest.fixture
def essex_officer(essex):
    return member(UserFactory(username="essex-officer"), essex, Role.OFFICER)


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[html.index("<main"):]))


def test_an_officer_links_a_national_comparator_and_the_measure_page_shows_england(
        client, essex, measure, twenty_weeks, essex_officer):
    client.force_login(essex_officer)
    url = reverse("statistics:comparator", kwargs={"plan_slug": "essex",
                                                   "measure_id": measure.pk})
    response = client.post(url, {"indicator": twenty_weeks.pk, "use": "comparator",
                                 "reason": "Agreed at the May board"})
    assert response.status_code == 302
    page = text_of(client.get(reverse("measures:detail", kwargs={
        "plan_slug": "essex", "measure_id": measure.pk})))
    assert "England (national comparator) 2022: England 49.2%, Essex 10.8%" in page
    assert "2019 (baseline year): England 60.4%, Essex 74.2%" in page
    assert "file dfe_ehc_plans_sen2_2014_2022.csv" in page
    entry = AuditEntry.objects.filter(object_kind="national comparator").get()
    assert (entry.reason, entry.plan_id) == ("Agreed at the May board", essex.pk)
    # The measure's own figures are untouched.
    measure.refresh_from_db()
    assert measure.baseline is None and not measure.readings.exists()


def test_adopting_the_series_takes_the_baseline_and_later_years_citing_the_file(
        essex, measure, twenty_weeks, essex_officer):
    _, adopted = measure_comparator_link(measure=measure, indicator=twenty_weeks,
                                         use="series", user=essex_officer,
                                         reason="The DfE's figure is the measure")
    measure.refresh_from_db()
    assert measure.baseline == Decimal("74.2")
    assert measure.baseline_period == "2019 (calendar year)"
    assert "dfe_ehc_plans_sen2_2014_2022.csv, row 546" in measure.baseline_note
    readings = {r.period.label: r for r in MeasureReading.objects.filter(measure=measure)
                .select_related("period")}
    # 2020 and 2021 end in the plan's 2020-Q4 and 2021-Q4; 2022 ends after the plan did.
    assert {label: r.value for label, r in readings.items()} == {
        "2020-Q4": Decimal("33.6"), "2021-Q4": Decimal("45.9")}
    assert readings["2020-Q4"].source == (
        "Department for Education, dfe_ehc_plans_sen2_2014_2022.csv, row 394")
    assert adopted.outside == ["2022"]
    reasons = set(AuditEntry.objects.filter(object_kind="measure reading")
                  .values_list("reason", flat=True))
    assert reasons == {"The DfE's figure is the measure"}
    # Linking it again changes nothing.
    count = AuditEntry.objects.count()
    measure_comparator_link(measure=measure, indicator=twenty_weeks, use="series",
                            user=essex_officer, reason="Again")
    assert AuditEntry.objects.count() == count


def test_a_figure_of_another_kind_is_refused_naming_both(essex, measure, published,
                                                         essex_officer):
    requests = Indicator.objects.get(column="inreq_ehc")
    with pytest.raises(ValidationError, match="is a count, and this measure is a percentage"):
        measure_comparator_link(measure=measure, indicator=requests, use="comparator",
                                user=essex_officer, reason="Try")
    assert not MeasureComparator.objects.exists()


def test_a_plan_baseline_is_never_replaced_and_nothing_is_saved(
        essex, measure, twenty_weeks, essex_officer):
    measure.baseline = Decimal("50")
    measure._change_reason = "Published baseline"
    measure.save()
    with pytest.raises(ValidationError, match="already has a baseline of 50%"):
        measure_comparator_link(measure=measure, indicator=twenty_weeks, use="series",
                                user=essex_officer, reason="Adopt")
    assert not MeasureComparator.objects.exists()
    assert not measure.readings.exists()


def test_a_board_member_cannot_link_a_figure(client, essex, measure, twenty_weeks):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    url = reverse("statistics:comparator", kwargs={"plan_slug": "essex",
                                                   "measure_id": measure.pk})
    assert client.post(url, {"indicator": twenty_weeks.pk, "use": "comparator",
                             "reason": "x"}).status_code == 403
    assert not MeasureComparator.objects.exists()
