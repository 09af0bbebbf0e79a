from decimal import Decimal as D
from types import SimpleNamespace

from measures.models import Measure
from measures.templatetags.measures import since_first_reading


def _reading(pk: int, value: str, name: str) -> SimpleNamespace:
    return SimpleNamespace(pk=pk, value=D(value), period=SimpleNamespace(financial_quarter=name))


def _measure(kind: str, unit: str, first, latest) -> SimpleNamespace:
    return SimpleNamespace(kind=kind, unit=unit, first_reading=first, latest_reading=latest)


def test_the_board_pack_says_how_a_measure_moved_since_its_first_reading():
    q3, q4 = _reading(1, "28.00", "2020-21 Q2"), _reading(2, "21.50", "2020-21 Q3")
    duration = Measure.Kind.DURATION
    assert since_first_reading(_measure(duration, "weeks", q3, q4)) == (
        "Down 6.5 weeks from 28 weeks in 2020-21 Q2")
    assert since_first_reading(_measure(duration, "weeks", q4, q3)) == (
        "Up 6.5 weeks from 21.5 weeks in 2020-21 Q3")
    assert since_first_reading(_measure(Measure.Kind.PERCENTAGE, "", _reading(1, "40", "Q1"),
                                        _reading(2, "41", "Q2"))) == (
        "Up 1 percentage point from 40% in Q1")
    assert since_first_reading(_measure(duration, "weeks", q3, _reading(3, "28", "2020-21 Q4"))
                               ) == "Unchanged since 2020-21 Q2 (28 weeks)"
    assert since_first_reading(_measure(duration, "weeks", q3, q3)) == (
        "One reading so far, in 2020-21 Q2")
    assert since_first_reading(_measure(duration, "weeks", None, None)) == "No reading yet"
