import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions import services
from actions.models import Evidence, Milestone, ProgressUpdate, Rag
from tests.factories import ActionFactory, MilestoneFactory, ProgressUpdateFactory

PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 64
JPEG = bytes.fromhex("FFD8FFE000104A464946000101") + b"\x00" * 64
GIF = b"GIF89a" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.AMBER)


def add_update(action, user, period, **overrides):
    values = {"rag": Rag.GREEN, "narrative": "Commissioning plan signed off.",
              "period": period, "date": dt.date(2020, 8, 1)}
    values.update(overrides)
    return services.progress_update_create(action=action, user=user,
                                           expected_version=action.version, **values)


def test_progress_update_sets_the_rag_and_records_who_and_why(action, jc_lead, period):
    update = add_update(action, jc_lead, period)

    action.refresh_from_db()
    assert action.rag == Rag.GREEN
    assert action.version == 2
    assert update.author == jc_lead
    latest = action.history.latest()
    assert latest.history_user == jc_lead
    assert latest.history_change_reason == "Commissioning plan signed off."
    assert update.history.latest().history_user == jc_lead
    assert update.history.latest().history_change_reason == "Commissioning plan signed off."


def test_an_update_back_dated_behind_a_later_report_leaves_the_later_colour(
        action, jc_lead, period):
    add_update(action, jc_lead, period, rag=Rag.AMBER, date=dt.date(2020, 9, 1))
    action.refresh_from_db()
    add_update(action, jc_lead, period, rag=Rag.RED, date=dt.date(2020, 8, 1),
               narrative="The July board asked for this report to be recorded.")

    action.refresh_from_db()
    assert action.rag == Rag.AMBER
    assert [*action.progress_updates.order_by("date").values_list("rag", flat=True)] == [
        Rag.RED, Rag.AMBER]


def test_long_narrative_is_the_reason_cut_at_a_whole_word_with_an_ellipsis(action, jc_lead,
                                                                           period):
    narrative = "The waiting list is cleared.\n\n" + "Assessments continue weekly. " * 100
    add_update(action, jc_lead, period, narrative=narrative)

    reason = action.history.latest().history_change_reason
    assert len(reason) <= services.REASON_MAX_CHARS
    assert reason.startswith("The waiting list is cleared. Assessments continue weekly.")
    assert reason.endswith("…")
    assert all(word in {"Assessments", "continue", "weekly"}
               for word in reason.removesuffix("…").split(". ")[-1].split())
    assert ProgressUpdate.objects.get(action=action).narrative == narrative


@pytest.mark.parametrize("text,expected", [
    ("all\n done", "all done"),
    ("one two three four", "one two…"),
    ("one two, three four", "one two…"),
    ("onetwothreefour", "onetwoth…"),
    ("one two\nthree", "one two…"),
])
def test_reason_is_clipped_after_the_last_whole_word_that_fits(text, expected):
    assert services.clipped(text, max_chars=9) == expected


@pytest.mark.parametrize("narrative", ["", "   \n  "])
def test_rag_change_without_narrative_is_refused(action, jc_lead, period, narrative):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, narrative=narrative)

    assert "narrative" in refused.value.message_dict
    action.refresh_from_db()
    assert action.rag == Rag.AMBER
    assert not ProgressUpdate.objects.exists()


def test_over_long_narrative_is_refused_not_truncated(action, jc_lead, period):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, narrative="x" * 5001)

    [message] = refused.value.message_dict["narrative"]
    assert message == "Narrative must be 5,000 characters or fewer (it has 5,001)"
    assert not ProgressUpdate.objects.exists()


def test_narrative_of_exactly_the_limit_is_kept_whole(action, jc_lead, period):
    update = add_update(action, jc_lead, period, narrative="x" * 5000)

    update.refresh_from_db()
    assert len(update.narrative) == 5000


def test_blue_without_completed_date_is_refused(action, jc_lead, period):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, rag=Rag.BLUE)

    assert refused.value.message_dict["completed_date"] == [
        "Enter the date the action was completed"]
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


