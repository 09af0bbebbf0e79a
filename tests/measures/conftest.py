import datetime as dt

import pytest

from measures.models import Measure
from tests.factories import AreaFactory, MeasureFactory, OutcomeFactory, ReportingPeriodFactory

CCG_AREAS = ["Basildon and Brentwood", "Castle Point and Rochford", "Mid Essex",
             "North East Essex", "West Essex"]


@pytest.fixture
def ccg_areas(plan):
    return [AreaFactory(plan=plan, name=name, breakdown="ccg", order=index)
            for index, name in enumerate(CCG_AREAS, start=1)]


@pytest.fixture
def outcome(plan, jc):
    return OutcomeFactory(plan=plan, workstream=jc)


@pytest.fixture
def waiting_time(plan, outcome, ccg_areas):
    """Lower is better, reported by CCG area, as the inspection's first finding asks."""
    return MeasureFactory(plan=plan, outcome=outcome, title="Waiting time",
                          kind=Measure.Kind.DURATION, unit="weeks",
                          direction=Measure.Direction.LOWER,
                          area_breakdown=Measure.AreaBreakdown.CCG, baseline=28, target=18)


@pytest.fixture
def q4(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                  end=dt.date(2020, 12, 31))


def make_measure(plan, outcome, kind, **extra):
    return MeasureFactory(plan=plan, outcome=outcome, kind=kind, title=f"A {kind}",
                          unit=extra.pop("unit", ""), direction=extra.pop("direction", "higher"),
                          **extra)
