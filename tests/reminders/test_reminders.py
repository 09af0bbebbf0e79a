"""Reminders: to each lead, one email a set number of working days before a deadline
listing what they still owe, sent once however often the command runs; a weekly digest for
those who chose one; none for those who turned them off; a record officers can read."""

import datetime as dt
import mailbox
import os
import socket
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from actions.models import Rag
from dashboard.services import board_meeting_schedule
from reminders.models import Reminder, ReminderChoice
from reminders.services import send_reminders
from tests.factories import (
    ActionFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    member,
)

# 2020-Q4 ends on Thursday 31 December 2020; five working days before it, skipping the
# Christmas and Boxing Day bank holidays (25 and 28 December), is Tuesday 22 December.
Q4_END = dt.date(2020, 12, 31)
REMINDER_DAY = dt.date(2020, 12, 22)


@pytest.fixture
def q4(plan):
    return ReportingPeriodFactory(plan=plan, label="2020-Q4", start=dt.date(2020, 10, 1),
                                  end=Q4_END)


@pytest.fixture
def lead(plan, jc):
    return member(UserFactory(username="jo", first_name="Jo", last_name="Lee",
                              email="jo.lee@example.gov.uk"), plan, Role.LEAD, jc)


@pytest.fixture
def jc_actions(plan, jc, ehc, q4):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.GREEN,
                  title="Joint commissioning strategy")
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.AMBER,
                  title="Speech and language therapy review")
    updated = ActionFactory(plan=plan, workstream=jc, ref="JC3", ref_number=3, rag=Rag.GREEN)
    ProgressUpdateFactory(action=updated, period=q4, date=dt.date(2020, 11, 2))
    ActionFactory(plan=plan, workstream=ehc, ref="EHC1", ref_number=1, rag=Rag.RED)


def test_a_lead_gets_one_email_listing_every_action_still_owed_once(lead, jc_actions,
                                                                    board_member):
    assert send_reminders(today=REMINDER_DAY - dt.timedelta(days=1)) == []

    sent = send_reminders(today=REMINDER_DAY)
    again = send_reminders(today=REMINDER_DAY)
    later = send_reminders(today=REMINDER_DAY + dt.timedelta(days=2))

    assert (len(sent), again, later) == (1, [], [])
    [email] = mail.outbox
    assert email.to == ["jo.lee@example.gov.uk"]
    assert email.subject == "Test Area: 2 progress updates due by 31 Dec 2020"
    assert "Dear Jo Lee," in email.body
    assert "- JC1: Joint commissioning strategy" in email.body
    assert "- JC2: Speech and language therapy review" in email.body
    assert "JC3" not in email.body and "EHC1" not in email.body
    assert "/test-area/actions/JC1/updates/new/" in email.body
    record = Reminder.objects.get()
    assert (record.recipient, record.kind, record.key) == (lead, "update", "2020-12-31")


def test_a_reminder_the_scheduler_missed_is_sent_on_the_next_run_before_the_deadline(
        lead, jc_actions):
    assert len(send_reminders(today=dt.date(2020, 12, 29))) == 1
    assert send_reminders(today=dt.date(2021, 1, 4)) == []


def test_a_lead_with_nothing_owed_or_reminders_off_gets_nothing(plan, lead, jc_actions,
                                                               ehc_lead):
    ReminderChoice.objects.create(user=lead, plan=plan, frequency="off")
    ehc_lead.email = ""
    ehc_lead.save()

    assert send_reminders(today=REMINDER_DAY) == []
    assert mail.outbox == []


def test_a_weekly_digest_instead_comes_on_mondays_only_once_a_week(plan, lead, jc_actions):
    ReminderChoice.objects.create(user=lead, plan=plan, frequency="weekly")

    tuesday = send_reminders(today=REMINDER_DAY)
    monday = send_reminders(today=dt.date(2020, 12, 21))
    monday_again = send_reminders(today=dt.date(2020, 12, 21))
    next_monday = send_reminders(today=dt.date(2020, 12, 28))

    assert (tuesday, len(monday), monday_again, len(next_monday)) == ([], 1, [], 1)
    assert [reminder.key for reminder in Reminder.objects.order_by("sent_at")] == [
        "2020-W52", "2020-W53"]
    assert mail.outbox[0].subject == "Test Area: your week's reminder"


def test_commentaries_due_are_reminded_in_one_email(plan, jc, lead, officer, q4):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1, rag=Rag.RED)
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2, rag=Rag.RED)
    ProgressUpdateFactory(action=plan.actions.get(ref="JC1"), period=q4,
                          date=dt.date(2020, 11, 2))
    ProgressUpdateFactory(action=plan.actions.get(ref="JC2"), period=q4,
                          date=dt.date(2020, 11, 2))
    board_meeting_schedule(plan=plan, user=officer, date=dt.date(2020, 12, 15),
                           commentary_deadline=dt.date(2020, 12, 11),
                           today=dt.date(2020, 11, 20))

    sent = send_reminders(today=dt.date(2020, 12, 4))

    assert [reminder.kind for reminder in sent] == ["commentary"]
    assert mail.outbox[0].subject == "Test Area: 2 commentaries for the board due by 11 Dec 2020"


def test_the_command_sends_and_says_how_many(lead, jc_actions, capsys):
    call_command("send_reminders", "--today", REMINDER_DAY.isoformat())
    call_command("send_reminders", "--today", REMINDER_DAY.isoformat())

    assert capsys.readouterr().out.splitlines() == ["1 reminder sent", "0 reminders sent"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_inbox(tmp_path):
    """A local aiosmtpd server delivering into a maildir. It runs as a process of its own,
    started outside the project folder: aiosmtpd's dependency atpublic is a top-level module
    named `public`, which the project's own public app would hide from it."""
    port = _free_port()
    maildir = tmp_path / "inbox"
    server = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        cwd=tmp_path, env={name: value for name, value in os.environ.items()
                           if name != "PYTHONPATH"})
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        else:
            raise RuntimeError("aiosmtpd did not start")
        yield port, mailbox.Maildir(maildir)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_reminders_go_out_over_smtp(lead, jc_actions, settings, smtp_inbox):
    port, inbox = smtp_inbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False

    send_reminders(today=REMINDER_DAY)

    [message] = inbox
    assert message["To"] == "jo.lee@example.gov.uk"
    assert "JC1: Joint commissioning strategy" in message.get_payload(decode=True).decode()


def test_officers_read_who_was_reminded_and_leads_choose_how_often(client, plan, lead,
                                                                   jc_actions, officer):
    send_reminders(today=REMINDER_DAY)
    client.force_login(officer)
    page = client.get(reverse("reminders:sent", kwargs={"plan_slug": plan.slug}))
    assert "jo.lee@example.gov.uk" in page.content.decode()
    assert "Progress updates due" in page.content.decode()

    client.force_login(lead)
    choice = reverse("reminders:choice", kwargs={"plan_slug": plan.slug})
    assert client.post(choice, {"frequency": "off"}).status_code == 302
    assert ReminderChoice.objects.get(user=lead, plan=plan).frequency == "off"
    refused = client.post(choice, {"frequency": ""})
    assert refused.status_code == 400
    assert "Select how often you want reminders" in refused.content.decode()
