import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db.models import ProtectedError
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse

from actions.models import Action, Evidence, ProgressUpdate, Rag
from audit.models import AuditEntry
from measures.models import Measure, MeasureReading
from plans.models import Membership
from tests.factories import (
    ActionFactory,
    EvidenceFactory,
    MeasureFactory,
    MeasureReadingFactory,
    ProgressUpdateFactory,
    Role,
    UserFactory,
    member,
)


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
    data.update(title="Commission a new ASD pathway", change_reason="Retitled by the board")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert entry.changes == {"Title": [action.title, "Commission a new ASD pathway"]}
    assert entry.reason == "Retitled by the board"
    assert entry.actor == administrator
    assert entry.actor_label == "A. Min"
    assert Action.objects.get(pk=action.pk).history.first().history_change_reason == \
        "Retitled by the board"


def test_admin_change_without_a_reason_is_refused(client, administrator, action):
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = admin_form(client, url)
    data.update(title="Retitled", change_reason="")
    entries = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert Action.objects.get(pk=action.pk).title == action.title
    assert AuditEntry.objects.count() == entries


def test_admin_asks_for_a_reason_on_every_plan_data_form(client, administrator, action):
    client.force_login(administrator)
    for name in ("actions_action", "actions_milestone",
                 "measures_measure", "measures_measurereading",
                 "measures_outcome", "workstreams_workstream", "workstreams_organisation",
                 "plans_plan", "plans_localarea", "plans_boardmeeting", "plans_membership",
                 "auth_user"):
        response = client.get(reverse(f"admin:{name}_add"))
        assert "Reason for change" in response.content.decode(), name


def test_plan_data_cannot_be_deleted_in_admin(client, administrator, action):
    client.force_login(administrator)
    response = client.post(reverse("admin:actions_action_delete", args=[action.pk]),
                           {"post": "yes"})
    assert response.status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_admin_membership_grant_is_recorded_with_its_reason(client, administrator, plan):
    person = UserFactory(username="promoted", first_name="Pat", last_name="Row")
    client.force_login(administrator)
    url = reverse("admin:plans_membership_add")
    data = admin_form(client, url)
    data.update(user=str(person.pk), plan=str(plan.pk), role=Role.OFFICER,
                change_reason="Joined the SEND team")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=person, plan=plan)
    assert membership.role == Role.OFFICER
    entry = last_entry()
    assert (entry.object_kind, entry.object_id) == ("membership", str(membership.pk))
    assert entry.object_label == "Officer: P. Row"
    assert entry.change_type == "created"
    assert entry.changes["Role"] == [None, "Officer"]
    assert entry.plan_id == plan.pk
    assert entry.reason == "Joined the SEND team"
    assert entry.actor == administrator


def test_admin_membership_without_a_reason_is_refused(client, administrator, plan):
    person = UserFactory(username="promoted")
    client.force_login(administrator)
    url = reverse("admin:plans_membership_add")
    data = admin_form(client, url)
    data.update(user=str(person.pk), plan=str(plan.pk), role=Role.OFFICER, change_reason="")
    entries = AuditEntry.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert "change_reason" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=person).exists()
    assert AuditEntry.objects.count() == entries


def test_admin_lead_membership_records_its_workstreams_with_the_reason(client, administrator,
                                                                      plan, jc):
    person = UserFactory(username="lead-to-be", first_name="Kim", last_name="Ode")
    client.force_login(administrator)
    url = reverse("admin:plans_membership_add")
    data = admin_form(client, url)
    data.update(user=str(person.pk), plan=str(plan.pk), role=Role.LEAD,
                workstreams=[str(jc.pk)], change_reason="New head of commissioning")
    before = last_entry().sequence

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user=person, plan=plan, role=Role.LEAD)
    assert list(membership.workstreams.all()) == [jc]
    entries = AuditEntry.objects.filter(sequence__gt=before, object_kind="membership")
    assert {entry.reason for entry in entries} == {"New head of commissioning"}
    assert {entry.plan_id for entry in entries} == {plan.pk}
    assert {entry.actor for entry in entries} == {administrator}
    assert entries.get(changes__has_key="Workstreams").changes["Workstreams"] == [
        None, "JC: Joint commissioning"]


