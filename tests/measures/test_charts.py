import datetime as dt
from decimal import Decimal as D

from django.urls import reverse

from govuk.charts import text_width
from measures.charts import BOTTOM, HEIGHT, TOP, bar_chart, trend_chart
from tests.factories import MeasureReadingFactory, ReportingPeriodFactory
from tests.svg import (
    assert_chart_reads_at_body_size,
    assert_charts_scroll_in_their_own_region,
    svgs_of,
)


def drawn_inside(chart) -> bool:
    levels = [p.y for p in chart["points"]] + [chart["baseline"].y, chart["target"].y]
    return all(TOP <= y <= HEIGHT - BOTTOM for y in levels)


def test_trend_chart_draws_negative_values_inside_its_axis():
    chart = trend_chart([("2020-Q3", D("-3")), ("2020-Q4", D("5"))], D("-12"), D("10"))
    assert drawn_inside(chart)
    labels = [tick.label for tick in chart["ticks"]]
    assert labels[0] == "-20" and "0" in labels and labels[-1] == "10"
    low, high = chart["points"]
    assert low.y > high.y > chart["target"].y
    zero = next(tick for tick in chart["ticks"] if tick.label == "0")
    assert chart["baseline"].y > low.y > zero.y > high.y


def test_trend_chart_of_negative_values_only_tops_out_at_zero():
    chart = trend_chart([("2020-Q3", D("-3")), ("2020-Q4", D("-1"))], None, None)
    assert all(TOP <= p.y <= HEIGHT - BOTTOM for p in chart["points"])
    assert chart["ticks"][-1].label == "0"


def test_trend_chart_of_positive_values_starts_at_zero():
    chart = trend_chart([("2020-Q3", D("20")), ("2020-Q4", D("22"))], D("28"), D("18"))
    assert drawn_inside(chart)
    assert [tick.label for tick in chart["ticks"]] == ["0", "12.5", "25", "37.5", "50"]


def test_bar_chart_never_draws_a_negative_width_and_still_states_the_value():
    chart = bar_chart([("Mid Essex", D("-2")), ("West Essex", D("4")), ("North East", None)])
    widths = [bar.width for bar in chart["bars"]]
    assert widths[0] == 0 and widths[1] > 0 and widths[2] == 0
    assert [bar.value for bar in chart["bars"]] == ["-2", "4", "no value"]


def test_bar_chart_of_negative_values_only_draws_no_bars():
    chart = bar_chart([("Mid Essex", D("-2")), ("West Essex", D("-4"))])
    assert [bar.width for bar in chart["bars"]] == [0, 0]


def test_a_long_trend_widens_the_chart_rather_than_crowding_its_period_labels():
    series = [(f"{2020 + n // 4}-Q{n % 4 + 1}", D(n)) for n in range(27)]
    chart = trend_chart(series, D("3"), D("20"))
    labelled = [point for index, point in enumerate(chart["points"])
                if index % chart["label_every"] == 0]
    gaps = [b.x - a.x for a, b in zip(labelled, labelled[1:], strict=False)]
    assert min(gaps) >= text_width("2020-Q1")
    assert labelled[0].x - text_width("2020-Q1") / 2 >= 0
    assert labelled[-1].x + text_width("2026-Q3") / 2 <= chart["width"]


def test_baseline_and_target_labels_sit_on_either_side_of_lines_close_together():
    chart = trend_chart([("2020-Q3", D("20")), ("2020-Q4", D("22"))], D("21"), D("20"))
    upper, lower = sorted([(chart["baseline"].y, chart["baseline_dy"]),
                           (chart["target"].y, chart["target_dy"])])
    assert upper[1] < 0 < lower[1]


def test_area_names_fit_left_of_the_bars():
    chart = bar_chart([("Castle Point and Rochford", D("9")), ("West Essex", D("28"))])
    assert chart["label_x"] - text_width("Castle Point and Rochford") >= 0
    widest = max(bar.text_x + text_width(bar.value) for bar in chart["bars"])
    assert widest <= chart["width"]


def test_measure_charts_text_is_body_size_at_any_width(client, board_member, plan,
                                                       waiting_time, ccg_areas):
    # Drawn with width="100%", the charts shrank to fit a 320 px screen, 13 px labels to 6 px.
    for n in range(12):
        start = dt.date(2020 + n // 4, n % 4 * 3 + 1, 1)
        period = ReportingPeriodFactory(plan=plan, label=f"{start.year}-Q{n % 4 + 1}",
                                        start=start, end=start + dt.timedelta(days=80))
        MeasureReadingFactory(measure=waiting_time, period=period, value=20 + n)
        for index, area in enumerate(ccg_areas):
            MeasureReadingFactory(measure=waiting_time, period=period, area=area,
                                  value=10 + index)
    client.force_login(board_member)
    html = client.get(reverse("measures:detail", kwargs={
        "plan_slug": plan.slug, "measure_id": waiting_time.pk})).content.decode()
    trend, variation = svgs_of(html)
    assert_chart_reads_at_body_size(trend)
    assert_chart_reads_at_body_size(variation)
    assert_charts_scroll_in_their_own_region(html)