def test_blue_with_completed_date_completes_the_action(action, jc_lead, period):
    add_update(action, jc_lead, period, rag=Rag.BLUE, completed_date=dt.date(2020, 7, 30))

    action.refresh_from_db()
    assert (action.rag, action.completed_date) == (Rag.BLUE, dt.date(2020, 7, 30))


def test_completed_date_is_refused_unless_blue(action, jc_lead, period):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, rag=Rag.GREEN, completed_date=dt.date(2020, 7, 30))

    assert "completed_date" in refused.value.message_dict


def test_database_refuses_completed_date_unless_blue(action):
    action.completed_date = dt.date(2020, 7, 30)
    action.rag = Rag.GREEN
    with pytest.raises(IntegrityError), transaction.atomic():
        action.save()


def test_blue_with_milestones_not_done_needs_a_reason(action, jc_lead, period):
    MilestoneFactory(action=action, done_date=dt.date(2020, 7, 1))
    MilestoneFactory(action=action, done_date=None)

    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, rag=Rag.BLUE, completed_date=dt.date(2020, 7, 30))
    assert refused.value.message_dict["milestones_reason"] == [
        "Enter the reason the remaining 1 milestone is not done"]

    add_update(action, jc_lead, period, rag=Rag.BLUE, completed_date=dt.date(2020, 7, 30),
               milestones_reason="The training moved to the new provider's contract.")
    action.refresh_from_db()
    assert action.rag == Rag.BLUE
    assert action.history.latest().history_change_reason == (
        "Commissioning plan signed off. (Remaining milestones not done because: The training "
        "moved to the new provider's contract.)")


def test_blue_with_every_milestone_done_needs_no_reason(action, jc_lead, period):
    MilestoneFactory(action=action, done_date=dt.date(2020, 7, 1))

    add_update(action, jc_lead, period, rag=Rag.BLUE, completed_date=dt.date(2020, 7, 30))

    action.refresh_from_db()
    assert action.rag == Rag.BLUE


def test_update_dated_in_the_future_is_refused(action, jc_lead, period):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, date=tomorrow)

    assert "date" in refused.value.message_dict


def test_period_of_another_plan_is_refused(action, jc_lead):
    other = ProgressUpdateFactory().period

    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, other)

    assert "period" in refused.value.message_dict


def test_stale_version_is_refused_and_says_what_changed(action, jc_lead, ehc_lead, period,
                                                        administrator):
    seen = action.version
    add_update(action, administrator, period, narrative="Provider confirmed.")

    with pytest.raises(services.ConflictError) as conflict:
        services.progress_update_create(
            action=action, user=jc_lead, expected_version=seen, rag=Rag.RED,
            narrative="My own words.", period=period, date=dt.date(2020, 8, 2))

    assert [update.narrative for update in conflict.value.updates] == ["Provider confirmed."]
    assert [change.history_user for change in conflict.value.changes] == [administrator]
    assert ProgressUpdate.objects.count() == 1
    action.refresh_from_db()
    assert action.rag == Rag.GREEN


