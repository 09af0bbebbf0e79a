"""load_statistics: every figure of a published file becomes a value for its area and
period, citing the file; missing values keep their reason; a breakdown is refused until the
user chooses; a bad row is named and nothing is saved; loading again changes nothing."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from area_statistics.models import Indicator, StatisticArea, StatisticValue

PUBLISHED = Path(settings.BASE_DIR) / "fixtures" / "published"
SEN2 = PUBLISHED / "dfe_ehc_plans_sen2_2014_2022.csv"
NHS = PUBLISHED / "nhs_community_health_waiting_lists_2023.csv"
HEADER = ("time_period,time_identifier,geographic_level,country_code,country_name,"
          "region_code,region_name,new_la_code,old_la_code,la_name")


def ees_file(tmp_path, rows: list[str], extra: str = "rate", name: str = "small.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([f"{HEADER},{extra}", *rows]) + "\n", encoding="utf-8")
    return path


ENGLAND = "E92000001,England,,,,,"
EAST = "E92000001,England,E12000006,East of England,,,"
ESSEX = 'E92000001,England,E12000006,East of England,E10000012,881,"Essex"'


def load(path: Path, *, indicator="rate", unit="percent", where=(), **options) -> str:
    from io import StringIO

    out = StringIO()
    args = [str(path), "--indicator", indicator, "--name", "Issued within 20 weeks",
            "--unit", unit, "--publisher", "Department for Education"]
    for condition in where:
        args += ["--where", condition]
    call_command("load_statistics", *args, stdout=out, **options)
    return out.getvalue()


def values(column: str = "rate") -> dict[tuple[str, str], StatisticValue]:
    return {(v.area.name, v.period_label): v for v in StatisticValue.objects.filter(
        indicator__column=column).select_related("area", "source")}


@pytest.mark.django_db
def test_each_row_becomes_a_value_for_its_area_and_year_citing_the_file(tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,National,{ENGLAND},60.4",
                               f"2019,Calendar year,Regional,{EAST},65",
                               f"2019,Calendar year,Local authority,{ESSEX},74.2"])
    load(path)
    loaded = values()
    assert loaded[("Essex", "2019")].value == Decimal("74.2")
    assert loaded[("England", "2019")].value == Decimal("60.4")
    essex = StatisticArea.objects.get(code="E10000012")
    assert essex.level == StatisticArea.Level.LOCAL_AUTHORITY
    assert essex.region.name == "East of England"
    value = loaded[("Essex", "2019")]
    assert (value.source.file, value.source.publisher, value.row) == (
        "small.csv", "Department for Education", 4)


@pytest.mark.django_db
def test_suppression_codes_are_kept_as_not_available_with_the_reason_never_zero(tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},c",
                               f"2020,Calendar year,Local authority,{ESSEX},z",
                               f"2021,Calendar year,Local authority,{ESSEX},x"])
    load(path)
    loaded = values()
    assert [loaded[("Essex", year)].value for year in ("2019", "2020", "2021")] == [None] * 3
    assert loaded[("Essex", "2019")].not_available == (
        "not available (suppressed to protect confidentiality)")
    assert loaded[("Essex", "2020")].not_available == "not available (not applicable)"


@pytest.mark.django_db
def test_numbers_with_a_leading_space_are_read(tmp_path):
    path = ees_file(tmp_path, [f'2019,Calendar year,Local authority,{ESSEX}," 74.2"'])
    load(path)
    assert values()[("Essex", "2019")].value == Decimal("74.2")


@pytest.mark.django_db
@pytest.mark.parametrize("identifier,period,label", [
    ("Calendar year", "2019", "2019"),
    ("Financial year", "201920", "2019-20"),
    ("Financial year", "2019-20", "2019-20"),
    ("Academic year", "201819", "2018/19"),
])
def test_calendar_financial_and_academic_years_are_shown_as_people_write_them(
        tmp_path, identifier, period, label):
    path = ees_file(tmp_path, [f"{period},{identifier},Local authority,{ESSEX},12"])
    load(path)
    assert values()[("Essex", label)].value == Decimal(12)


@pytest.mark.django_db
def test_a_breakdown_is_refused_naming_the_column_and_its_values_then_chosen_with_where(
        tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},Boys,70",
                               f"2019,Calendar year,Local authority,{ESSEX},Girls,80"],
                    extra="sex,rate")
    with pytest.raises(CommandError) as refused:
        load(path)
    assert "column “sex” (Boys, Girls): choose one with --where sex=VALUE" in str(refused.value)
    assert not StatisticValue.objects.exists()

    load(path, where=["sex=Girls"])
    assert values()[("Essex", "2019")].value == Decimal(80)
    assert Indicator.objects.get().selection == "sex=Girls"


@pytest.mark.django_db
def test_a_malformed_row_is_named_by_number_and_column_and_nothing_is_saved(tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},74.2",
                               f"2020,Calendar year,Local authority,{ESSEX},lots",
                               f"20x1,Calendar year,Local authority,{ESSEX},5",
                               f"2022,Calendar year,Local authority,{ESSEX},140"])
    with pytest.raises(CommandError) as refused:
        load(path)
    message = str(refused.value)
    assert "Row 3, column rate: “lots” is neither a number nor a code" in message
    assert "Row 4, column time_period: calendar year “20x1” must be a year" in message
    assert "Row 5, column rate: “140” is a percentage outside 0 to 100" in message
    assert not StatisticValue.objects.exists()
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_a_column_the_file_does_not_have_is_named(tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},74.2"])
    with pytest.raises(CommandError, match="the file has no column “rates”; its columns "
                                           "include rate"):
        load(path, indicator="rates")


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing_and_a_new_figure_is_corrected(tmp_path):
    rows = [f"2019,Calendar year,Local authority,{ESSEX},74.2"]
    path = ees_file(tmp_path, rows)
    load(path)
    first = StatisticValue.objects.get()
    assert "0 values were added, 0 changed and 1 already loaded" in load(path)
    assert StatisticValue.objects.get().pk == first.pk

    ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},74.3"])
    assert "0 values were added, 1 changed" in load(path)
    assert StatisticValue.objects.get().value == Decimal("74.3")


@pytest.mark.django_db
def test_a_dry_run_says_what_would_change_and_saves_nothing(tmp_path):
    path = ees_file(tmp_path, [f"2019,Calendar year,Local authority,{ESSEX},74.2"])
    assert "1 values would be added" in load(path, dry_run=True)
    assert not StatisticValue.objects.exists()


def _sen2_row(la_or_level: str, year: str) -> dict:
    with SEN2.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["time_period"] == year and la_or_level in (
                    row["new_la_code"], row["geographic_level"] + row["region_code"]):
                return row
    raise AssertionError(f"no row {la_or_level} {year}")


@pytest.mark.django_db
def test_the_shipped_sen2_file_loads_every_area_and_year_as_published():
    load(SEN2, indicator="no_exc_20week_rate")
    loaded = values("no_exc_20week_rate")
    for year, essex, england in (("2019", "74.2", "60.4"), ("2022", "10.781", "49.166")):
        assert loaded[("Essex", year)].value == Decimal(essex)
        assert loaded[("England", year)].value == Decimal(england)
        # The same figures as the file's own rows.
        assert Decimal(_sen2_row("E10000012", year)["no_exc_20week_rate"]) == Decimal(essex)
        assert Decimal(_sen2_row("National", year)["no_exc_20week_rate"]) == Decimal(england)
    with SEN2.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert StatisticValue.objects.count() == len(rows)
    # One area per ONS code: an authority re-formed with a new code is a new area.
    assert StatisticArea.objects.filter(level="local_authority").count() == len(
        {row["new_la_code"] for row in rows if row["new_la_code"]})


@pytest.mark.django_db
def test_the_shipped_nhs_file_loads_by_icb_once_a_service_is_chosen():
    with pytest.raises(CommandError, match="column “Therapy” .*Speech And Language"):
        load(NHS, indicator="Total waiting list", unit="count", layout="nhs-community-health")
    load(NHS, indicator="Total waiting list", unit="count", layout="nhs-community-health",
         where=["Therapy=Speech And Language"])
    loaded = values("Total waiting list")
    # Rows 188 and 132 of the file, January 2023.
    assert loaded[("Suffolk and North East Essex", "January 2023")].value == 1122
    assert loaded[("Mid and South Essex", "January 2023")].value == 228
    assert loaded[("England", "January 2023")].value == 67774
    # Regions written in capitals in some months are the same region.
    assert StatisticArea.objects.filter(level="region", name__iexact="east of england",
                                        code="").count() == 1
    assert StatisticArea.objects.get(name="Mid and South Essex").level == "icb"


@pytest.mark.django_db
def test_na_in_the_nhs_file_is_not_reported_never_zero():
    load(NHS, indicator="Total waiting list", unit="count", layout="nhs-community-health",
         where=["Therapy=Audiology"])
    # Row 129: Mid and South Essex, January 2023, Audiology, NA.
    value = values("Total waiting list")[("Mid and South Essex", "January 2023")]
    assert (value.value, value.not_available) == (None, "not available (not reported)")
