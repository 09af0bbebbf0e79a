import datetime as dt
from decimal import Decimal as D

import pytest

from measures.status import MeasureStatus, measure_status

S = MeasureStatus


@pytest.mark.parametrize("latest,expected", [
    (D("20"), S.IMPROVED),    # waits fell from 28 weeks
    (D("28"), S.NO_CHANGE),
    (D("31.5"), S.WORSE),     # waits grew
    (D("18"), S.ON_TARGET),   # at the 18-week target
    (D("12"), S.ON_TARGET),   # better than the target
])
def test_lower_is_better_waiting_time(latest, expected):
    assert measure_status(kind="duration", direction="lower", baseline=D("28"),
                          target=D("18"), latest=latest) == expected


@pytest.mark.parametrize("latest,expected", [
    (D("61"), S.IMPROVED),
    (D("55"), S.NO_CHANGE),
    (D("54.9"), S.WORSE),
    (D("80"), S.ON_TARGET),
    (D("95"), S.ON_TARGET),
])
def test_higher_is_better_percentage(latest, expected):
    assert measure_status(kind="percentage", direction="higher", baseline=D("55"),
                          target=D("80"), latest=latest) == expected


def test_no_reading_comes_first():
    assert measure_status(kind="number", direction="higher", baseline=None, target=None,
                          latest=None) == S.NO_READING


def test_no_baseline_published_unless_the_target_is_met():
    assert measure_status(kind="duration", direction="lower", baseline=None, target=D("6"),
                          latest=D("9")) == S.NO_BASELINE
    assert measure_status(kind="duration", direction="lower", baseline=None, target=D("6"),
                          latest=D("5")) == S.ON_TARGET


def test_without_a_direction_the_target_gives_it():
    # Target above the baseline: higher is better.
    assert measure_status(kind="number", direction="none", baseline=D("10"), target=D("20"),
                          latest=D("12")) == S.IMPROVED
    assert measure_status(kind="number", direction="none", baseline=D("10"), target=D("20"),
                          latest=D("8")) == S.WORSE


def test_without_direction_or_target_a_change_is_not_judged():
    assert measure_status(kind="number", direction="none", baseline=D("10"), target=None,
                          latest=D("14")) == S.NO_CHANGE


def test_deliverable_on_target_when_delivered_by_the_target_date():
    due = dt.date(2021, 8, 1)
    assert measure_status(kind="deliverable", direction="none", baseline=None, target=None,
                          latest=D(1), target_date=due,
                          achieved_on=dt.date(2021, 7, 1)) == S.ON_TARGET
    assert measure_status(kind="deliverable", direction="none", baseline=None, target=None,
                          latest=D(1), target_date=due,
                          achieved_on=dt.date(2021, 9, 1)) == S.IMPROVED
    assert measure_status(kind="deliverable", direction="none", baseline=None, target=None,
                          latest=D(0), target_date=due, today=dt.date(2021, 9, 1)) == S.WORSE
    assert measure_status(kind="deliverable", direction="none", baseline=None, target=None,
                          latest=D(0), target_date=due, today=dt.date(2021, 7, 1)) == S.NO_CHANGE
