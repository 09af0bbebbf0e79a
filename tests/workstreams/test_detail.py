import datetime as dt
import html
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
from tests.svg import (
    assert_chart_reads_at_body_size,
    assert_charts_scroll_in_their_own_region,
    svgs_of,
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
    data = re.search(r"<th scope=\"row\" class=\"govuk-table__header\">2020-21 Q2</th>(.*?)</tr>",
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


def test_workstream_page_states_each_outcome_once_after_its_actions(client, essex):
    # The published outcomes table writes JC's one outcome over twelve rows of "what will be
    # different", each an Outcome here: the page said the same paragraph twelve times.
    client.force_login(member(UserFactory(username="essex-reader"), essex, Role.BOARD))
    text = html.unescape(_text(client.get(workstream_url(essex, "JC"))))
    rows = list(essex.outcomes.filter(workstream__code="JC"))
    assert len(rows) == 12
    for outcome in {row.outcome for row in rows}:
        assert text.count(" ".join(outcome.split())) == 1, outcome[:60]
    for row in rows:
        assert " ".join(row.what_will_be_different.split()) in text
    assert text.index("Actions of workstream JC") < text.index("Outcomes ")
    assert text.index("Outcomes ") < text.index("Outcome measures of workstream JC")
    assert text.index("Outcome measures of workstream JC") < text.index("RAG history")


def test_rag_history_chart_text_is_body_size_at_any_width(signed_in, plan, jc):
    # Drawn with width="100%", the chart shrank to fit a 320 px screen and its labels with it.
    action = ActionFactory(plan=plan, workstream=jc)
    for year in range(2020, 2027):
        for quarter, month in enumerate((1, 4, 7, 10), start=1):
            start = dt.date(year, month, 1)
            period = ReportingPeriodFactory(plan=plan, label=f"{year}-Q{quarter}", start=start,
                                            end=start + dt.timedelta(days=80))
            ProgressUpdateFactory(action=action, period=period, date=start, rag=Rag.AMBER)
    html = signed_in.get(workstream_url(plan, "JC")).content.decode()
    (chart,) = svgs_of(html)
    assert_chart_reads_at_body_size(chart)
    assert_charts_scroll_in_their_own_region(html)
    assert "Show the data" in html
