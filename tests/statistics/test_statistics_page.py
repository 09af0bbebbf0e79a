"""/<plan>/statistics/: the area's published figures beside England's and its region's, with
the direction of travel, a chart with its table, the source, and the ICBs' spread."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from area_statistics.models import StatisticArea
from tests.factories import LocalAreaFactory, PlanFactory, Role, UserFactory, member
from tests.query_counts import assert_drawn_then_cached

HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,"
          "region_code,region_name,new_la_code,old_la_code,la_name")
LOAD = ["--unit", "percent", "--better", "higher", "--publisher", "Department for Education"]


def text_of(response) -> str:
    html = response.content.decode()
    html = html[html.index("<main"):]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def published(db):
    call_command("load_published_statistics", verbosity=0, stdout=io.StringIO())


def test_essex_sees_its_figures_beside_england_and_its_region_with_the_source(
        client, essex, published):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    response = client.get(reverse("statistics:list", kwargs={"plan_slug": "essex"}))
    text = text_of(response)
    section = text[text.index("New EHC plans issued within 20 weeks, excluding exceptions"):]
    section = section[:section.index("Appeals") if "Appeals" in section else None]
    # Checked against fixtures/published/dfe_ehc_plans_sen2_2014_2022.csv, rows 546 and 1312.
    assert "Latest (2022) Essex: 10.8% England: 49.2% East of England: 32.4%" in section
    assert "Baseline year (2019) Essex: 74.2% England: 60.4% East of England: 65%" in section
    assert ("From 13.8 percentage points above England in 2019 to 38.4 percentage points "
            "below England in 2022: worse against England.") in section
    assert "Department for Education, Education, health and care plans (SEN2)" in section
    assert "File: dfe_ehc_plans_sen2_2014_2022.csv, column no_exc_20week_rate" in section
    # The chart, with its summary, and every year in its table.
    assert "<svg role=\"img\"" in response.content.decode()
    for year, essex_value in (("2014", "0%"), ("2017", "73.6%"), ("2021", "45.9%")):
        assert f"{year} {essex_value}" in section


def test_waiting_lists_show_each_icb_and_the_spread_between_them(client, essex, published):
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    text = text_of(client.get(reverse("statistics:list", kwargs={"plan_slug": "essex"})))
    section = text[text.index("Children and young people waiting: community paediatric"):]
    # October 2023, fixtures/published/nhs_community_health_waiting_lists_2023.csv.
    assert "Integrated care boards, October 2023" in section
    assert ("varies 2.1x between integrated care boards (Mid and South Essex 2,964, "
            "Hertfordshire and West Essex 6,209), a difference of 3,245") in section
    assert "Suffolk and North East Essex 3,283" in section


def test_published_figures_carry_no_demo_banner_even_in_a_plan_with_demo_data(
        client, essex, published):
    essex.has_demo_data = True
    essex._change_reason = "Test"
    essex.save()
    client.force_login(member(UserFactory(username="essex-board"), essex, Role.BOARD))
    statistics = client.get(reverse("statistics:list", kwargs={"plan_slug": "essex"}))
    measures = client.get(reverse("measures:list", kwargs={"plan_slug": "essex"}))
    assert "illustrative demo data" in measures.content.decode()
    assert "illustrative demo data" not in statistics.content.decode()


def test_an_area_with_nothing_loaded_says_so(client, plan, board_member):
    client.force_login(board_member)
    text = text_of(client.get(reverse("statistics:list", kwargs={"plan_slug": plan.slug})))
    assert "No published statistics are loaded for Test Area" in text


def _small_file(tmp_path: Path, indicators: int, years: int) -> Path:
    columns = [f"figure_{n}" for n in range(indicators)]
    rows = [f"{HEADER},{','.join(columns)}"]
    for year in range(2010, 2010 + years):
        for geography in ("National,E92000001,England,,,,,",
                          "Regional,E92000001,England,E12000006,East of England,,,",
                          'Local authority,E92000001,England,E12000006,East of England,'
                          'E10000012,881,"Essex"'):
            rows.append(f"{year},Calendar year,{geography},"
                        + ",".join(str(n + year % 7) for n in range(indicators)))
    path = tmp_path / f"file_{indicators}_{years}.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("indicators,years", [(1, 2), (6, 12)])
def test_the_page_runs_a_fixed_number_of_queries_however_many_indicators_and_years(
        db, client, tmp_path, indicators, years, django_assert_max_num_queries):
    essex = PlanFactory(slug="essex-count", local_area=LocalAreaFactory(
        name="Essex", ons_code="E10000012", region="East of England"))
    path = _small_file(tmp_path, indicators, years)
    for n in range(indicators):
        call_command("load_statistics", str(path), "--indicator", f"figure_{n}", "--name",
                     f"Figure {n}", *LOAD, stdout=io.StringIO())
    client.force_login(member(UserFactory(username="counter"), essex, Role.BOARD))
    url = reverse("statistics:list", kwargs={"plan_slug": essex.slug})
    drawn, _ = assert_drawn_then_cached(client, url, 4, django_assert_max_num_queries)
    assert text_of(drawn).count("Baseline year") == indicators
    assert StatisticArea.objects.count() == 3


def test_the_shipped_files_are_in_the_repository():
    folder = Path(settings.BASE_DIR) / "fixtures" / "published"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in readme
    for name in ("dfe_ehc_plans_sen2_2014_2022.csv",
                 "nhs_community_health_waiting_lists_2023.csv",
                 "ofsted_area_send_inspections_2016_2022.csv"):
        assert name in readme and (folder / name).stat().st_size > 10_000
