"""Sending reminders: to each lead, a set number of working days before a deadline, one
email listing everything still missing for it (never one per action), or a weekly digest
on Mondays for those who chose one. Run daily by `send_reminders`; a reminder already sent
is never sent again."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions.selectors import worklist
from dashboard.selectors import exceptions_awaiting_commentary, next_board_meeting
from govuk.templatetags.govuk import uk_date
from plans.models import Membership, Plan
from plans.workdays import working_days_before

from .models import Reminder, ReminderChoice

Kind = Reminder.Kind
Frequency = ReminderChoice.Frequency
DIGEST_WEEKDAY = 0  # Monday


@dataclass
class Owed:
    """What a lead still owes: actions with no update this period, and exceptions of the
    next board with no commentary."""

    needs_update: list[dict]
    exceptions: list
    period_label: str = ""
    period_end: dt.date | None = None
    meeting_date: dt.date | None = None
    commentary_deadline: dt.date | None = None


def _owed(plan: Plan, today: dt.date, workstream_ids: set[int]) -> Owed:
    work = worklist(plan, today, workstream_ids)
    meeting = next_board_meeting(plan, today)
    return Owed(needs_update=work.needs_update,
                exceptions=exceptions_awaiting_commentary(plan, today, workstream_ids),
                period_label=work.period.financial_quarter if work.period else "",
                period_end=work.period.end if work.period else None,
                meeting_date=meeting.date if meeting else None,
                commentary_deadline=meeting.commentary_deadline if meeting else None)


def _due(deadline: dt.date | None, today: dt.date) -> bool:
    """From the set number of working days before the deadline up to the deadline itself,
    so a day the scheduler missed still sends it (once)."""
    if deadline is None:
        return False
    return working_days_before(deadline, settings.REMINDER_WORKING_DAYS) <= today <= deadline


def _link(name: str, plan: Plan, **kwargs) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"plan_slug": plan.slug,
                                                                 **kwargs})


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _update_lines(plan: Plan, owed: Owed) -> list[str]:
    return ([f"These actions have no progress update for {owed.period_label} yet, which "
             f"ends on {uk_date(owed.period_end)}:", ""]
            + [f"- {row['ref']}: {row['title']}\n"
               f"  {_link('actions:update_new', plan, ref=row['ref'])}"
               for row in owed.needs_update] + [""])


def _commentary_lines(plan: Plan, owed: Owed) -> list[str]:
    return ([f"The board meets on {uk_date(owed.meeting_date)} and asks for your commentary "
             f"on these exceptions by {uk_date(owed.commentary_deadline)}:", ""]
            + [f"- {exception.action.ref}: {exception.action.title}\n  "
               f"{_link('dashboard:exception_commentary', plan, exception_id=exception.pk)}"
               for exception in owed.exceptions] + [""])


def _message(user: User, plan: Plan, subject: str, lines: list[str]) -> EmailMessage:
    body = "\n".join([
        f"Dear {_name(user)},", "", *lines,
        f"Everything you lead is on Your actions: {_link('your_actions', plan)}", "",
        f"To hear from us less often, or not at all: {_link('reminders:choice', plan)}"])
    return EmailMessage(subject=subject, body=body, to=[user.email])


def _send(plan: Plan, user: User, kind: str, key: str, message: EmailMessage) -> Reminder | None:
    """Record the reminder and send it in one transaction: a failed send leaves no record,
    so the next run tries again; a record already there means it was sent."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                plan=plan, recipient=user, kind=kind, key=key, email=user.email,
                subject=message.subject, body=message.body, sent_at=timezone.now())
            message.send(fail_silently=False)
    except IntegrityError:
        return None
    return reminder


def _already_sent(plan: Plan, user: User, kind: str, key: str) -> bool:
    return Reminder.objects.filter(plan=plan, recipient=user, kind=kind, key=key).exists()


def send_reminders(*, today: dt.date | None = None) -> list[Reminder]:
    """Every reminder due today, in every open plan, each sent once."""
    today = today or timezone.localdate()
    sent: list[Reminder] = []
    for plan in Plan.objects.exclude(status=Plan.Status.CLOSED).select_related("local_area"):
        leads: dict[User, set[int]] = {}
        for membership in (Membership.objects.filter(plan=plan, role=Membership.Role.LEAD,
                                                     user__is_active=True)
                           .select_related("user").prefetch_related("workstreams")):
            leads[membership.user] = leads.get(membership.user, set()) | {
                workstream.pk for workstream in membership.workstreams.all()}
        choices = dict(ReminderChoice.objects.filter(plan=plan)
                       .values_list("user_id", "frequency"))
        for user, workstream_ids in leads.items():
            frequency = choices.get(user.pk, Frequency.DEADLINES)
            if frequency == Frequency.OFF or not user.email or not workstream_ids:
                continue
            owed = _owed(plan, today, workstream_ids)
            sent += [reminder for reminder in _reminders(plan, user, owed, frequency, today)
                     if reminder is not None]
    return sent


def _reminders(plan: Plan, user: User, owed: Owed, frequency: str, today: dt.date):
    where = f"{plan.local_area}"
    if frequency == Frequency.WEEKLY:
        if today.weekday() != DIGEST_WEEKDAY or not (owed.needs_update or owed.exceptions):
            return
        year, week, _ = today.isocalendar()
        key = f"{year}-W{week:02d}"
        if _already_sent(plan, user, Kind.DIGEST, key):
            return
        lines = ((_update_lines(plan, owed) if owed.needs_update else [])
                 + (_commentary_lines(plan, owed) if owed.exceptions else []))
        yield _send(plan, user, Kind.DIGEST, key, _message(
            user, plan, f"{where}: your week's reminder", lines))
        return
    if owed.needs_update and _due(owed.period_end, today):
        key = owed.period_end.isoformat()
        if not _already_sent(plan, user, Kind.UPDATE, key):
            count = len(owed.needs_update)
            yield _send(plan, user, Kind.UPDATE, key, _message(
                user, plan, f"{where}: {count} progress update{'s' if count != 1 else ''} "
                            f"due by {uk_date(owed.period_end)}", _update_lines(plan, owed)))
    if owed.exceptions and _due(owed.commentary_deadline, today):
        key = owed.commentary_deadline.isoformat()
        if not _already_sent(plan, user, Kind.COMMENTARY, key):
            count = len(owed.exceptions)
            yield _send(plan, user, Kind.COMMENTARY, key, _message(
                user, plan, f"{where}: {count} commentar{'ies' if count != 1 else 'y'} for "
                            f"the board due by {uk_date(owed.commentary_deadline)}",
                _commentary_lines(plan, owed)))


@transaction.atomic
def reminder_choice_set(*, user: User, plan: Plan, frequency: str) -> ReminderChoice:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": ["Select how often you want reminders"]})
    choice, _ = ReminderChoice.objects.update_or_create(user=user, plan=plan,
                                                         defaults={"frequency": frequency})
    return choice
