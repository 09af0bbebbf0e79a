"""Two plans that share their refs (both have JC and JC10): every page, download and audit
view of one shows nothing of the other, for every role that reads it, adviser included."""

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions import services
from actions.models import Rag
from dashboard.models import BoardException
from plans.models import BoardMeeting
from public.models import YouSaidWeDid
from tests.factories import (
    ActionFactory,
    EvidenceFactory,
    MeasureFactory,
    MilestoneFactory,
    OutcomeFactory,
    PackSubmissionFactory,
    ReportingPeriodFactory,
    ReviewMeetingFactory,
    Role,
    UserFactory,
    WeaknessFactory,
    member,
)
from tests.test_authorisation_matrix import PLAN_MATRIX, resolve_kwargs

# Written only into the other plan's records.
SECRET = "Zanzibar-other-plan"
GET_PAGES = sorted(name for name, case in PLAN_MATRIX.items() if case.method == "get")


def _plan_records(plan, jc, marker: str):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC10", ref_number=10,
                           title=f"Joint commissioning strategy {marker}")
    outcome = OutcomeFactory(plan=plan, workstream=jc, outcome=f"Fewer waits {marker}")
    outcome.actions.add(action)
    measure = MeasureFactory(plan=plan, outcome=outcome, title=f"Waiting time {marker}")
    milestone = MilestoneFactory(action=action, title=f"Strategy signed {marker}")
    evidence = EvidenceFactory(action=action, title=f"Board minutes {marker}")
    period = ReportingPeriodFactory(plan=plan)
    lead = member(UserFactory(username=f"lead-{plan.slug}"), plan, Role.LEAD, jc)
    services.progress_update_create(action=action, user=lead, expected_version=action.version,
                                    rag=Rag.RED, narrative=f"Slipped {marker}", period=period,
                                    date=period.start)
    meeting = ReviewMeetingFactory(plan=plan, period=period, feedback=f"Advisers {marker}",
                                   outcome_recorded_at=timezone.now())
    board = BoardMeeting.objects.create(plan=plan, date=timezone.localdate() + dt.timedelta(9))
    exception = BoardException.objects.create(
        plan=plan, meeting=board, action=action, is_red=True, rag=Rag.RED,
        what_went_wrong=f"Provider left {marker}", what_is_being_done="Retendering.",
        board_asked_to="note", commentary_by=lead, commentary_at=timezone.now())
    entry = YouSaidWeDid.objects.create(plan=plan, said=f"Waits are long {marker}",
                                        where=YouSaidWeDid.Where.SURVEY,
                                        did=f"Clinics added {marker}")
    weakness = WeaknessFactory(plan=plan, number=1, summary=f"Joint commissioning {marker}",
                               text=f"Commissioning is weak {marker}")
    return type("Records", (), {"plan": plan, "action": action, "measure": measure,
                                "exception": exception,
                                "milestone": milestone, "evidence": evidence,
                                "new_milestone": milestone, "meeting": meeting,
                                "submission": PackSubmissionFactory(meeting=meeting),
                                "entry": entry, "weakness": weakness})


@pytest.fixture
def two_plans(plan, jc, other_plan, other_jc, board_member, jc_lead, ehc_lead, officer,
              plan_administrator, adviser):
    own = _plan_records(plan, jc, "Essexish")
    _plan_records(other_plan, other_jc, SECRET)
    readers = {"board_member": board_member, "lead": jc_lead, "other_lead": ehc_lead,
               "officer": officer, "plan_administrator": plan_administrator,
               "adviser": adviser}
    return own, readers


def _url(name: str, own) -> str:
    kwargs = resolve_kwargs(PLAN_MATRIX[name].kwargs, own)
    if "ref" in kwargs:
        kwargs["ref"] = "JC10"
    return reverse(name, kwargs={"plan_slug": own.plan.slug, **kwargs})


def _text(response) -> str:
    """What a person would read: the page, or every cell of a download."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(body)):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return " ".join(str(cell) for sheet in workbook for row in sheet.iter_rows(
            values_only=True) for cell in row if cell is not None)
    return body.decode("utf-8", errors="replace")


@pytest.mark.parametrize("role", ["board_member", "lead", "other_lead", "officer",
                                  "plan_administrator", "adviser"])
def test_no_page_of_a_plan_shows_anything_of_another_plan(two_plans, role):
    own, readers = two_plans
    client = Client()
    client.force_login(readers[role])
    shown = []
    for name in GET_PAGES:
        response = client.get(_url(name, own))
        if response.status_code != 200:
            continue
        text = _text(response)
        if SECRET in text:
            shown.append(name)
    assert not shown, f"{role} sees the other plan on {shown}"


def test_the_pages_checked_do_show_their_own_plan(two_plans):
    """The isolation test above would pass on empty pages: these show their own records."""
    own, readers = two_plans
    client = Client()
    client.force_login(readers["adviser"])
    for name in ["dashboard:board_pack", "actions:detail", "actions:export_xlsx",
                 "actions:export_csv", "audit:list", "audit:export_csv", "workstreams:plan",
                 "monitoring:pack", "monitoring:meeting", "dashboard:home"]:
        assert "Essexish" in _text(client.get(_url(name, own))), name
