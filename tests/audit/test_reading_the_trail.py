"""The audit trail reads at a glance: readings say where, what unit and old → new as typed;
commands are named in words; one change by a person is one row, with every entry kept."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actions import services as action_services
from actions.models import Rag
from audit.context import acting_as
from audit.models import AuditEntry
from audit.selectors import latest_entries_for_action
from audit.services import append_entry
from audit.wording import import_label
from measures.models import Measure
from measures.services import readings_record
from plans.services import membership_grant
from tests.downloads import csv_table
from tests.factories import (
    ActionFactory,
    AreaFactory,
    MeasureFactory,
    Role,
    UserFactory,
    member,
)


def audit_page(client, plan, **params):
    return client.get(reverse("audit:list", kwargs={"plan_slug": plan.slug}), params)


def csv_rows(client, plan, **params) -> list[list[str]]:
    response = client.get(reverse("audit:export_csv", kwargs={"plan_slug": plan.slug}), params)
    return csv_table(b"".join(response.streaming_content if response.streaming else
                              [response.content]))[1:]


def page_lines(response) -> list[str]:
    return [line for row in response.context["table"].paginated_rows
            for line in row.record.change_lines]


def test_a_reading_names_its_area_and_unit_and_shows_old_and_new_as_typed(
        client, plan, period, officer, jc_lead):
    measure = MeasureFactory(plan=plan, title="Waiting times for ASD assessment",
                             kind=Measure.Kind.DURATION, unit="weeks",
                             area_breakdown=Measure.AreaBreakdown.CCG)
    mid = AreaFactory(plan=plan, name="Mid Essex")
    readings_record(measure=measure, period=period,
                    values_by_area={None: "14.20", mid: "9.5"}, user=jc_lead)
    readings_record(measure=measure, period=period,
                    values_by_area={None: "15", mid: "9.5"}, user=jc_lead, reason="Typo")
    client.force_login(officer)

    lines = page_lines(audit_page(client, plan))

    name = "Waiting times for ASD assessment"
    assert (f"Measure reading ‘{name}: Whole local area, 2020-21 Q2’: value 14.2 weeks → "
            "15 weeks") in lines
    assert f"Measure reading ‘{name}: Whole local area, 2020-21 Q2’ added: 14.2 weeks" in lines
    assert f"Measure reading ‘{name}: Mid Essex CCG area, 2020-21 Q2’ added: 9.5 weeks" in lines
    assert not [line for line in lines if "14.2000" in line or "9.5000" in line]


def test_a_percentage_reads_with_its_sign_and_a_deliverable_as_yes_or_no(plan, period,
                                                                         jc_lead):
    share = MeasureFactory(plan=plan, title="Parents who know the Local Offer",
                           kind=Measure.Kind.PERCENTAGE, unit="% of respondents")
    done = MeasureFactory(plan=plan, title="Dashboard in place",
                          kind=Measure.Kind.DELIVERABLE, unit="")
    readings_record(measure=share, period=period, values_by_area={None: "61.50"},
                    user=jc_lead)
    readings_record(measure=done, period=period, values_by_area={None: "yes"}, user=jc_lead,
                    achieved_on=dt.date(2020, 8, 3))

    entries = AuditEntry.objects.filter(object_kind="measure reading").order_by("sequence")

    assert [entry.change_lines for entry in entries] == [
        ["Measure reading ‘Parents who know the Local Offer: Whole local area, 2020-21 Q2’ "
         "added: 61.5%"],
        ["Measure reading ‘Dashboard in place: Whole local area, 2020-21 Q2’ added: Yes"]]


def test_an_old_reading_entry_reads_without_trailing_zeros_and_its_chain_holds(plan):
    # As readings were recorded before they were named by area: label and changes kept.
    old = append_entry(
        recorded_at=timezone.now(), actor=None, actor_label="command: seed_demo_history",
        plan_id=plan.pk, workstream_code="JC", action_ref="", object_kind="measure reading",
        object_id="7", object_label="Waiting times 2021-Q3: 14.2000", change_type="created",
        changes={"Measure": [None, "Waiting times"], "Period": [None, "2021-Q3"],
                 "Area": [None, "Mid Essex"], "Kind": [None, "Duration"],
                 "Value": [None, "14.2"], "Unit": [None, "weeks"]}, reason="")
    correction = append_entry(
        recorded_at=timezone.now(), actor=None, actor_label="J. Smith", plan_id=plan.pk,
        workstream_code="JC", action_ref="", object_kind="measure reading", object_id="8",
        object_label="Share 2021-Q3: 61.0000", change_type="changed",
        changes={"Value": ["61", "62.5"]}, reason="Typo")

    assert old.change_lines == ["Measure reading ‘Waiting times: Mid Essex, 2021-Q3’ added: "
                                "14.2 weeks"]
    assert correction.change_lines == ["Measure reading ‘Share, 2021-Q3’: value 61 → 62.5"]
    assert old.record_label == "Waiting times: Mid Essex, 2021-Q3"
    call_command("verify_audit")


def test_loaded_and_seeded_entries_name_who_made_them_in_words(client, essex):
    reader = member(UserFactory(username="essex-board"), essex, Role.BOARD)
    call_command("seed_demo_history", verbosity=0)
    client.force_login(reader)

    page = re.sub(r"<[^>]+>", " ", audit_page(client, essex).content.decode())
    loaded = audit_page(client, essex, person="command: load_essex_plan")

    assert "Demo data loader" in page
    assert "command: seed_demo_history" not in page
    rows = loaded.context["table"].paginated_rows
    assert rows and {row.record.actor_name for row in rows} == {
        "Essex plan loader (published documents)"}
    assert "Essex plan loader (published documents)" in loaded.content.decode()
    people = dict(loaded.context["filter"].form.fields["person"].choices)
    assert people["command: load_essex_plan"] == "Essex plan loader (published documents)"


@pytest.mark.parametrize("label,words", [
    ("command: create_demo_accounts", "Demo accounts set-up"),
    ("command: grant", "Role given by a site administrator (grant command)"),
    ("command: revoke", "Role taken away by a site administrator (revoke command)"),
    ("Migration: local areas", "Software update: local areas became records of their own"),
    (import_label("plan.xlsx"), "Import of plan.xlsx"),
    ("J. Smith", "J. Smith"),
])
def test_every_system_actor_is_named_in_words(plan, label, words):
    entry = append_entry(recorded_at=timezone.now(), actor=None, actor_label=label,
                         plan_id=plan.pk, workstream_code="", action_ref="",
                         object_kind="plan", object_id=str(plan.pk), object_label=str(plan),
                         change_type="changed", changes={"Title": ["A", "B"]}, reason="")
    assert entry.actor_name == words


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC8", ref_number=8, rag=Rag.AMBER)


def test_a_progress_update_is_one_change_in_the_trail_its_csv_and_the_history_tab(
        client, officer, jc_lead, action, period, plan):
    before = AuditEntry.objects.order_by("-sequence").first().sequence
    action_services.progress_update_create(
        action=action, user=jc_lead, expected_version=action.version, rag=Rag.GREEN,
        narrative="Waiting list cleared.", period=period, date=dt.date(2020, 8, 1))
    written = AuditEntry.objects.filter(sequence__gt=before)
    # Both entries are kept and sealed: the action's RAG and the update itself.
    assert sorted(written.values_list("object_kind", flat=True)) == ["action", "progress update"]
    client.force_login(officer)

    rows = [row.record for row in audit_page(client, plan, action="JC8").context["table"]
            .paginated_rows if row.record.sequence > before]
    exported = [row for row in csv_rows(client, plan, action="JC8") if int(row[0]) > before]
    history, _ = latest_entries_for_action(action, limit=50)
    tab = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC8"}))

    lines = ["Progress update ‘JC8 2020-08-01: Green’ added", "RAG changed from Amber to Green"]
    assert [row.change_lines for row in rows] == [lines]
    assert rows[0].principal.object_kind == "progress update"
    assert rows[0].sequences == f"{before + 1}–{before + 2}"
    assert [(row[5], row[9], row[12]) for row in exported] == [
        ("progress update", "\n".join(lines), f"{before + 1}–{before + 2}")]
    assert [entry.change_lines for entry in history if entry.sequence > before] == [lines]
    assert tab.content.decode().count("RAG changed from Amber to Green") == 1
    assert tab.content.decode().count("Progress update ‘JC8 2020-08-01: Green’ added") == 1
    call_command("verify_audit")


def test_a_lead_made_with_their_workstreams_is_one_change(client, officer, plan, jc):
    person = UserFactory(username="new-lead", first_name="Kim", last_name="Ode")
    before = AuditEntry.objects.order_by("-sequence").first().sequence
    membership_grant(user=person, plan=plan, role=Role.LEAD, workstreams=[jc],
                     reason="New head of commissioning")
    client.force_login(officer)

    rows = [row.record for row in audit_page(client, plan).context["table"].paginated_rows
            if row.record.sequence > before]

    assert AuditEntry.objects.filter(sequence__gt=before).count() == 2
    assert [row.change_lines for row in rows] == [[
        "Membership ‘Workstream lead: K. Ode’ added", "Workstreams set to JC: Joint commissioning"]]


def test_changes_filtered_apart_are_shown_on_their_own(client, officer, jc_lead, action, period,
                                                      plan):
    action_services.progress_update_create(
        action=action, user=jc_lead, expected_version=action.version, rag=Rag.GREEN,
        narrative="Waiting list cleared.", period=period, date=dt.date(2020, 8, 1))
    client.force_login(officer)

    rows = audit_page(client, plan, kind="action").context["table"].paginated_rows

    assert ["RAG changed from Amber to Green"] in [row.record.change_lines for row in rows]


def test_separate_changes_by_the_same_person_stay_separate(plan, action, jc_lead):
    with acting_as("command: test"):
        for rag in (Rag.GREEN, Rag.RED):
            action.rag = rag
            action._change_reason = f"Now {rag}"
            action.save()

    history, _ = latest_entries_for_action(action, limit=50)

    assert [entry.change_lines for entry in history[:2]] == [
        ["RAG changed from Green to Red"], ["RAG changed from Amber to Green"]]


def _long_way(action, limit):
    """The action's latest changes paged through the whole trail, one change a row."""
    from audit.selectors import entries_for_action, one_row_per_change, with_folded
    entries = entries_for_action(action)
    rows = [*one_row_per_change(entries)[:limit + 1]]
    return with_folded(rows[:limit], entries), len(rows) > limit


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 50])
def test_the_history_tab_holds_the_same_changes_as_the_whole_trail_paged(
        action, jc_lead, period, limit):
    # Updates (two entries each, one change), due date moves (one entry) and a run of the
    # same record changed many times in a row (one change of many entries).
    for number, rag in enumerate([Rag.GREEN, Rag.RED, Rag.AMBER, Rag.GREEN]):
        action.refresh_from_db()
        action_services.progress_update_create(
            action=action, user=jc_lead, expected_version=action.version, rag=rag,
            narrative=f"Update {number}.", period=period, date=dt.date(2020, 8, 1 + number))
    for number in range(12):
        action.refresh_from_db()
        action.title = f"Title {number}"
        action._change_reason = "Tidying the title"
        action._history_user = jc_lead
        action.save()

    fast, fast_more = latest_entries_for_action(action, limit=limit)
    slow, slow_more = _long_way(action, limit)

    assert [(row.sequence, [entry.sequence for entry in row.folded]) for row in fast] == [
        (row.sequence, [entry.sequence for entry in row.folded]) for row in slow]
    assert fast_more == slow_more