def test_a_failure_mid_way_leaves_nothing_half_saved(action, jc_lead, period, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("the disk is full")

    monkeypatch.setattr(ProgressUpdate, "save", fail)
    history_before = action.history.count()

    with pytest.raises(IntegrityError):
        add_update(action, jc_lead, period)

    action.refresh_from_db()
    assert (action.rag, action.version) == (Rag.AMBER, 1)
    assert action.history.count() == history_before


def test_many_reports_at_once_follow_the_single_reports_rules_all_or_none(plan, jc, jc_lead,
                                                                          period):
    actions = [ActionFactory(plan=plan, workstream=jc, ref=f"JC{n}", ref_number=n,
                             rag=Rag.AMBER) for n in (1, 2)]
    reports = [{"action": actions[0], "rag": Rag.GREEN, "narrative": "Panel met.",
                "period": period, "date": dt.date(2020, 8, 1)},
               {"action": actions[1], "rag": Rag.RED, "narrative": " ",
                "period": period, "date": dt.date(2020, 8, 1)}]
    with pytest.raises(ValidationError) as refused:
        services.progress_updates_create(reports=reports, user=jc_lead)
    assert refused.value.message_dict == {
        "narrative": ["Enter a narrative explaining the progress and the RAG status"]}
    assert not ProgressUpdate.objects.exists()
    reports[1]["narrative"] = "Recruitment paused."
    services.progress_updates_create(reports=reports, user=jc_lead)
    assert [(a.rag, a.progress_updates.get().narrative, a.history.latest().history_user)
            for a in (type(actions[0]).objects.get(pk=a.pk) for a in actions)] == [
        (Rag.GREEN, "Panel met.", jc_lead), (Rag.RED, "Recruitment paused.", jc_lead)]


def test_many_reports_from_a_stale_version_are_refused(action, jc_lead, period):
    report = {"action": action, "expected_version": action.version - 1, "rag": Rag.GREEN,
              "narrative": "Panel met.", "period": period, "date": dt.date(2020, 8, 1)}
    with pytest.raises(services.ConflictError):
        services.progress_updates_create(reports=[report], user=jc_lead)
    assert not ProgressUpdate.objects.exists()


def test_due_date_move_keeps_the_original_and_records_the_reason(action, jc_lead):
    services.due_date_move(action=action, user=jc_lead, expected_version=1,
                           new_due_date=dt.date(2021, 6, 30),
                           reason="The provider's contract starts in April.")

    action.refresh_from_db()
    assert action.original_due_date == dt.date(2021, 3, 31)
    assert action.current_due_date == dt.date(2021, 6, 30)
    assert action.version == 2
    assert action.history.latest().history_change_reason == (
        "The provider's contract starts in April.")

    services.due_date_move(action=action, user=jc_lead, expected_version=2,
                           new_due_date=dt.date(2021, 9, 30), reason="Delayed again.")
    action.refresh_from_db()
    assert action.original_due_date == dt.date(2021, 3, 31)


def test_due_date_move_needs_a_reason(action, jc_lead):
    with pytest.raises(ValidationError) as refused:
        services.due_date_move(action=action, user=jc_lead, expected_version=1,
                               new_due_date=dt.date(2021, 6, 30), reason=" ")

    assert refused.value.message_dict["reason"] == ["Enter the reason the due date is moving"]
    action.refresh_from_db()
    assert action.current_due_date == dt.date(2021, 3, 31)


def test_due_date_move_from_a_stale_version_is_refused(action, jc_lead):
    services.due_date_move(action=action, user=jc_lead, expected_version=1,
                           new_due_date=dt.date(2021, 6, 30), reason="First move.")

    with pytest.raises(services.ConflictError):
        services.due_date_move(action=action, user=jc_lead, expected_version=1,
                               new_due_date=dt.date(2021, 5, 31), reason="Second move.")

    action.refresh_from_db()
    assert action.current_due_date == dt.date(2021, 6, 30)


def test_milestone_is_added_and_ticked_off_today_by_default(action, jc_lead):
    milestone = services.milestone_create(action=action, user=jc_lead,
                                          title="Joint protocol agreed",
                                          due_date=dt.date(2020, 12, 31))

    services.milestone_mark_done(milestone=milestone, user=jc_lead,
                                 reason="Signed at the October board.")

    milestone.refresh_from_db()
    assert milestone.done_date == timezone.localdate()
    latest = milestone.history.latest()
    assert latest.history_change_reason == "Signed at the October board."
    assert latest.history_user == jc_lead


def test_milestone_ticked_off_on_a_given_date(action, jc_lead):
    milestone = MilestoneFactory(action=action)

    services.milestone_mark_done(milestone=milestone, user=jc_lead,
                                 done_date=dt.date(2020, 11, 2))

    milestone.refresh_from_db()
    assert milestone.done_date == dt.date(2020, 11, 2)


def test_milestone_already_done_is_not_done_again(action, jc_lead):
    milestone = MilestoneFactory(action=action, done_date=dt.date(2020, 11, 2))

    with pytest.raises(ValidationError):
        services.milestone_mark_done(milestone=milestone, user=jc_lead)

    milestone.refresh_from_db()
    assert milestone.done_date == dt.date(2020, 11, 2)


def test_milestone_needs_a_title_and_due_date(action, jc_lead):
    with pytest.raises(ValidationError) as refused:
        services.milestone_create(action=action, user=jc_lead, title="", due_date=None)

    assert set(refused.value.message_dict) == {"title", "due_date"}
    assert not Milestone.objects.exists()


@pytest.mark.parametrize("name,content,content_type", [
    ("report.pdf", PDF, "application/pdf"),
    ("minutes.docx", office_zip("word/"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("figures.xlsx", office_zip("xl/"),
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("slides.pptx", office_zip("ppt/"),
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("old.doc", OLE2, "application/msword"),
    ("old.xls", OLE2, "application/vnd.ms-excel"),
    ("old.ppt", OLE2, "application/vnd.ms-powerpoint"),
    ("photo.png", PNG, "image/png"),
    ("photo.JPG", JPEG, "image/jpeg"),
    ("chart.gif", GIF, "image/gif"),
])
def test_evidence_file_of_an_accepted_type_is_stored(action, jc_lead, name, content,
                                                     content_type):
    evidence = services.evidence_add(action=action, user=jc_lead, title="Board minutes",
                                     file=SimpleUploadedFile(name, content))

    evidence.refresh_from_db()
    assert evidence.content_type == content_type
    assert evidence.file.read() == content
    assert name not in evidence.file.name  # stored under a name of the service's choosing
    assert evidence.uploaded_by == jc_lead


def _stored(evidence) -> Path:
    return Path(evidence.file.path)


def test_evidence_saved_inside_an_outer_transaction_that_rolls_back_leaves_no_file(
        action, jc_lead):
    with pytest.raises(RuntimeError, match="the import failed later"), transaction.atomic():
        evidence = services.evidence_add(action=action, user=jc_lead, title="Board minutes",
                                         file=SimpleUploadedFile("report.pdf", PDF))
        stored = _stored(evidence)
        assert stored.read_bytes() == PDF
        raise RuntimeError("the import failed later")

    assert not stored.exists()
    assert not Evidence.objects.exists()


def test_evidence_of_a_transaction_that_commits_keeps_its_file(action, jc_lead):
    with transaction.atomic():
        evidence = services.evidence_add(action=action, user=jc_lead, title="Board minutes",
                                         file=SimpleUploadedFile("report.pdf", PDF))
    with transaction.atomic():
        ProgressUpdateFactory(action=action)

    assert _stored(evidence).read_bytes() == PDF


@pytest.mark.django_db(transaction=True)
def test_evidence_committed_keeps_its_file_and_a_later_rollback_removes_only_its_own(plan, jc,
                                                                                   jc_lead):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    kept = services.evidence_add(action=action, user=jc_lead, title="Minutes",
                                 file=SimpleUploadedFile("minutes.pdf", PDF))
    with pytest.raises(RuntimeError), transaction.atomic():
        dropped = services.evidence_add(action=action, user=jc_lead, title="Draft",
                                        file=SimpleUploadedFile("draft.pdf", PDF))
        raise RuntimeError

    assert _stored(kept).read_bytes() == PDF
    assert not _stored(dropped).exists()
    assert list(Evidence.objects.values_list("title", flat=True)) == ["Minutes"]


@pytest.mark.parametrize("name,content", [
    ("report.pdf", EXE),
    ("minutes.docx", office_zip("xl/")),
    ("minutes.docx", b"PK\x03\x04 not really a zip"),
    ("old.doc", PDF),
    ("photo.png", JPEG),
    ("program.exe", EXE),
    ("page.html", b"<html><script>alert(1)</script></html>"),
])
def test_evidence_whose_content_does_not_match_an_accepted_type_is_refused(
        action, jc_lead, name, content):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(action=action, user=jc_lead, title="Board minutes",
                              file=SimpleUploadedFile(name, content))

    assert "file" in refused.value.message_dict
    assert not Evidence.objects.exists()


def test_empty_evidence_file_is_refused(action, jc_lead):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(action=action, user=jc_lead, title="Minutes",
                              file=SimpleUploadedFile("minutes.pdf", b""))

    assert refused.value.message_dict["file"] == ["The selected file is empty"]


def test_evidence_file_too_large_is_refused(action, jc_lead, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(action=action, user=jc_lead, title="Minutes",
                              file=SimpleUploadedFile("minutes.pdf", PDF + b" " * 1024))

    assert refused.value.message_dict["file"] == ["The selected file must be smaller than 1 KB"]
    assert not Evidence.objects.exists()


def test_evidence_link_must_be_https(action, jc_lead):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(action=action, user=jc_lead, title="Minutes",
                              url="http://example.org/minutes")
    assert "url" in refused.value.message_dict

    evidence = services.evidence_add(action=action, user=jc_lead, title="Minutes",
                                     url="https://example.org/minutes")
    assert evidence.url == "https://example.org/minutes"


def test_evidence_needs_a_link_or_a_file(action, jc_lead):
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(action=action, user=jc_lead, title="Minutes")

    assert refused.value.message_dict["file"] == ["Enter a link or choose a file to upload"]


# Dates that make sense for the plan ---------------------------------------------------

@pytest.fixture
def inspected_plan(plan):
    plan.inspection_start, plan.ends_on = dt.date(2019, 3, 4), dt.date(2022, 5, 17)
    plan._change_reason = "Dates from the inspection report"
    plan.save()
    return plan


def test_a_progress_update_dated_in_year_one_is_refused_naming_the_field(
        action, jc_lead, period, inspected_plan):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, date=dt.date(1, 1, 1))

    assert refused.value.message_dict["date"] == [
        "The date of the update must be between 4 March 2009 and 17 May 2032, within ten "
        "years of the plan's inspection and end"]
    assert not ProgressUpdate.objects.exists()


def test_a_completed_date_long_before_the_plan_is_refused(action, jc_lead, period,
                                                          inspected_plan):
    with pytest.raises(ValidationError) as refused:
        add_update(action, jc_lead, period, rag=Rag.BLUE, completed_date=dt.date(1999, 1, 1))

    assert refused.value.message_dict["completed_date"][0].startswith(
        "The completed date must be between 4 March 2009 and 17 May 2032")


def test_a_milestone_due_in_9999_is_refused_naming_the_field(action, jc_lead, inspected_plan):
    with pytest.raises(ValidationError) as refused:
        services.milestone_create(action=action, user=jc_lead, title="Protocol signed",
                                  due_date=dt.date(9999, 12, 31))

    assert refused.value.message_dict["due_date"][0].startswith(
        "The date the milestone is due must be between 4 March 2009 and 17 May 2032")
    assert not Milestone.objects.exists()


def test_a_milestone_due_ten_years_after_the_plan_ends_is_taken(action, jc_lead,
                                                                 inspected_plan):
    milestone = services.milestone_create(action=action, user=jc_lead, title="Review",
                                          due_date=dt.date(2032, 5, 17))

    assert milestone.due_date == dt.date(2032, 5, 17)


def test_a_milestone_done_in_year_one_is_refused(action, jc_lead, inspected_plan):
    milestone = MilestoneFactory(action=action)

    with pytest.raises(ValidationError) as refused:
        services.milestone_mark_done(milestone=milestone, user=jc_lead,
                                     done_date=dt.date(1, 1, 1))

    assert "done_date" in refused.value.message_dict


def test_a_due_date_moved_to_year_one_is_refused_naming_the_field(action, jc_lead,
                                                                   inspected_plan):
    with pytest.raises(ValidationError) as refused:
        services.due_date_move(action=action, user=jc_lead, expected_version=action.version,
                               new_due_date=dt.date(1, 1, 1), reason="Slipped")

    assert refused.value.message_dict["new_due_date"][0].startswith(
        "The new due date must be between 4 March 2009 and 17 May 2032")


def test_a_plan_without_dates_is_measured_from_today(action, jc_lead):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        services.milestone_create(action=action, user=jc_lead, title="Review",
                                  due_date=today.replace(year=today.year + 11))

    assert f"and {today.day} {today:%B} {today.year + 10}" in \
        refused.value.message_dict["due_date"][0]
