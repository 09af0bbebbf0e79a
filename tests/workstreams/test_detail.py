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
    Role,
    UserFactory,
    WeaknessFactory,
    WorkstreamFactory,
    member,
)
from workstreams.models import WeaknessPoint


@pytest.fixture
def signed_in(client, board_member):
    client.force_login(board_member)
    return client


def workstream_url(plan, code: str) -> str:
    return reverse("workstreams:detail", kwargs={"plan_slug": plan.slug, "code": code})


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

    response = signed_in.get(workstream_url(plan, "JC"))

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
    html = signed_in.get(workstream_url(plan, "JC")).content.decode()
    assert 'role="img"' in html
    assert re.search(r"<svg[^>]*aria-labelledby=\"rag-history-title rag-history-desc\"", html)
    assert "<title id=\"rag-history-title\">" in html
    assert "Show the data" in html
    data = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">2020-Q3</th>(.*?)</tr>",
                     html, re.S).group(1)
    assert re.findall(r">(\d+)<", data) == ["0", "0", "1", "0", "0", "1"]


def test_unknown_workstream_is_not_found(signed_in, plan, jc):
    assert signed_in.get(workstream_url(plan, "XX")).status_code == 404


def test_another_plans_workstream_is_not_found_at_this_plans_address(signed_in, plan, jc,
                                                                    other_plan):
    WorkstreamFactory(plan=other_plan, code="SEMH")
    assert signed_in.get(workstream_url(plan, "SEMH")).status_code == 404


def test_a_workstream_of_a_plan_the_reader_holds_no_role_in_is_not_found(signed_in, plan, jc,
                                                                         other_jc):
    assert signed_in.get(workstream_url(plan, "JC")).status_code == 200
    assert signed_in.get(workstream_url(other_jc.plan, "JC")).status_code == 404


def test_a_workstream_page_shows_only_its_own_plans_actions(client, plan, jc, other_jc):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, title="Ours to do")
    ActionFactory(plan=other_jc.plan, workstream=other_jc, ref="JC1", ref_number=1,
                  title="Theirs to do")
    reader = member(UserFactory(username="reads-both"), plan, Role.BOARD)
    member(reader, other_jc.plan, Role.BOARD)
    client.force_login(reader)
    ours = _text(client.get(workstream_url(plan, "JC")))
    theirs = _text(client.get(workstream_url(other_jc.plan, "JC")))
    assert "Ours to do" in ours and "Theirs to do" not in ours
    assert "Theirs to do" in theirs and "Ours to do" not in theirs