def test_admin_membership_change_is_recorded_with_its_reason(client, administrator,
                                                             board_member, plan):
    membership = board_member.memberships.get(plan=plan)
    client.force_login(administrator)
    url = reverse("admin:plans_membership_change", args=[membership.pk])
    data = admin_form(client, url)
    data.update(role=Role.ADVISER, change_reason="Now advises for DfE")

    assert client.post(url, data).status_code == 302
    entry = last_entry()
    assert entry.changes == {"Role": ["Board member", "DfE/NHS England adviser"]}
    assert (entry.plan_id, entry.reason, entry.actor) == (plan.pk, "Now advises for DfE",
                                                          administrator)


def test_removing_a_membership_in_admin_is_recorded(client, administrator, board_member,
                                                     plan):
    membership = board_member.memberships.get(plan=plan)
    client.force_login(administrator)

    response = client.post(reverse("admin:plans_membership_delete", args=[membership.pk]),
                           {"post": "yes"})

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    entry = last_entry()
    assert (entry.object_kind, entry.change_type, entry.plan_id) == ("membership", "deleted",
                                                                     plan.pk)
    assert entry.changes["Role"] == ["Board member", None]
    assert entry.reason == "Revoked in the admin site"
    assert entry.actor == administrator


def test_only_site_administrators_manage_memberships_in_admin(client, plan, board_member):
    # A plan's administrator who may sign in to the admin site still grants no roles there.
    staff = member(UserFactory(username="staff-admin", is_staff=True), plan, Role.ADMIN)
    membership = board_member.memberships.get(plan=plan)
    client.force_login(staff)

    assert client.get(reverse("admin:plans_membership_changelist")).status_code == 403
    assert client.get(reverse("admin:plans_membership_add")).status_code == 403
    assert client.post(reverse("admin:plans_membership_delete", args=[membership.pk]),
                       {"post": "yes"}).status_code == 403
    assert "plans/membership" not in client.get(reverse("admin:index")).content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


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


def last_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-sequence").first()


# --- the action page's rules hold in admin -----------------------------------------------

def test_admin_cannot_change_rag_completed_date_due_dates_or_version(client, administrator,
                                                                       action):
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    page = client.get(url)
    data = form_data(page.context["adminform"].form)
    data.update(rag=Rag.BLUE, completed_date="1/1/2021", original_due_date="1/1/2030",
                current_due_date="1/1/2030", version="99", title="Retitled",
                change_reason="Tidying up")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Action.objects.get(pk=action.pk)
    assert (saved.rag, saved.completed_date) == (Rag.AMBER, None)
    assert (saved.original_due_date, saved.current_due_date) == (dt.date(2021, 3, 31),
                                                                 dt.date(2021, 3, 31))
    assert saved.title == "Retitled"
    assert last_entry().changes == {"Title": [action.title, "Retitled"]}


def test_admin_action_form_says_where_rag_and_due_dates_change(client, administrator, action):
    client.force_login(administrator)

    html = client.get(reverse("admin:actions_action_change", args=[action.pk])).content.decode()

    assert "add a progress update on the action's page" in html
    assert "use ‘Move the due date’ on the action's page" in html
    for name in ("rag", "completed_date", "original_due_date", "current_due_date", "version"):
        assert f'name="{name}"' not in html, name


def test_admin_save_moves_the_version_on_so_a_lead_editing_meanwhile_sees_a_conflict(
        client, administrator, jc_lead, action, period, plan):
    lead = Client()
    lead.force_login(jc_lead)
    update_url = reverse("actions:update_new", kwargs={"plan_slug": plan.slug, "ref": action.ref})
    seen_version = lead.get(update_url).context["form"]["version"].value()
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = admin_form(client, url)
    data.update(title="Retitled", change_reason="Board asked for a clearer title")
    assert client.post(url, data).status_code == 302

    response = lead.post(update_url, {
        "version": seen_version, "rag": Rag.GREEN, "narrative": "Pathway agreed.",
        "period": period.pk, "date": "1/8/2020", "completed_date": ""})

    assert response.status_code == 200
    assert response.context["conflict"] is not None
    saved = Action.objects.get(pk=action.pk)
    assert (saved.rag, saved.version) == (Rag.AMBER, 2)


