"""Every named URL x every role x (the role's own plan, another plan). A URL added without a
row here fails the suite.

Two plans share their refs (each has JC and JC1). Each persona holds a role in `plan` only,
except "site_administrator" (a superuser: every plan) and "lead_elsewhere", who leads JC in
the other plan and is a board member here. "lead" leads JC here; "other_lead" leads EHC."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

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

ROLES = ["anonymous", "no_role", "board_member", "lead", "other_lead", "officer",
         "plan_administrator", "site_administrator", "adviser", "lead_elsewhere"]
LOGIN = "login"  # redirected to the sign-in page

READ = {"anonymous": LOGIN, "no_role": 404, "board_member": 200, "lead": 200,
        "other_lead": 200, "officer": 200, "plan_administrator": 200,
        "site_administrator": 200, "adviser": 200, "lead_elsewhere": 200}
EDIT_JC = {**READ, "board_member": 403, "other_lead": 403, "officer": 403, "adviser": 403,
           "lead_elsewhere": 403}
READINGS_JC = {**EDIT_JC, "officer": 200}
# Closing periods, review meetings and sending packs: officers and administrators.
MONITOR = {**READ, "board_member": 403, "lead": 403, "other_lead": 403, "adviser": 403,
           "lead_elsewhere": 403}
REOPEN = {**MONITOR, "officer": 403}
AUDIT = READ
# Officers and administrators bring returns into their plan.
IMPORT = {**READ, "board_member": 403, "lead": 403, "other_lead": 403, "adviser": 403,
          "lead_elsewhere": 403}
# The public page as it would be with its drafts published: board members, officers and
# administrators; writing and publishing it: officers and administrators.
PREVIEW = {**READ, "lead": 403, "other_lead": 403, "adviser": 403}
PUBLISH = {**PREVIEW, "board_member": 403, "lead_elsewhere": 403}
PUBLIC = dict.fromkeys(ROLES, 200)
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


def in_the_other_plan(own: dict) -> dict:
    """What each role gets at the same address in the other plan: nothing shows that the
    plan exists (404) unless the role is held there too."""
    other = {role: 404 for role in ROLES}
    other["anonymous"] = LOGIN
    other["site_administrator"] = own["site_administrator"]
    # Leads JC there, holds no other role there.
    other["lead_elsewhere"] = own["lead"]
    return other


@dataclass
class Case:
    expect: dict
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)


# kwargs values may name an attribute of the plan's world: "@measure.pk".
PLAN_MATRIX: dict[str, Case] = {
    "dashboard:home": Case(READ),
    "dashboard:board_pack": Case(READ),
    "dashboard:board_meeting_new": Case({**READ, "board_member": 403, "lead": 403,
                                         "other_lead": 403, "adviser": 403,
                                         "lead_elsewhere": 403}),
    "dashboard:exception_commentary": Case(EDIT_JC, kwargs={"exception_id": "@exception.pk"}),
    "workstreams:plan": Case(READ),
    "workstreams:detail": Case(READ, kwargs={"code": "JC"}),
    "actions:list": Case(READ),
    # Every reader may look; it lists something only for a lead.
    "your_actions": Case(READ),
    "reminders:sent": Case({**READ, "board_member": 403, "lead": 403, "other_lead": 403,
                            "adviser": 403, "lead_elsewhere": 403}),
    # Every member chooses their own reminders.
    "reminders:choice": Case(READ),
    "actions:export_csv": Case(READ),
    "actions:export_xlsx": Case(READ),
    "actions:detail": Case(READ, kwargs={"ref": "JC1"}),
    "actions:update_new": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    "actions:milestone_new": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    # Each role is sent a milestone of its own, still to be done.
    "actions:milestone_done": Case({**EDIT_JC, "lead": 302, "plan_administrator": 302,
                                    "site_administrator": 302},
                                   kwargs={"ref": "JC1", "milestone_id": "@new_milestone.pk"},
                                   method="post"),
    "actions:due_date": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    "actions:evidence_new": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    "actions:evidence_download": Case(READ, kwargs={"ref": "JC1",
                                                    "evidence_id": "@evidence.pk"}),
    "measures:list": Case(READ),
    "measures:detail": Case(READ, kwargs={"measure_id": "@measure.pk"}),
    "measures:variation": Case(READ),
    "measures:reading_new": Case(READINGS_JC, kwargs={"measure_id": "@measure.pk"}),
    "measures:readings_template": Case(READINGS_JC, kwargs={"measure_id": "@measure.pk"}),
    "measures:readings_upload": Case(READINGS_JC, kwargs={"measure_id": "@measure.pk"}),
    "measures:milestone_target": Case(READINGS_JC, kwargs={"measure_id": "@measure.pk"}),
    "statistics:list": Case(READ),
    "statistics:comparator": Case(READINGS_JC, kwargs={"measure_id": "@measure.pk"}),
    "audit:list": Case(AUDIT),
    "audit:export_csv": Case(AUDIT),
    "monitoring:home": Case(READ),
    "monitoring:pack": Case(READ, kwargs={"period_slug": "2020-21-Q2"}),
    "monitoring:period_close": Case(MONITOR, kwargs={"period_slug": "2020-21-Q2"}),
    "monitoring:period_reopen": Case(REOPEN, kwargs={"period_slug": "2020-21-Q2"}),
    "monitoring:meeting_new": Case(MONITOR),
    "monitoring:meeting": Case(READ, kwargs={"meeting_id": "@meeting.pk"}),
    # The period is open, so the pack is refused with a message on the meeting's page.
    "monitoring:meeting_submit": Case({**MONITOR, **dict.fromkeys(
        ["officer", "plan_administrator", "site_administrator"], 302)},
        kwargs={"meeting_id": "@meeting.pk"}, method="post"),
    "monitoring:submitted_pack": Case(READ, kwargs={"meeting_id": "@meeting.pk",
                                                    "submission_id": "@submission.pk"}),
    "monitoring:meeting_outcome": Case(MONITOR, kwargs={"meeting_id": "@meeting.pk"}),
    "monitoring:meeting_letter": Case(READ, kwargs={"meeting_id": "@meeting.pk"}),
    "imports:returns_upload": Case(IMPORT),
    # Nothing uploaded yet: those allowed are sent to the upload page.
    "imports:returns_check": Case({**IMPORT, "officer": 302, "plan_administrator": 302,
                                   "site_administrator": 302}),
    "publishing:manage": Case(PREVIEW),
    "publishing:preview": Case(PREVIEW),
    "publishing:settings": Case(PUBLISH),
    "publishing:summary_edit": Case(PUBLISH, kwargs={"ref": "JC1"}),
    "publishing:finding_edit": Case(PUBLISH, kwargs={"number": "@weakness.number"}),
    "publishing:entry_new": Case(PUBLISH),
    "publishing:entry_edit": Case(PUBLISH, kwargs={"entry_id": "@entry.pk"}),
    "publishing:publish": Case(PUBLISH, kwargs={"kind": "measures", "key": "@measure.pk"}),
    "publishing:withdraw": Case(PUBLISH, kwargs={"kind": "actions", "key": "JC1"}),
}

# Addresses that belong to no plan.
SITE_MATRIX: dict[str, Case] = {
    "login": Case({**PUBLIC, **dict.fromkeys(SIGNED_IN, 302)}),
    # Signing out ends at the sign-in page.
    "logout": Case(dict.fromkeys(ROLES, LOGIN), method="post"),
    "healthz": Case(PUBLIC),
    "accessibility": Case(PUBLIC),
    # The plan's public page, for families: open to everyone.
    "public:page": Case(PUBLIC, kwargs={"plan_slug": "test-area"}),
    "public:embed": Case(PUBLIC, kwargs={"plan_slug": "test-area"}),
    "public:json": Case(PUBLIC, kwargs={"plan_slug": "test-area"}),
    # One plan: straight to it; none: a page that says so; two: the list.
    "plans": Case({**dict.fromkeys(SIGNED_IN, 302), "anonymous": LOGIN, "no_role": 200,
                   "site_administrator": 200, "lead_elsewhere": 200}),
    # A new plan: site administrators only, as no plan can give the right yet.
    "new_plan_upload": Case({**dict.fromkeys(SIGNED_IN, 403), "anonymous": LOGIN,
                             "site_administrator": 200}),
    "new_plan_check": Case({**dict.fromkeys(SIGNED_IN, 403), "anonymous": LOGIN,
                            "site_administrator": 302}),
    "old_address": Case({**dict.fromkeys(SIGNED_IN, 301), "anonymous": LOGIN},
                        kwargs={"rest": "actions/JC1/"}),
}


def named_url_patterns(patterns=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= named_url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_named_url_is_in_the_matrix():
    listed = set(PLAN_MATRIX) | set(SITE_MATRIX)
    missing = named_url_patterns() - listed
    assert not missing, f"add these URLs to the authorisation matrix: {sorted(missing)}"
    stale = listed - named_url_patterns()
    assert not stale, f"these matrix rows name no URL: {sorted(stale)}"


def _plan_world(plan, jc):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    outcome.actions.add(action)
    measure = MeasureFactory(plan=plan, outcome=outcome)
    meeting = ReviewMeetingFactory(plan=plan,
                                   period=ReportingPeriodFactory(plan=plan, label="2020-Q3"))
    board_meeting = BoardMeeting.objects.create(plan=plan,
                                                date=timezone.localdate() + dt.timedelta(30))
    exception = BoardException.objects.create(plan=plan, meeting=board_meeting, action=action,
                                              is_red=True)
    return type("PlanWorld", (), {
        "plan": plan, "action": action, "measure": measure, "exception": exception,
        "new_milestone": property(lambda self: MilestoneFactory(action=action)),
        "evidence": EvidenceFactory(action=action), "meeting": meeting,
        "submission": PackSubmissionFactory(meeting=meeting),
        "weakness": WeaknessFactory(plan=plan, number=1, summary="Joint commissioning"),
        "entry": YouSaidWeDid.objects.create(plan=plan, said="Waits are too long.",
                                             where=YouSaidWeDid.Where.SURVEY,
                                             did="We added clinics.")})()


@pytest.fixture
def world(plan, jc, ehc, period, other_plan, other_jc, board_member, jc_lead, ehc_lead,
          officer, plan_administrator, adviser, no_role_user):
    site_administrator = UserFactory(username="site-administrator", is_superuser=True,
                                     is_staff=True)
    lead_elsewhere = member(member(UserFactory(username="lead-elsewhere"), plan, Role.BOARD),
                            other_plan, Role.LEAD, other_jc)
    users = {"no_role": no_role_user, "board_member": board_member, "lead": jc_lead,
             "other_lead": ehc_lead, "officer": officer,
             "plan_administrator": plan_administrator,
             "site_administrator": site_administrator, "adviser": adviser,
             "lead_elsewhere": lead_elsewhere}
    return type("World", (), {"own": _plan_world(plan, jc),
                              "other": _plan_world(other_plan, other_jc), "users": users})


def resolve_kwargs(kwargs: dict, plan_world) -> dict:
    resolved = {}
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("@"):
            target = plan_world
            for part in value[1:].split("."):
                target = getattr(target, part)
            value = target
        resolved[key] = value
    return resolved


def _outcome(world, role: str, case: Case, url: str):
    """What the role gets: LOGIN, or the status code."""
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    response = getattr(client, case.method)(url, case.data)
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


def _mismatches(world, case: Case, url) -> list[str]:
    """Every role whose answer differs from the matrix: all roles are tried, so one run
    lists every hole, not just the first. `url` is made afresh for each role."""
    return [f"{role}: expected {case.expect[role]}, got {got}" for role in ROLES
            if (got := _outcome(world, role, case, url())) != case.expect[role]]


@pytest.mark.parametrize("which", ["own plan", "other plan"])
@pytest.mark.parametrize("name", sorted(PLAN_MATRIX))
def test_plan_page_authorisation(world, name, which):
    case = PLAN_MATRIX[name]
    plan_world = world.own if which == "own plan" else world.other
    expect = case.expect if which == "own plan" else in_the_other_plan(case.expect)
    case = Case(expect, case.kwargs, case.method, case.data)
    def url() -> str:
        return reverse(name, kwargs={"plan_slug": plan_world.plan.slug,
                                     **resolve_kwargs(case.kwargs, plan_world)})

    assert not _mismatches(world, case, url), f"{name} in the {which}"


@pytest.mark.parametrize("name", sorted(SITE_MATRIX))
def test_site_page_authorisation(world, name):
    case = SITE_MATRIX[name]
    assert not _mismatches(world, case, lambda: reverse(name, kwargs=case.kwargs)), name


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("no_role", 302), ("board_member", 302), ("lead", 302),
    ("officer", 302), ("plan_administrator", 302), ("adviser", 302),
    ("site_administrator", 200)])
def test_admin_is_for_site_administrators_only(client, world, role, expected):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == expected
