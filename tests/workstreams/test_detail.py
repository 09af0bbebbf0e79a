import datetime as dt
import re

import pytest
from django.urls import reverse

from actions.models import Rag
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    MeasureReadingFactory,
    OutcomeFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    WeaknessFactory,
)
from workstreams.models import WeaknessPoint


@pytest.fixture
def signed_in(client, board_member):
    client.force_login(board_member)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_workstream_page_shows_weakness_outcomes_actions_and_measures(signed_in, plan, jc,
                                                                      period):
    weakness = WeaknessFactory(plan=plan, summary="Joint commissioning")
    WeaknessPoint.objects.create(weakness=weakness, order=1, text="Gaps in speech therapy.")
    jc.weakness = weakness
    jc.save()
    outcome = OutcomeFactory(plan=plan, workstream=jc, what_will_be_different="Shorter waits.")
    measure = MeasureFactory(plan=plan, outcome=outcome, title="ASD wait", baseline=30,
                             target=18)
    MeasureReadingFactory(measure=measure, period=period, value=25)
    ActionFactory(plan=plan, workstream=jc, ref="JC10", ref_number=10, rag=Rag.RED)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.GREEN)

    response = signed_in.get(reverse("workstreams:detail", args=["JC"]))

    text = _text(response)
    assert "Gaps in speech therapy." in text
    assert "Shorter waits." in text
    assert "ASD wait" in text and "Improved" in text
    assert text.index("JC2") < text.index("JC10")


def test_workstream_page_draws_the_rag_history_with_its_numbers(signed_in, plan, jc):
    q3 = ReportingPeriodFactory(plan=plan, label="2020-Q3", start=dt.date(2020, 7, 1),
                                end=dt.date(2020, 9, 30))
    action = ActionFactory(plan=plan, workstream=jc)
    ProgressUpdateFactory(action=action, period=q3, date=dt.date(2020, 8, 1), rag=Rag.AMBER)
    html = signed_in.get(reverse("workstreams:detail", args=["JC"])).content.decode()
    assert 'role="img"' in html
    assert re.search(r"<svg[^>]*aria-labelledby=\"rag-history-title rag-history-desc\"", html)
    assert "<title id=\"rag-history-title\">" in html
    assert "Show the data" in html
    data = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">2020-Q3</th>(.*?)</tr>",
                     html, re.S).group(1)
    assert re.findall(r">(\d+)<", data) == ["0", "0", "1", "0", "0", "1"]


def test_unknown_workstream_is_not_found(signed_in, plan, jc):
    assert signed_in.get(reverse("workstreams:detail", args=["XX"])).status_code == 404


def test_another_plans_workstream_is_not_found(signed_in, plan, jc):
    from tests.factories import PlanFactory, WorkstreamFactory

    other = PlanFactory(slug="zz-other", local_area="ZZ Other")
    WorkstreamFactory(plan=other, code="SEMH")
    assert signed_in.get(reverse("workstreams:detail", args=["SEMH"])).status_code == 404