def test_admin_save_that_changes_nothing_keeps_the_version(client, administrator, action):
    client.force_login(administrator)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = admin_form(client, url)
    data.update(change_reason="Checked, nothing to change")

    assert client.post(url, data).status_code == 302
    assert Action.objects.get(pk=action.pk).version == 1


def test_evidence_cannot_be_added_in_admin(client, administrator, action):
    client.force_login(administrator)

    response = client.post(reverse("admin:actions_evidence_add"), {
        "action": action.pk, "title": "Sneaked in", "url": "https://example.org/",
        "change_reason": "Quicker"})

    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_evidence_file_and_its_type_cannot_be_changed_in_admin(client, administrator, action):
    evidence = EvidenceFactory(action=action, title="Board minutes")
    client.force_login(administrator)
    url = reverse("admin:actions_evidence_change", args=[evidence.pk])
    data = admin_form(client, url)
    data.update(title="Board minutes, March", content_type="text/html",
                change_reason="Clearer title")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Evidence.objects.get(pk=evidence.pk)
    assert (saved.title, saved.content_type) == ("Board minutes, March", "application/pdf")
    assert saved.file.name == evidence.file.name
    assert 'name="file"' not in client.get(url).content.decode()


def test_reading_kind_follows_its_measure_in_admin(client, administrator, plan):
    reading = MeasureReadingFactory(measure=MeasureFactory(plan=plan), value=10)
    percentage = MeasureFactory(plan=plan, outcome=reading.measure.outcome,
                                title="Plans issued in 20 weeks",
                                kind=Measure.Kind.PERCENTAGE, unit="")
    client.force_login(administrator)
    url = reverse("admin:measures_measurereading_change", args=[reading.pk])
    data = admin_form(client, url)
    data.update(kind=Measure.Kind.COUNT, change_reason="Entered against the wrong measure")
    assert client.post(url, data).status_code == 302
    assert MeasureReading.objects.get(pk=reading.pk).kind == Measure.Kind.DURATION

    data.update(measure=percentage.pk)
    assert client.post(url, data).status_code == 302
    assert MeasureReading.objects.get(pk=reading.pk).kind == Measure.Kind.PERCENTAGE


def test_admin_refuses_a_percentage_over_100_with_a_message_naming_the_value(
        client, administrator, plan):
    percentage = MeasureFactory(plan=plan, title="Plans issued in 20 weeks",
                                kind=Measure.Kind.PERCENTAGE, unit="")
    reading = MeasureReadingFactory(measure=percentage, value=60)
    client.force_login(administrator)
    url = reverse("admin:measures_measurereading_change", args=[reading.pk])
    data = admin_form(client, url)
    data.update(value="150", change_reason="Typo in the return")

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The value must be" in str(response.context["adminform"].form.errors["value"])
    assert MeasureReading.objects.get(pk=reading.pk).value == 60


def test_progress_updates_are_added_on_the_action_page_not_in_admin(client, administrator):
    client.force_login(administrator)
    assert client.get(reverse("admin:actions_progressupdate_add")).status_code == 403


