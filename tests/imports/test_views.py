"""The upload pages: an officer's returns and a site administrator's new plan, each checked
and previewed, then applied exactly as previewed, or previewed again if the plan changed."""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Rag
from actions.services import progress_update_create
from plans.models import Plan
from plans.services import quarter_bounds
from tests.factories import ActionFactory, ReportingPeriodFactory
from tests.imports.workbooks import workbook_bytes

pytestmark = pytest.mark.django_db
RETURNS = {"Q4 returns": [["Ref", "RAG", "Progress update"],
                          ["JC1", "Green", "Panel met; waiting list down."]]}


@pytest.fixture
def jc1(plan, jc):
    label, start, end = quarter_bounds(timezone.localdate())
    ReportingPeriodFactory(plan=plan, label=label, start=start, end=end)
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)


def _file(sheets=RETURNS, name="q4-returns.xlsx", content=None):
    return SimpleUploadedFile(name, content if content is not None else workbook_bytes(sheets))


def urls(plan):
    return (reverse("imports:returns_upload", kwargs={"plan_slug": plan.slug}),
            reverse("imports:returns_check", kwargs={"plan_slug": plan.slug}))


def test_an_officer_uploads_checks_and_confirms_returns(client, officer, plan, jc1):
    client.force_login(officer)
    upload_url, check_url = urls(plan)
    response = client.post(upload_url, {"file": _file()})
    assert response.status_code == 302 and response.url == check_url
    preview = client.get(check_url).content.decode()
    assert "JC1: " in preview and "Amber" in preview and "Green" in preview
    assert "Panel met; waiting list down." in preview
    assert not ProgressUpdate.objects.exists()
    state = preview.split('name="state" value="')[1].split('"')[0]
    done = client.post(check_url, {"state": state})
    assert done.status_code == 302
    update = ProgressUpdate.objects.get()
    assert (update.author, update.rag) == (officer, Rag.GREEN)
    assert Action.objects.get(pk=jc1.pk).history.latest().history_change_reason == (
        "Panel met; waiting list down.")
    # The kept file is gone: confirming again sends the officer back to upload.
    assert client.post(check_url, {"state": state}).url == upload_url


def test_a_plan_changed_since_the_preview_is_previewed_again(client, officer, plan, jc1,
                                                             jc_lead):
    client.force_login(officer)
    upload_url, check_url = urls(plan)
    client.post(upload_url, {"file": _file()})
    preview = client.get(check_url).content.decode()
    state = preview.split('name="state" value="')[1].split('"')[0]
    period = plan.periods.get(label=quarter_bounds(timezone.localdate())[0])
    progress_update_create(action=jc1, user=jc_lead, expected_version=jc1.version, rag=Rag.RED,
                           narrative="Provider withdrew.", period=period,
                           date=timezone.localdate())
    again = client.post(check_url, {"state": state})
    assert again.status_code == 200
    assert "The plan changed after you checked this file" in again.content.decode()
    assert ProgressUpdate.objects.count() == 1
    new_state = again.content.decode().split('name="state" value="')[1].split('"')[0]
    assert client.post(check_url, {"state": new_state}).status_code == 302
    assert Action.objects.get(pk=jc1.pk).rag == Rag.GREEN


def test_a_workbook_with_problems_lists_each_and_keeps_nothing(client, officer, plan, jc1):
    client.force_login(officer)
    response = client.post(urls(plan)[0], {"file": _file(
        {"Returns": [["Ref", "RAG", "Update"], ["JC1", "Amber/Green", "Hmm"]]})})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Sheet “Returns”, row 2, column RAG: RAG must be Blue, Green, Amber or Red" in text
    assert "1 problem to fix" in text
    assert client.get(urls(plan)[1]).url == urls(plan)[0]


def test_a_csv_renamed_to_xlsx_is_refused_in_one_line(client, officer, plan, jc1):
    client.force_login(officer)
    response = client.post(urls(plan)[0], {"file": _file(content=b"Ref,RAG\nJC1,Green\n")})
    assert response.status_code == 400
    assert "The file must be an Excel workbook (.xlsx)" in response.content.decode()


def test_a_closed_plan_refuses_the_import(client, officer, plan, jc1):
    plan.status = Plan.Status.CLOSED
    plan._change_reason = "Signed off"
    plan.save()
    client.force_login(officer)
    assert client.get(urls(plan)[0]).status_code == 403


def test_officers_see_the_import_link_and_board_members_do_not(client, officer, board_member,
                                                               plan, jc1):
    actions_url = reverse("actions:list", kwargs={"plan_slug": plan.slug})
    client.force_login(officer)
    assert "Import returns from a workbook" in client.get(actions_url).content.decode()
    client.force_login(board_member)
    assert "Import returns from a workbook" not in client.get(actions_url).content.decode()


