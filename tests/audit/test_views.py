import datetime as dt

import pytest
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Rag
from audit.context import acting_as
from audit.models import AuditEntry
from audit.selectors import entries_for_action
from audit.wording import import_label
from tests.downloads import csv_table
from tests.factories import ActionFactory, MilestoneFactory, Role, UserFactory, member


@pytest.fixture
def jc_action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)


@pytest.fixture
def ehc_action(plan, ehc):
    return ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.AMBER)


def audit_url(name: str, plan) -> str:
    return reverse(f"audit:{name}", kwargs={"plan_slug": plan.slug})


def csv_rows(response) -> list[list[str]]:
    return csv_table(b"".join(response.streaming_content if response.streaming else
                              [response.content]))


def test_board_member_sees_every_change(client, board_member, jc_action, ehc_action, plan):
    client.force_login(board_member)
    response = client.get(audit_url("list", plan))
    assert response.status_code == 200
    refs = {row.record.action_ref for row in response.context["table"].paginated_rows}
    assert {"JC1", "EHC1"} <= refs


def test_lead_sees_only_the_changes_to_their_own_workstreams(client, jc_lead, jc_action,
                                                              ehc_action, plan):
    client.force_login(jc_lead)
    response = client.get(audit_url("list", plan))
    assert response.status_code == 200
    codes = {row.record.workstream_code for row in response.context["table"].paginated_rows}
    assert codes == {"JC"}
    exported = csv_rows(client.get(audit_url("export_csv", plan)))
    assert {row[3] for row in exported[1:]} == {"JC"}


def test_lead_cannot_read_other_workstreams_by_filtering_for_them(client, jc_lead, jc_action,
                                                                 ehc_action, plan):
    client.force_login(jc_lead)
    response = client.get(audit_url("export_csv", plan), {"action": "EHC1"})
    assert csv_rows(response)[1:] == []


def test_account_without_a_role_finds_no_trail(client, no_role_user, jc_action, plan):
    # A plan the account holds no role in is not there for it, so it is not found.
    client.force_login(no_role_user)
    assert client.get(audit_url("list", plan)).status_code == 404
    assert client.get(audit_url("export_csv", plan)).status_code == 404


def test_member_of_another_plan_finds_no_trail_of_this_one(client, jc_action, plan,
                                                          other_plan):
    other_member = member(UserFactory(username="other-member"), other_plan, Role.BOARD)
    client.force_login(other_member)
    assert client.get(audit_url("list", plan)).status_code == 404
    assert client.get(audit_url("export_csv", plan)).status_code == 404
    assert client.get(audit_url("list", other_plan)).status_code == 200


def test_a_plans_trail_holds_nothing_of_another_plan_with_the_same_refs(
        client, board_member, jc_lead, jc_action, plan, other_plan, other_jc):
    # The other area has a JC1 of its own; neither its board member nor this plan's JC lead
    # sees it in this plan's trail.
    other_action = ActionFactory(plan=other_plan, workstream=other_jc, ref="JC1", ref_number=1,
                                 title="The other area's JC1")
    with acting_as("command: import"):
        other_action.rag = Rag.RED
        other_action.save()

    for user in (board_member, jc_lead):
        client.force_login(user)
        rows = [row.record for row in
                client.get(audit_url("list", plan)).context["table"].paginated_rows]
        assert rows, user.username
        assert {row.plan_id for row in rows} <= {plan.pk, None}, user.username
        assert "The other area's JC1" not in "".join(row.object_label for row in rows)
        exported = csv_rows(client.get(audit_url("export_csv", plan), {"action": "JC1"}))
        assert {row[7] for row in exported[1:]} == {str(jc_action)}, user.username


def test_adviser_reads_the_whole_trail(client, adviser, jc_action, ehc_action, plan):
    client.force_login(adviser)
    response = client.get(audit_url("list", plan))
    assert response.status_code == 200
    refs = {row.record.action_ref for row in response.context["table"].paginated_rows}
    assert {"JC1", "EHC1"} <= refs


def test_csv_holds_exactly_the_filtered_rows(client, officer, jc_action, ehc_action, plan):
    with acting_as(import_label("plan.xlsx")):
        jc_action.rag = Rag.GREEN
        jc_action._change_reason = "=HYPERLINK(\"http://evil.example\")"
        jc_action.save()
        ehc_action.rag = Rag.RED
        ehc_action.save()
    client.force_login(officer)

    response = client.get(audit_url("export_csv", plan), {"workstream": "JC",
                                                           "kind": "action"})

    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    expected = AuditEntry.objects.filter(workstream_code="JC", object_kind="action")
    assert [int(row[0]) for row in rows[1:]] == sorted(e.sequence for e in expected)
    change = next(row for row in rows[1:] if row[8] == "Changed")
    assert change[9] == "RAG changed from Amber to Green"
    assert change[10] == "'=HYPERLINK(\"http://evil.example\")"
    assert change[2] == "Import of plan.xlsx"