def test_admin_cannot_delete_a_progress_update(client, administrator, action):
    update = ProgressUpdateFactory(action=action, rag=Rag.AMBER)
    client.force_login(administrator)
    url = reverse("admin:actions_progressupdate_delete", args=[update.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_admin_can_correct_an_updates_wording_but_not_its_rag_date_or_action(
        client, administrator, action):
    update = ProgressUpdateFactory(action=action, rag=Rag.AMBER, narrative="Waiting list grew")
    other = ActionFactory(plan=action.plan, workstream=action.workstream, ref="JC99",
                          ref_number=99)
    client.force_login(administrator)
    url = reverse("admin:actions_progressupdate_change", args=[update.pk])
    data = admin_form(client, url)
    data.update(narrative="Waiting list grew by 40", rag=Rag.GREEN, action=other.pk,
                date="2030-01-01", change_reason="Figure added")

    assert client.post(url, data).status_code == 302
    update.refresh_from_db()
    assert (update.narrative, update.rag, update.action_id) == (
        "Waiting list grew by 40", Rag.AMBER, action.pk)
    assert update.date != dt.date(2030, 1, 1)


def test_admin_offers_no_per_user_permissions_or_groups(client, administrator):
    person = UserFactory(username="someone")
    client.force_login(administrator)
    page = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert 'name="user_permissions"' not in page
    # Roles are memberships of a plan (Plans > Memberships), not groups.
    assert 'name="groups"' not in page


# --- accounts ----------------------------------------------------------------------------

@pytest.mark.parametrize("field,label,before,after", [
    ("is_superuser", "Superuser status", "No", "Yes"),
    ("is_staff", "Staff status", "No", "Yes"),
    ("is_active", "Active", "Yes", "No"),
])
def test_ticking_a_status_in_admin_is_recorded_with_its_reason(client, administrator, field,
                                                              label, before, after):
    person = UserFactory(username="promoted", first_name="Pat", last_name="Row")
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[person.pk])
    data = admin_form(client, url)
    data[field] = after == "Yes"
    if after == "No":
        data.pop(field)
    data["change_reason"] = "Agreed by the head of SEND"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = last_entry()
    assert (entry.object_kind, entry.object_id, entry.object_label) == (
        "account", str(person.pk), "P. Row")
    assert entry.changes == {label: [before, after]}
    assert entry.reason == "Agreed by the head of SEND"
    assert entry.actor == administrator
    assert entry.plan_id is None


def test_adding_an_account_in_admin_is_recorded_with_its_reason(client, administrator):
    client.force_login(administrator)
    url = reverse("admin:auth_user_add")
    data = admin_form(client, url)
    data.update(username="newstarter", password1="a long new passphrase",
                password2="a long new passphrase", change_reason="New SEND officer")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person = User.objects.get(username="newstarter")
    entry = AuditEntry.objects.get(object_kind="account", change_type="created",
                                   object_id=str(person.pk))
    assert entry.reason == "New SEND officer"
    assert entry.actor == administrator
    assert entry.change_lines == ["Account ‘newstarter’ added"]
    assert "Password" not in entry.changes


def test_signing_in_leaves_no_account_history(client, officer):
    rows = officer.history.count()
    entries = AuditEntry.objects.count()

    client.force_login(officer)

    assert officer.history.count() == rows
    assert AuditEntry.objects.count() == entries


def test_account_history_page_opens_in_admin(client, administrator, officer):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_history", args=[officer.pk]))
    assert response.status_code == 200


def test_the_admin_offers_no_groups_for_they_grant_nothing(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("admin:index")).content.decode()

    assert "/admin/auth/group/" not in page
    assert "/admin/plans/membership/" in page


@pytest.mark.parametrize("role,which,message", [
    (Role.LEAD, "other", "JC is not a workstream of Test Area"),
    (Role.LEAD, "none", "Name the workstreams a lead leads"),
    (Role.BOARD, "own", "Only a workstream lead leads workstreams"),
])
def test_admin_membership_workstreams_must_fit_the_role_and_the_plan(
        client, administrator, plan, jc, other_jc, role, which, message):
    person = UserFactory(username="promoted")
    client.force_login(administrator)
    url = reverse("admin:plans_membership_add")
    data = admin_form(client, url)
    picked = {"other": [str(other_jc.pk)], "own": [str(jc.pk)], "none": []}[which]
    data.update(user=str(person.pk), plan=str(plan.pk), role=role, workstreams=picked,
                change_reason="Joined")

    response = client.post(url, data)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors["workstreams"])
    assert not Membership.objects.filter(user=person).exists()


def test_admin_names_each_workstream_with_its_plan(client, administrator, plan, jc, other_jc):
    client.force_login(administrator)

    page = client.get(reverse("admin:plans_membership_add")).content.decode()

    assert "Test Area: JC: Joint commissioning" in page
    assert "Other Area: JC: Joint commissioning" in page


def test_a_closed_plans_records_are_read_only_in_admin_but_the_plan_can_reopen(
        client, administrator, plan, action):
    from plans.models import Plan

    plan.status = Plan.Status.CLOSED
    plan.save()
    client.force_login(administrator)

    action_page = client.get(reverse("admin:actions_action_change", args=[action.pk]))
    refused = client.post(reverse("admin:actions_action_change", args=[action.pk]),
                          {"title": "Retitled", "change_reason": "Tidy"})
    plan_page = client.get(reverse("admin:plans_plan_change", args=[plan.pk]))

    assert action_page.status_code == 200
    assert 'name="title"' not in action_page.content.decode()
    assert refused.status_code == 403
    assert 'name="status"' in plan_page.content.decode()