def test_a_site_administrator_imports_a_new_plan(client, administrator):
    client.force_login(administrator)
    sheets = {"Plan": [["Barsetshire WSOA"], [], ["Ref", "Action", "Lead agency", "Due date"],
                       ["JC1", "Agree the strategy", "Barsetshire Council", "31/03/2027"]]}
    response = client.post(reverse("new_plan_upload"), {
        "name": "Barsetshire", "kind": "wsoa", "file": _file(sheets, "barsetshire.xlsx")})
    assert response.url == reverse("new_plan_check")
    preview = client.get(response.url).content.decode()
    assert "A new plan for Barsetshire with 1 action" in preview
    assert "Barsetshire Council" in preview
    state = preview.split('name="state" value="')[1].split('"')[0]
    done = client.post(reverse("new_plan_check"), {"state": state})
    assert done.url == "/barsetshire/"
    action = Action.objects.get(plan__slug="barsetshire", ref="JC1")
    assert action.lead_agency.name == "Barsetshire Council"


def _import_new_plan(client, name: str, confirm: dict | None) -> str:
    """Uploads a one-action plan for `name`; returns the check page, after confirming it
    with `confirm` unless that is None."""
    sheets = {"Plan": [[f"{name} WSOA"], [], ["Ref", "Action", "Lead agency", "Due date"],
                       ["JC1", "Agree the strategy", f"{name} Council", "31/03/2027"]]}
    response = client.post(reverse("new_plan_upload"), {
        "name": name, "kind": "wsoa", "file": _file(sheets, "plan.xlsx")})
    preview = client.get(response.url).content.decode()
    if confirm is not None:
        state = preview.split('name="state" value="')[1].split('"')[0]
        client.post(reverse("new_plan_check"), {"state": state, **confirm})
    return preview


def test_a_new_plan_for_an_area_in_ofsteds_file_is_offered_its_inspection_facts(
        client, administrator):
    from area_statistics.models import OfstedInspection

    client.force_login(administrator)

    preview = _import_new_plan(client, "Bedford", {"ofsted": "accept"})

    assert "Ofsted's facts of Bedford's inspection" in preview
    assert "Area: Bedford (ONS code E06000055), Ofsted region East of England" in preview
    assert "Written statement of action required: yes" in preview
    plan = Plan.objects.get(slug="bedford")
    facts = OfstedInspection.objects.get(plan=plan)
    assert (facts.ons_code, facts.statement_required, facts.source.file) == (
        "E06000055", True, "ofsted_area_send_inspections_2016_2022.csv")
    assert plan.inspection_start == facts.inspection_start
    assert (plan.local_area.ons_code, plan.local_area.region) == ("E06000055",
                                                                  "East of England")


def test_the_ofsted_facts_are_recorded_only_when_accepted(client, administrator):
    from area_statistics.models import OfstedInspection

    client.force_login(administrator)

    _import_new_plan(client, "Bedford", {})

    plan = Plan.objects.get(slug="bedford")
    assert not OfstedInspection.objects.filter(plan=plan).exists()
    assert plan.inspection_start is None and plan.local_area.ons_code == ""


def test_an_area_ofsted_has_not_inspected_is_offered_nothing(client, administrator):
    client.force_login(administrator)

    preview = _import_new_plan(client, "Barsetshire", None)

    assert "Ofsted's facts" not in preview


@pytest.fixture
def kept_uploads(settings, tmp_path):
    """Storage of its own, so only this test's uploads are there."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        **settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path)}}}
    folder = tmp_path / "imports"
    folder.mkdir()
    return folder


def _kept(folder, name: str, *, hours_old: float) -> Path:
    path = folder / name
    path.write_bytes(b"PK")
    moment = time.time() - hours_old * 3600
    os.utime(path, (moment, moment))
    return path


def test_a_new_preview_deletes_uploads_whose_preview_was_abandoned(client, officer, plan,
                                                                   jc1, kept_uploads):
    abandoned = _kept(kept_uploads, "a" * 32 + ".xlsx", hours_old=25)
    recent = _kept(kept_uploads, "b" * 32 + ".xlsx", hours_old=2)
    client.force_login(officer)
    assert client.post(urls(plan)[0], {"file": _file()}).status_code == 302
    assert not abandoned.exists()
    # Someone else's preview of this morning, and the new one, are kept.
    assert recent.exists()
    assert len(list(kept_uploads.iterdir())) == 2
    assert client.get(urls(plan)[1]).status_code == 200


def test_the_daily_command_deletes_abandoned_uploads_and_nothing_else(kept_uploads):
    abandoned = _kept(kept_uploads, "c" * 32 + ".xlsx", hours_old=30)
    recent = _kept(kept_uploads, "d" * 32 + ".xlsx", hours_old=23)
    other = _kept(kept_uploads, "notes.xlsx", hours_old=100)
    out = io.StringIO()
    call_command("delete_abandoned_uploads", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 abandoned upload older than 24 hours"
    assert (abandoned.exists(), recent.exists(), other.exists()) == (False, True, True)
    call_command("delete_abandoned_uploads", "--hours", "12", stdout=out)
    assert not recent.exists()


def test_the_daily_command_refuses_a_senseless_age():
    with pytest.raises(CommandError, match="--hours must be between 1 and 8760"):
        call_command("delete_abandoned_uploads", "--hours", "0")
