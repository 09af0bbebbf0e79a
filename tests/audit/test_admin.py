import pytest
from django.contrib.auth.models import Group, User
from django.db.models import ProtectedError
from django.forms import MultiWidget
from django.urls import reverse

from accounts.roles import Role
from actions.models import Action, Rag
from audit.models import AuditEntry
from tests.factories import ActionFactory, UserFactory


def form_data(form) -> dict:
    """What a browser would send back for the admin form as the page shows it."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(bound.field.widget, MultiWidget):
            for index, part in enumerate(bound.field.widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[bound.html_name] = value
    return data


def admin_form(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return form_data(response.context["adminform"].form)


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.AMBER)


def test_admin_change_records_the_reason_given(client, administrator, action):
    administrator.first_name, administrator.last_name = "Ada", "Min"
    administrator.save()
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = admin_form(client, url)
    data.update(rag=Rag.RED, change_reason="Funding withdrawn")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.changes == {"RAG": ["Amber", "Red"]}
    assert entry.reason == "Funding withdrawn"
    assert entry.actor == administrator
    assert entry.actor_label == "A. Min"
    assert Action.objects.get(pk=action.pk).history.first().history_change_reason == \
        "Funding withdrawn"


def test_admin_change_without_a_reason_is_refused(client, administrator, action):
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = admin_form(client, url)
    data.update(rag=Rag.RED, change_reason="")
    entries = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert Action.objects.get(pk=action.pk).rag == Rag.AMBER
    assert AuditEntry.objects.count() == entries


def test_admin_asks_for_a_reason_on_every_plan_data_form(client, administrator, action):
    client.force_login(administrator)
    for name in ("actions_action", "actions_milestone", "actions_progressupdate",
                 "actions_evidence", "measures_measure", "measures_measurereading",
                 "measures_outcome", "workstreams_workstream", "workstreams_organisation",
                 "workstreams_plan"):
        response = client.get(reverse(f"admin:{name}_add"))
        assert "Reason for change" in response.content.decode(), name


def test_plan_data_cannot_be_deleted_in_admin(client, administrator, action):
    client.force_login(administrator)
    response = client.post(reverse("admin:actions_action_delete", args=[action.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_admin_role_change_is_recorded_with_its_reason(client, administrator):
    person = UserFactory(username="promoted", first_name="Pat", last_name="Row")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[person.pk])
    data = admin_form(client, url)
    data.update(groups=[str(Group.objects.get(name=Role.OFFICER).pk)],
                change_reason="Joined the SEND team")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.object_kind == "user role"
    assert entry.changes == {"Roles": [None, "Officer"]}
    assert entry.reason == "Joined the SEND team"
    assert entry.actor == administrator


def test_audit_entries_are_read_only_in_admin(client, administrator, action):
    client.force_login(administrator)
    entry = AuditEntry.objects.first()
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]),
                       {"reason": "rewritten"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]),
                       {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).reason == entry.reason


def test_accounts_that_made_changes_are_deactivated_not_deleted(client, administrator, jc_lead,
                                                               action):
    action.rag = Rag.GREEN
    action._history_user = jc_lead
    action.save()
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_user_delete", args=[jc_lead.pk]), {"post": "yes"})
    assert response.status_code == 403
    with pytest.raises(ProtectedError):
        jc_lead.delete()
    assert User.objects.filter(pk=jc_lead.pk).exists()
