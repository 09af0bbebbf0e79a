"""Every named URL x every role. A URL added without a row here fails the suite.

"lead" is the lead of the workstream the URL concerns (JC); "other_lead" leads EHC."""

from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    ActionFactory,
    EvidenceFactory,
    MeasureFactory,
    MilestoneFactory,
    OutcomeFactory,
)

ROLES = ["anonymous", "no_role", "board_member", "lead", "other_lead", "officer", "administrator"]
LOGIN = "login"  # redirected to the sign-in page

READ = {"anonymous": LOGIN, "no_role": 403, "board_member": 200, "lead": 200, "other_lead": 200,
        "officer": 200, "administrator": 200}
EDIT_JC = {**READ, "board_member": 403, "other_lead": 403, "officer": 403}
READINGS_JC = {**EDIT_JC, "officer": 200}
PUBLIC = dict.fromkeys(ROLES, 200)


@dataclass
class Case:
    expect: dict
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)


# kwargs values may name an attribute of the `world` fixture: "@measure.pk".
MATRIX: dict[str, Case] = {
    "login": Case({**PUBLIC, "board_member": 302, "lead": 302, "other_lead": 302,
                   "officer": 302, "administrator": 302, "no_role": 302}),
    "logout": Case({**dict.fromkeys(ROLES, 302)}, method="post"),
    "healthz": Case(PUBLIC),
    "accessibility": Case(PUBLIC),
    "dashboard:home": Case(READ),
    "dashboard:board_pack": Case(READ),
    "dashboard:select_plan": Case({**READ, **dict.fromkeys(
        ["board_member", "lead", "other_lead", "officer", "administrator"], 302)},
        method="post", data={"plan": "test-area"}),
    "workstreams:plan": Case(READ),
    "workstreams:detail": Case(READ, kwargs={"code": "JC"}),
    "actions:list": Case(READ),
    "actions:export_csv": Case(READ),
    "actions:export_xlsx": Case(READ),
    "actions:detail": Case(READ, kwargs={"ref": "JC1"}),
    "actions:update_new": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    "actions:milestone_new": Case(EDIT_JC, kwargs={"ref": "JC1"}),
    "actions:milestone_done": Case({**EDIT_JC, "lead": 302, "administrator": 302},
                                   kwargs={"ref": "JC1", "milestone_id": "@milestone.pk"},
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
    "audit:list": Case({**READ, "other_lead": 200}),
    "audit:export_csv": Case({**READ, "other_lead": 200}),
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
    missing = named_url_patterns() - set(MATRIX)
    assert not missing, f"add these URLs to the authorisation matrix: {sorted(missing)}"
    stale = set(MATRIX) - named_url_patterns()
    assert not stale, f"these matrix rows name no URL: {sorted(stale)}"


@pytest.fixture
def world(plan, jc, ehc, period, board_member, jc_lead, ehc_lead, officer, administrator,
          no_role_user):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    outcome = OutcomeFactory(plan=plan, workstream=jc)
    outcome.actions.add(action)
    measure = MeasureFactory(plan=plan, outcome=outcome)
    milestone = MilestoneFactory(action=action)
    evidence = EvidenceFactory(action=action)
    users = {"no_role": no_role_user, "board_member": board_member, "lead": jc_lead,
             "other_lead": ehc_lead, "officer": officer, "administrator": administrator}
    return type("World", (), {"plan": plan, "action": action, "measure": measure,
                              "period": period, "users": users, "jc": jc,
                              "milestone": milestone, "evidence": evidence})


def resolve_kwargs(kwargs: dict, world) -> dict:
    resolved = {}
    for key, value in kwargs.items():
        if isinstance(value, str) and value.startswith("@"):
            target = world
            for part in value[1:].split("."):
                target = getattr(target, part)
            value = target
        resolved[key] = value
    return resolved


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_authorisation(client, world, name, role):
    case = MATRIX[name]
    if role != "anonymous":
        client.force_login(world.users[role])
    data = case.data(world) if callable(case.data) else case.data
    url = reverse(name, kwargs=resolve_kwargs(case.kwargs, world))
    response = getattr(client, case.method)(url, data)
    expected = case.expect[role]
    if expected == LOGIN:
        assert response.status_code == 302, f"{name} as {role}: {response.status_code}"
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{name} as {role}: {response.status_code}"


@pytest.mark.parametrize("role,expected", [
    ("anonymous", 302), ("no_role", 302), ("board_member", 302), ("lead", 302),
    ("officer", 302), ("administrator", 200)])
def test_admin_is_for_administrators_only(client, world, role, expected):
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == expected
