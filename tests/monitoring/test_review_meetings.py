import datetime as dt
import hashlib
import socket

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from monitoring.services import pack_submit
from plans.models import AgreedDueDate, ReportingPeriod, ReviewMeeting
from plans.selectors import next_evidence_deadline
from plans.services import reporting_period_close, review_meeting_create
from plans.workdays import evidence_deadline_for, working_days_until
from tests.factories import ActionFactory, ReportingPeriodFactory, ReviewMeetingFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
def q3(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                  end=dt.date(2020, 12, 31))


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(name: str, plan, **kwargs) -> str:
    return reverse(f"monitoring:{name}", kwargs={"plan_slug": plan.slug, **kwargs})


def test_the_evidence_deadline_is_ten_working_days_before_skipping_bank_holidays():
    # Christmas Day, the Boxing Day substitute (28 December) and New Year's Day 2021.
    assert evidence_deadline_for(dt.date(2021, 1, 14)) == dt.date(2020, 12, 30)
    assert evidence_deadline_for(dt.date(2021, 6, 17)) == dt.date(2021, 6, 3)


def test_working_days_are_counted_without_the_network(monkeypatch):
    from plans import workdays

    workdays.bank_holidays.cache_clear()

    def refuse(*args, **kwargs):
        raise AssertionError("the bank holiday calendar must not be fetched")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert working_days_until(dt.date(2020, 12, 21), dt.date(2021, 1, 4)) == 7


def test_an_officer_arranges_a_meeting_and_its_deadline_defaults(plan, q3, officer):
    client = client_for(officer)
    response = client.post(url("meeting_new", plan), {
        "kind": "quarterly", "date": "14/1/2021", "period": q3.pk, "evidence_deadline": "",
        "invited": ["invites_dfe_adviser", "invites_nhse_adviser"]})
    meeting = ReviewMeeting.objects.get(plan=plan)
    assert response.status_code == 302
    assert meeting.evidence_deadline == dt.date(2020, 12, 30)
    assert meeting.invited == ["DfE SEND adviser", "NHS England adviser"]
    assert AuditEntry.objects.filter(object_kind="review meeting", plan_id=plan.pk).exists()


def test_a_support_and_challenge_meeting_needs_its_number(plan, q3, officer):
    with pytest.raises(ValidationError) as refused:
        review_meeting_create(plan=plan, user=officer, kind="support_challenge",
                              date=dt.date(2021, 1, 14), period=q3)
    assert "number" in refused.value.message_dict
    meeting = review_meeting_create(plan=plan, user=officer, kind="support_challenge",
                                    number=3, date=dt.date(2021, 1, 14), period=q3)
    assert meeting.title == "Support and challenge meeting 3"


def test_a_pack_is_sent_only_once_its_period_is_closed(plan, q3, officer):
    meeting = ReviewMeetingFactory(plan=plan, period=q3, date=dt.date(2021, 1, 14),
                                   evidence_deadline=dt.date(2020, 12, 30))
    with pytest.raises(ValidationError, match="Close 2020-21 Q3"):
        pack_submit(meeting=meeting, user=officer)


def test_a_submitted_pack_downloads_byte_for_byte_as_stored(plan, jc, q3, officer, adviser):
    ActionFactory(plan=plan, workstream=jc)
    reporting_period_close(period=q3, user=officer)
    meeting = ReviewMeetingFactory(plan=plan, period=q3, date=dt.date(2021, 1, 14),
                                   evidence_deadline=dt.date(2020, 12, 30))
    response = client_for(officer).post(url("meeting_submit", plan, meeting_id=meeting.pk))
    assert response.status_code == 302
    submission = meeting.submissions.get()
    stored = bytes(submission.content)
    assert submission.submitted_by == officer
    assert submission.sha256 == hashlib.sha256(stored).hexdigest()

    download = client_for(adviser).get(url("submitted_pack", plan, meeting_id=meeting.pk,
                                           submission_id=submission.pk))
    assert download.status_code == 200 and download.content == stored
    assert AuditEntry.objects.filter(object_kind="monitoring pack sent",
                                     plan_id=plan.pk).exists()


