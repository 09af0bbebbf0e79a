"""`make run` loads the published files the product ships beside the Essex plan, so a
newcomer sees Essex's real figures, as the files give them."""

import csv
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from area_statistics.models import StatisticValue

ROOT = Path(settings.BASE_DIR)


def demo_commands() -> list[str]:
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    return re.findall(r"manage\.py (\w+)", recipe.group(1))


def test_make_run_loads_the_published_files_once_the_essex_plan_is_there():
    commands = demo_commands()
    assert commands.index("load_essex_plan") < commands.index("load_published_statistics")
    # Essex is closed by its revisit only once its demo history is in.
    assert commands.index("seed_demo_history") < commands.index("ofsted_inspection")
    # The board's baselines last, with every plan as it will stand: a closed plan's last
    # meeting is the last before its end.
    assert commands[-1] == "record_board_baselines"


def _file_value(code_or_level: str, year: str) -> Decimal:
    path = ROOT / "fixtures" / "published" / "dfe_ehc_plans_sen2_2014_2022.csv"
    with path.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["time_period"] == year and code_or_level in (row["new_la_code"],
                                                                row["geographic_level"]):
                return Decimal(row["no_exc_20week_rate"].strip())
    raise AssertionError(f"no row for {code_or_level} {year}")


def test_the_demo_shows_essex_and_england_as_the_sen2_file_gives_them(essex):
    call_command("load_published_statistics", verbosity=0, stdout=None)
    loaded = {(v.area.name, v.period): v.value for v in StatisticValue.objects.filter(
        indicator__column="no_exc_20week_rate", area__name__in=["Essex", "England"])
        .select_related("area")}
    expected = {("Essex", "2019"): "74.2", ("England", "2019"): "60.4",
                ("Essex", "2022"): "10.781", ("England", "2022"): "49.166"}
    for (area, year), figure in expected.items():
        assert loaded[(area, year)] == Decimal(figure)
        assert _file_value("E10000012" if area == "Essex" else "National", year) == \
            Decimal(figure)
    # Essex's three integrated care boards are linked to it.
    assert sorted(essex.local_area.icbs.values_list("name", flat=True)) == [
        "Hertfordshire and West Essex", "Mid and South Essex", "Suffolk and North East Essex"]
