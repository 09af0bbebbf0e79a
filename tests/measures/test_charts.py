from decimal import Decimal as D

from measures.charts import BOTTOM, HEIGHT, TOP, bar_chart, trend_chart


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