def test_the_outcome_is_recorded_with_the_letter_and_agreed_moves(plan, jc, q3, officer):
    moved = ActionFactory(plan=plan, workstream=jc, original_due_date=dt.date(2020, 11, 30),
                          current_due_date=dt.date(2021, 3, 31))
    meeting = ReviewMeetingFactory(plan=plan, period=q3, date=dt.date(2021, 1, 14),
                                   evidence_deadline=dt.date(2020, 12, 30), feedback="",
                                   feedback_file="")
    response = client_for(officer).post(url("meeting_outcome", plan, meeting_id=meeting.pk), {
        "feedback": "Good progress on joint commissioning.",
        "file": SimpleUploadedFile("letter.pdf", PDF), "agreed_actions": [moved.pk]})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.feedback == "Good progress on joint commissioning."
    assert meeting.outcome_recorded_by == officer
    agreed = AgreedDueDate.objects.get(meeting=meeting)
    assert (agreed.action, agreed.due_date) == (moved, dt.date(2021, 3, 31))
    letter = client_for(officer).get(url("meeting_letter", plan, meeting_id=meeting.pk))
    assert b"".join(letter.streaming_content) == PDF


def test_a_letter_that_is_not_what_its_name_says_is_refused(plan, q3, officer):
    meeting = ReviewMeetingFactory(plan=plan, period=q3, feedback="", feedback_file="")
    response = client_for(officer).post(url("meeting_outcome", plan, meeting_id=meeting.pk), {
        "feedback": "Fine.", "file": SimpleUploadedFile("letter.pdf", b"MZ not a pdf")})
    assert response.status_code == 200
    assert "not a real PDF file" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.outcome_recorded_at is None


def test_the_monitoring_page_says_how_many_working_days_remain(plan, q3, board_member):
    today = timezone.localdate()
    meeting_day = today + dt.timedelta(days=40)
    ReviewMeetingFactory(plan=plan, period=q3, date=meeting_day,
                         evidence_deadline=evidence_deadline_for(meeting_day))
    deadline = next_evidence_deadline(plan, today)
    page = client_for(board_member).get(url("home", plan)).content.decode()
    assert f"{deadline.working_days_left} working days left" in page


def test_a_lead_cannot_close_a_period(plan, q3, jc_lead):
    response = client_for(jc_lead).post(url("period_close", plan, period_slug="2020-21-Q3"))
    assert response.status_code == 403
    assert not ReportingPeriod.objects.get(pk=q3.pk).is_closed


def test_an_officer_closes_a_period_but_only_an_administrator_reopens_it(
        plan, q3, officer, plan_administrator):
    assert client_for(officer).post(url("period_close", plan, period_slug="2020-21-Q3"),
                                    {"reason": ""}).status_code == 302
    assert ReportingPeriod.objects.get(pk=q3.pk).is_closed
    assert client_for(officer).post(url("period_reopen", plan, period_slug="2020-21-Q3"),
                                    {"reason": "Late figures"}).status_code == 403
    refused = client_for(plan_administrator).post(
        url("period_reopen", plan, period_slug="2020-21-Q3"), {"reason": ""})
    assert "Enter the reason the period is being reopened" in refused.content.decode()
    assert client_for(plan_administrator).post(
        url("period_reopen", plan, period_slug="2020-21-Q3"),
        {"reason": "Late figures"}).status_code == 302
    assert not ReportingPeriod.objects.get(pk=q3.pk).is_closed


def test_the_dashboard_says_how_many_working_days_remain_before_the_next_deadline(
        plan, q3, board_member):
    today = timezone.localdate()
    meeting_day = today + dt.timedelta(days=40)
    deadline = evidence_deadline_for(meeting_day)
    ReviewMeetingFactory(plan=plan, period=q3, date=meeting_day, evidence_deadline=deadline)
    page = client_for(board_member).get(reverse("dashboard:home", args=[plan.slug]))
    days = working_days_until(today, deadline)
    assert f"{days} working days from today" in page.content.decode()


def test_the_plan_page_lists_past_and_next_meetings_with_their_deadlines(
        plan, q3, board_member):
    today = timezone.localdate()
    ReviewMeetingFactory(plan=plan, period=q3, date=dt.date(2021, 1, 14),
                         evidence_deadline=dt.date(2020, 12, 30))
    ReviewMeetingFactory(plan=plan, period=q3, kind="stocktake",
                         date=today + dt.timedelta(days=30),
                         evidence_deadline=evidence_deadline_for(today + dt.timedelta(days=30)))
    page = client_for(board_member).get(reverse("workstreams:plan", args=[plan.slug]))
    text = page.content.decode()
    assert "Next review meetings" in text and "Past review meetings" in text
    assert "DfE/NHS England quarterly review, 14 Jan 2021" in text
    assert "30 Dec 2020" in text and "Stocktake" in text