def test_filters_by_person_and_date(client, officer, jc_action, plan):
    with acting_as("command: import"):
        jc_action.rag = Rag.GREEN
        jc_action.save()
    client.force_login(officer)
    today = timezone.localdate()

    response = client.get(audit_url("list", plan), {
        "person": "command: import", "date_from": f"{today:%d/%m/%Y}",
        "date_to": f"{today:%d/%m/%Y}"})
    rows = [row.record for row in response.context["table"].paginated_rows]
    assert [r.actor_label for r in rows] == ["command: import"]

    yesterday = today - dt.timedelta(days=1)
    response = client.get(audit_url("list", plan), {"date_to": f"{yesterday:%d/%m/%Y}"})
    assert response.context["table"].paginator.count == 0


def _many_entries(count: int, plan) -> None:
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        [AuditEntry(sequence=100_000 + n, recorded_at=now, actor_label=f"Person {n % 7}",
                    plan=plan, workstream_code="JC", action_ref=f"JC{n % 40}",
                    object_kind="action", object_id=str(n), object_label=f"JC{n % 40}: x",
                    change_type="changed", changes={"RAG": ["Amber", "Green"]},
                    reason="", prev_hash="0" * 64, hash="0" * 64)
         for n in range(count)], batch_size=1000)


@pytest.mark.parametrize("count", [10, 10_000])
def test_audit_page_runs_a_fixed_number_of_queries(client, officer, plan, jc,
                                                   django_assert_max_num_queries, count):
    _many_entries(count, plan)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(audit_url("list", plan),
                              {"sort": "actor_label", "page": 2} if count > 50 else {})
    assert response.status_code == 200
    # The plan's entries and the officer's own account's (the trail's only member); the
    # test area's own entry belongs to no plan.
    total = AuditEntry.objects.filter(
        Q(plan=plan) | Q(object_kind="account", object_id=str(officer.pk))).count()
    assert total == AuditEntry.objects.exclude(object_kind="local area").count()
    assert response.context["table"].paginator.count == total
    assert len(response.context["table"].page.object_list) == min(total, 50)


def test_action_history_reads_in_plain_words(jc_action, jc_lead):
    jc_lead.first_name, jc_lead.last_name = "Jo", "Smith"
    jc_lead.save()
    jc_action.rag = Rag.GREEN
    jc_action._change_reason = "waiting list cleared"
    jc_action._history_user = jc_lead
    jc_action.save()

    html = render_to_string("audit/_action_history.html",
                            {"entries": entries_for_action(jc_action)})

    assert "RAG changed from Amber to Green" in html
    assert "by J. Smith on" in html
    assert "‘waiting list cleared’" in html
    assert f"Action ‘{jc_action}’ added" in html.replace("&#x27;", "'")


def test_filtering_by_ref_finds_the_actions_whole_history_under_its_earlier_ref(
        client, officer, jc_action, plan, jc):
    MilestoneFactory(action=jc_action, title="Pathway signed off")
    jc_action.ref = "JC9"
    jc_action._change_reason = "Renumbered"
    jc_action.save()
    ActionFactory(plan=plan, workstream=jc, ref=f"JC{jc_action.ref_number}",
                  ref_number=jc_action.ref_number, title="A newer action")
    client.force_login(officer)
    url = reverse("audit:list", kwargs={"plan_slug": plan.slug})

    renamed = client.get(url, {"action": "jc9"}).content.decode()
    newer = client.get(url, {"action": f"JC{jc_action.ref_number}"}).content.decode()

    assert "Pathway signed off" in renamed and "Renumbered" in renamed
    assert "A newer action" not in renamed
    assert "A newer action" in newer and "Pathway signed off" not in newer


def test_filtering_by_the_ref_of_a_removed_action_finds_what_was_recorded_under_it(
        client, officer, jc_action, plan):
    ref, title = jc_action.ref, jc_action.title
    jc_action._change_reason = "Duplicate"
    jc_action.delete()
    client.force_login(officer)

    page = client.get(reverse("audit:list", kwargs={"plan_slug": plan.slug}), {"action": ref})

    assert f"{ref}: {title}" in page.content.decode()
