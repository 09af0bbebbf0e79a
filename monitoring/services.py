"""Making the monitoring pack, and sending it for a review meeting."""

import datetime as dt
import hashlib

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.checkpoints import pack_attestation
from audit.services import person_label
from plans.models import PackSubmission, Plan, ReportingPeriod, ReviewMeeting
from plans.services import ensure_plan_open

from .selectors import pack_content
from .workbook import filename, pack_bytes


def monitoring_pack(*, plan: Plan, period: ReportingPeriod, generated_by: str,
                    now: dt.datetime | None = None) -> tuple[str, bytes]:
    """The pack's file name and workbook: a closed period's as at its close, an open
    period's as at `now`."""
    now = now or timezone.now()
    content = pack_content(plan, period, now=now)
    # The trail's state as the pack is made, so the pack attests it to its readers.
    attestation = pack_attestation(now=now).lines()
    return filename(content), pack_bytes(content, generated_at=now, generated_by=generated_by,
                                         attestation=attestation)


@transaction.atomic
def pack_submit(*, meeting: ReviewMeeting, user: User) -> PackSubmission:
    """Generate the pack of the period the meeting reviews and keep it exactly as sent.
    Only a closed period's pack is sent: an open period's figures could still change."""
    meeting = ReviewMeeting.objects.select_for_update().select_related(
        "period", "plan__local_area").get(pk=meeting.pk)
    ensure_plan_open(meeting.plan)
    period = meeting.period
    if not period.is_closed:
        raise ValidationError(
            f"Close {period.name} before sending its pack, so the pack sent is final")
    name, content = monitoring_pack(plan=meeting.plan, period=period,
                                    generated_by=person_label(user))
    submission = PackSubmission(meeting=meeting, filename=name, content=content,
                                sha256=hashlib.sha256(content).hexdigest(),
                                submitted_at=timezone.now(), submitted_by=user)
    submission._change_reason = f"{period.financial_quarter} monitoring pack sent for {meeting}"
    submission._history_user = user
    submission.save()
    return submission
