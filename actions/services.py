"""Writes to actions. Each change is one transaction, names the acting user and, where the
change needs one, the reason, so the audit trail can say who changed what and why."""

import datetime as dt
import uuid
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from audit.services import preload_history_links
from dashboard.models import BoardBaseline, BoardBaselineAction
from plans.dates import outside_window
from plans.models import BoardMeeting, Plan, ReportingPeriod
from plans.services import closed_period_holding, ensure_plan_open, period_closed_message
from send_wsoa.files import delete_on_rollback

from .models import Action, Evidence, Milestone, ProgressUpdate, Rag

NARRATIVE_MAX_CHARS = 5000
REASON_MAX_CHARS = 1000
TITLE_MAX_CHARS = 200
MILESTONE_TITLE_MAX_CHARS = 300
ELLIPSIS = "…"

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_SIGNATURE = b"PK\x03\x04"

# Extension -> (content type stored and served, how the content must start).
EVIDENCE_TYPES: dict[str, tuple[str, str]] = {
    ".pdf": ("application/pdf", "pdf"),
    ".doc": ("application/msword", "ole2"),
    ".xls": ("application/vnd.ms-excel", "ole2"),
    ".ppt": ("application/vnd.ms-powerpoint", "ole2"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "zip:word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "zip:xl/"),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "zip:ppt/"),
    ".png": ("image/png", "image/png"),
    ".jpg": ("image/jpeg", "image/jpeg"),
    ".jpeg": ("image/jpeg", "image/jpeg"),
    ".gif": ("image/gif", "image/gif"),
}
EVIDENCE_TYPE_WORDS = "PDF, Word, Excel, PowerPoint, PNG, JPEG or GIF"


class ConflictError(Exception):
    """The action changed after the user read it; holds what changed since."""

    def __init__(self, *, action: Action, seen_version: int, changes: list, updates: list):
        super().__init__(action.ref)
        self.action = action
        self.seen_version = seen_version
        self.changes = changes
        self.updates = updates

    def __str__(self) -> str:
        return (f"{self.action.ref} is at version {self.action.version}; "
                f"the change was based on version {self.seen_version}")


def repeats_own_update(conflict: ConflictError, *, user: User, rag: str, narrative: str,
                       period: ReportingPeriod | None, date: dt.date, **_) -> bool:
    """Whether the only change since the user read the action is this very update, saved
    by them a moment ago: a second press of "Confirm and save", not someone else's work."""
    if conflict.action.version != conflict.seen_version + 1 or len(conflict.updates) != 1:
        return False
    saved = conflict.updates[0]
    return (saved.author_id == user.pk and saved.rag == rag and saved.narrative == narrative
            and saved.date == date and saved.period_id == getattr(period, "pk", None))


def _locked(action: Action) -> Action:
    """The action re-read under a row lock so concurrent writers queue behind each other;
    every write to an action starts here, so a closed plan's actions are refused here."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    # Read apart from the lock, so writers to different actions never queue on the plan.
    ensure_plan_open(Plan.objects.get(pk=locked.plan_id))
    return locked


def changes_since(action: Action, seen_version: int) -> tuple[list, list]:
    """The action's recorded changes after `seen_version`, and the progress updates added
    since, newest first."""
    changes = list(action.history.filter(version__gt=seen_version)
                   .select_related("history_user").order_by("-history_date"))
    updates: list[ProgressUpdate] = []
    if changes:
        since = changes[-1].history_date
        updates = list(action.progress_updates.filter(created_at__gte=since)
                       .select_related("author", "period").order_by("-created_at"))
    return changes, updates


def check_version(action: Action, expected_version: int) -> None:
    if action.version != expected_version:
        changes, updates = changes_since(action, expected_version)
        raise ConflictError(action=action, seen_version=expected_version, changes=changes,
                            updates=updates)


def _save_action(action: Action, *, user: User, reason: str) -> None:
    action.version += 1
    action._change_reason = reason
    action._history_user = user
    action.save()


def clipped(text: str, *, max_chars: int) -> str:
    """`text` on one line, cut after the last whole word that fits with an ellipsis if it is
    longer than `max_chars`."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    kept = text[:max_chars - len(ELLIPSIS)]
    if text[len(kept)] != " " and " " in kept:
        kept = kept.rsplit(" ", 1)[0]
    return kept.rstrip(" ,;:.-") + ELLIPSIS


def _require_text(errors: dict, name: str, value: str, *, label: str, max_chars: int,
                  missing: str) -> None:
    if not value or not value.strip():
        errors.setdefault(name, []).append(missing)
    elif len(value) > max_chars:
        errors.setdefault(name, []).append(
            f"{label} must be {max_chars:,} characters or fewer (it has {len(value):,})")


def _not_in_future(errors: dict, name: str, value: dt.date | None, *, label: str) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(name, []).append(f"{label} must be today or in the past")


def _within_plan(errors: dict, name: str, value: dt.date | None, *, plan: Plan,
                 label: str) -> None:
    # One message a field: a date already refused as in the future needs no second.
    if name not in errors and (message := outside_window(plan, value, label=label)):
        errors[name] = [message]


def validate_progress_update(*, action: Action, rag: str, narrative: str,
                             period: ReportingPeriod | None, date: dt.date | None,
                             completed_date: dt.date | None = None,
                             milestones_reason: str = "",
                             closed_periods: list[ReportingPeriod] | None = None) -> None:
    """Raise ValidationError, by field, if this progress update cannot be saved.
    `closed_periods`, the plan's closed periods when already read, saves reading them."""
    errors: dict[str, list[str]] = {}
    if rag not in Rag.values:
        errors["rag"] = ["Select the RAG status you are reporting"]
    _require_text(errors, "narrative", narrative, label="Narrative", max_chars=NARRATIVE_MAX_CHARS,
                  missing="Enter a narrative explaining the progress and the RAG status")
    if period is None or period.plan_id != action.plan_id:
        errors["period"] = ["Select a reporting period of this plan"]
    elif period.is_closed:
        errors["period"] = [period_closed_message(period)]
    if date is None:
        errors["date"] = ["Enter the date of the update"]
    elif (closed := _closed_period_holding(action.plan_id, date, closed_periods)) \
            and "period" not in errors:
        errors["date"] = [f"The date of the update is in {period_closed_message(closed)}"]
    _not_in_future(errors, "date", date, label="The date of the update")
    _within_plan(errors, "date", date, plan=action.plan, label="The date of the update")
    if rag == Rag.BLUE:
        if completed_date is None:
            errors["completed_date"] = ["Enter the date the action was completed"]
        _not_in_future(errors, "completed_date", completed_date, label="The completed date")
        _within_plan(errors, "completed_date", completed_date, plan=action.plan,
                     label="The completed date")
        undone = action.milestones.filter(done_date__isnull=True).count()
        if undone:
            _require_text(
                errors, "milestones_reason", milestones_reason,
                label="The reason the remaining milestones are not done",
                max_chars=REASON_MAX_CHARS,
                missing=f"Enter the reason the remaining {undone} milestone"
                        f"{'s are' if undone != 1 else ' is'} not done")
    else:
        if completed_date is not None:
            errors["completed_date"] = ["Only a Blue (completed) action has a completed date"]
        if milestones_reason.strip():
            errors["milestones_reason"] = [
                "Only give a reason for milestones not done when reporting Blue (completed)"]
    if errors:
        raise ValidationError(errors)


def _closed_period_holding(plan_id: int, day: dt.date,
                           closed_periods: list[ReportingPeriod] | None):
    if closed_periods is None:
        return closed_period_holding(plan_id, day)
    return next((period for period in closed_periods if period.plan_id == plan_id
                 and period.start <= day <= period.end), None)


@transaction.atomic
def progress_update_create(*, action: Action, user: User, expected_version: int, rag: str,
                           narrative: str, period: ReportingPeriod, date: dt.date,
                           completed_date: dt.date | None = None,
                           milestones_reason: str = "") -> ProgressUpdate:
    """Report on an action. The only way its RAG changes, so every colour comes with the
    words that explain it."""
    meetings = _board_meetings_locked({action.plan_id}, [date])
    action = _locked(action)
    check_version(action, expected_version)
    # Read afresh under the action's lock: a period closed since the form was read counts.
    period = ReportingPeriod.objects.get(pk=period.pk) if period is not None else None
    validate_progress_update(action=action, rag=rag, narrative=narrative, period=period,
                             date=date, completed_date=completed_date,
                             milestones_reason=milestones_reason)

    update = _report(action, user=user, rag=rag, narrative=narrative, period=period,
                     date=date, completed_date=completed_date,
                     milestones_reason=milestones_reason, latest_date=latest_report_date(action))
    _keep_board_baselines([update], meetings)
    return update


def latest_report_date(action: Action) -> dt.date | None:
    """The date of the action's latest progress update, if it has one."""
    return action.progress_updates.order_by("-date").values_list("date", flat=True).first()


def report_sets_colour(date: dt.date, latest_date: dt.date | None) -> bool:
    """Whether an update of `date` sets the action's RAG: the action's RAG is its latest
    report by date, as the RAG history and "since the last board" read it, so an update
    back-dated behind a later one is kept in the history and leaves the colour alone."""
    return latest_date is None or date >= latest_date


def _report(action: Action, *, user: User | None, rag: str, narrative: str,
            period: ReportingPeriod, date: dt.date, completed_date: dt.date | None,
            milestones_reason: str, latest_date: dt.date | None) -> ProgressUpdate:
    """Saves a checked progress update and the action's new colour; `latest_date` is the
    date of the action's latest report before this one."""
    # The lead's own words explain the colour in the trail; the change says what it was.
    reason = clipped(narrative, max_chars=REASON_MAX_CHARS)
    if milestones_reason.strip():
        # Kept whole: the progress update itself has nowhere else to hold it.
        reason += f" (Remaining milestones not done because: {milestones_reason.strip()})"
    if report_sets_colour(date, latest_date):
        action.rag = rag
        action.completed_date = completed_date if rag == Rag.BLUE else None
    _save_action(action, user=user, reason=reason)

    # Created after the action's new version is recorded, so conflicts can find it by time.
    update = ProgressUpdate(action=action, rag=rag, narrative=narrative, period=period,
                            date=date, author=user, created_at=timezone.now())
    update._change_reason = reason
    update._history_user = user
    update.save()
    return update


def _board_meetings_locked(plan_ids: set[int], dates: list[dt.date | None]) -> list[int]:
    """The board meetings of these plans whose baselines updates of these dates could
    change: held on or after the earliest, or recorded as at such a day (a meeting moved
    since). Locked before anything else the update does, as recording a baseline locks its
    meeting before it writes, so the two queue rather than each wait for the other's locks
    (the action's, the page cache's revision, the baseline rows' keys)."""
    dates = [day for day in dates if day is not None]
    if not dates:
        return []
    earliest = min(dates)
    return list(BoardMeeting.objects.select_for_update(of=("self",))
                .filter(Q(date__gte=earliest) | Q(baseline__date__gte=earliest),
                        plan_id__in=plan_ids).values_list("pk", flat=True))


def _keep_board_baselines(updates: list[ProgressUpdate], meetings: list[int]) -> None:
    """An update dated on or before the day a meeting's baseline (dashboard.services) was
    recorded as at can be its action's latest report by then, so the action's row there is
    read again. `meetings` are those _board_meetings_locked found for the updates."""
    for baseline in BoardBaseline.objects.filter(meeting__in=meetings).select_related("meeting"):
        for update in updates:
            if update.action.plan_id != baseline.meeting.plan_id or update.date > baseline.date:
                continue
            rag = (update.action.progress_updates.as_of(baseline.date).latest_first()
                   .values_list("rag", flat=True).first())
            # An action added to the plan after the meeting was not there then.
            BoardBaselineAction.objects.update_or_create(
                baseline=baseline, action=update.action, defaults={"rag": rag},
                create_defaults={"rag": rag, "existed": False})


@transaction.atomic
def progress_updates_create(*, reports: list[dict], user: User | None) -> list[ProgressUpdate]:
    """Report on many actions at once, as an import does: each report (the keyword
    arguments of progress_update_create but `user`, one per action) is checked by the same
    rules, under one lock on all its actions, and all are saved or none. A report without
    an expected version is of an action the caller has just changed itself (an import,
    whose preview is applied only while the plan is as previewed)."""
    ids = [report["action"].pk for report in reports]
    if len(set(ids)) != len(ids):
        raise ValueError("one report per action")
    meetings = _board_meetings_locked({report["action"].plan_id for report in reports},
                                      [report.get("date") for report in reports])
    # The plan is read with the actions but, as in _locked, not locked with them.
    locked = Action.objects.select_for_update(of=("self",)).select_related("plan").in_bulk(ids)
    plans = {action.plan_id: action.plan for action in locked.values()}
    for plan in plans.values():
        ensure_plan_open(plan)
    # Read afresh under the actions' lock: a period closed since the file was read counts.
    periods = {period.pk: period for period in ReportingPeriod.objects.filter(plan__in=plans)}
    closed = [period for period in periods.values() if period.is_closed]
    # The actions' history keeps their contributors: read for all of them at once.
    preload_history_links(list(locked.values()))
    # The date of each action's latest report, for its colour (see _report), read at once.
    latest_dates = dict(ProgressUpdate.objects.filter(action__in=ids).order_by()
                        .values("action").annotate(latest=Max("date"))
                        .values_list("action", "latest"))
    checked = []
    for report in reports:
        report = {"completed_date": None, "milestones_reason": "", **report}
        action = locked[report.pop("action").pk]
        if "expected_version" in report:
            check_version(action, report.pop("expected_version"))
        period = report["period"]
        report["period"] = periods.get(period.pk, period) if period is not None else None
        validate_progress_update(action=action, closed_periods=closed, **report)
        checked.append((action, report))
    updates = [_report(action, user=user, latest_date=latest_dates.get(action.pk), **report)
               for action, report in checked]
    _keep_board_baselines(updates, meetings)
    return updates


@transaction.atomic
def milestone_create(*, action: Action, user: User, title: str,
                     due_date: dt.date | None) -> Milestone:
    action = _locked(action)
    errors: dict[str, list[str]] = {}
    _require_text(errors, "title", title, label="Milestone", max_chars=MILESTONE_TITLE_MAX_CHARS,
                  missing="Enter the milestone")
    if due_date is None:
        errors["due_date"] = ["Enter the date the milestone is due"]
    _within_plan(errors, "due_date", due_date, plan=action.plan,
                 label="The date the milestone is due")
    if errors:
        raise ValidationError(errors)
    milestone = Milestone(action=action, title=title.strip(), due_date=due_date)
    milestone._change_reason = f"Milestone added to {action.ref}"
    milestone._history_user = user
    milestone.save()
    return milestone


@transaction.atomic
def milestone_mark_done(*, milestone: Milestone, user: User, done_date: dt.date | None = None,
                        reason: str = "") -> Milestone:
    _locked(milestone.action)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    errors: dict[str, list[str]] = {}
    if milestone.done_date is not None:
        errors["done_date"] = [f"This milestone was already marked done on "
                               f"{milestone.done_date:%-d %B %Y}"]
    done_date = done_date or timezone.localdate()
    _not_in_future(errors, "done_date", done_date, label="The date the milestone was done")
    _within_plan(errors, "done_date", done_date, plan=milestone.action.plan,
                 label="The date the milestone was done")
    if len(reason) > REASON_MAX_CHARS:
        errors["reason"] = [f"The note must be {REASON_MAX_CHARS:,} characters or fewer "
                            f"(it has {len(reason):,})"]
    if errors:
        raise ValidationError(errors)
    milestone.done_date = done_date
    milestone._change_reason = reason.strip() or "Milestone marked done"
    milestone._history_user = user
    milestone.save()
    return milestone


def validate_due_date_move(*, action: Action, new_due_date: dt.date | None,
                           reason: str) -> None:
    """Raise ValidationError, by field, if the due date cannot move as asked."""
    errors: dict[str, list[str]] = {}
    if new_due_date is None:
        errors["new_due_date"] = ["Enter the new due date"]
    elif new_due_date == action.current_due_date:
        errors["new_due_date"] = ["The new due date must differ from the current due date"]
    elif action.start_date and new_due_date < action.start_date:
        errors["new_due_date"] = [
            f"The new due date must be on or after the start date, "
            f"{action.start_date:%-d %B %Y}"]
    else:
        _within_plan(errors, "new_due_date", new_due_date, plan=action.plan,
                     label="The new due date")
    _require_text(errors, "reason", reason, label="The reason", max_chars=REASON_MAX_CHARS,
                  missing="Enter the reason the due date is moving")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def due_date_move(*, action: Action, user: User, expected_version: int, new_due_date: dt.date,
                  reason: str) -> Action:
    """Move the current due date; the original due date stays as the plan published it."""
    action = _locked(action)
    check_version(action, expected_version)
    validate_due_date_move(action=action, new_due_date=new_due_date, reason=reason)
    if action.original_due_date is None and action.current_due_date:
        # Keep the date being moved from as the original, so the slippage stays visible.
        action.original_due_date = action.current_due_date
    action.current_due_date = new_due_date
    _save_action(action, user=user, reason=reason.strip())
    return action


ACCOUNTABILITY_FIELDS = ("delivery_team", "lead_agency", "sponsoring_director_name",
                         "sponsoring_director_role", "action_lead_name", "action_lead_role")
PERSON_MAX_CHARS = 200


@transaction.atomic
def accountability_update(*, action: Action, user: User | None, expected_version: int,
                          reason: str, **fields) -> Action:
    """Name who delivers the action: its delivery team and lead agency (organisations of
    the plan), sponsoring director and action lead (names and roles)."""
    action = _locked(action)
    check_version(action, expected_version)
    errors: dict[str, list[str]] = {}
    for name, value in fields.items():
        if name not in ACCOUNTABILITY_FIELDS:
            raise TypeError(f"{name} is not who delivers an action")
        if name in ("delivery_team", "lead_agency"):
            if value is not None and value.plan_id != action.plan_id:
                errors[name] = ["Choose an organisation of this plan"]
        elif len(value or "") > PERSON_MAX_CHARS:
            errors[name] = [f"Must be {PERSON_MAX_CHARS} characters or fewer "
                            f"(it has {len(value):,})"]
    _require_text(errors, "reason", reason, label="The reason", max_chars=REASON_MAX_CHARS,
                  missing="Enter the reason for the change")
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        setattr(action, name, value if name in ("delivery_team", "lead_agency")
                else (value or "").strip())
    _save_action(action, user=user, reason=reason.strip())
    return action


def evidence_content_type(upload: UploadedFile) -> str:
    """The content type of an evidence file, judged by its content as well as its name;
    raises ValidationError on the `file` field otherwise."""
    max_bytes = settings.EVIDENCE_MAX_BYTES
    if upload.size == 0:
        raise ValidationError({"file": ["The selected file is empty"]})
    if upload.size > max_bytes:
        raise ValidationError({"file": [
            f"The selected file must be smaller than {_size_words(max_bytes)}"]})
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in EVIDENCE_TYPES:
        raise ValidationError({"file": [f"The selected file must be a {EVIDENCE_TYPE_WORDS}"]})
    content_type, signature = EVIDENCE_TYPES[extension]
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if not _content_matches(upload, head, signature):
        raise ValidationError({"file": [
            f"The selected file is not a real {extension[1:].upper()} file: its content does "
            f"not match its name. Upload a {EVIDENCE_TYPE_WORDS}"]})
    return content_type


def _content_matches(upload: UploadedFile, head: bytes, signature: str) -> bool:
    if signature == "ole2":
        return head.startswith(OLE2_SIGNATURE)
    if signature.startswith("zip:"):
        if not head.startswith(ZIP_SIGNATURE):
            return False
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        finally:
            upload.seek(0)
        folder = signature.removeprefix("zip:")
        return any(name.startswith(folder) for name in names)
    if signature == "pdf":
        return head.startswith(b"%PDF-")
    kind = filetype.guess(head)
    return kind is not None and kind.mime == signature


def _size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


@transaction.atomic
def evidence_add(*, action: Action, user: User, title: str, url: str = "",
                 file: UploadedFile | None = None,
                 kind: str = Evidence.Kind.OTHER) -> Evidence:
    action = _locked(action)
    errors: dict[str, list[str]] = {}
    if kind not in Evidence.Kind.values:
        errors["kind"] = ["Select the type of evidence"]
    _require_text(errors, "title", title, label="Title", max_chars=TITLE_MAX_CHARS,
                  missing="Enter a title for the evidence")
    url = (url or "").strip()
    if url and not url.lower().startswith("https://"):
        errors["url"] = ["Enter a link that starts with https://"]
    elif url and len(url) > Evidence._meta.get_field("url").max_length:
        errors["url"] = ["The link must be 500 characters or fewer"]
    if not url and file is None:
        errors["file"] = ["Enter a link or choose a file to upload"]
    elif url and file is not None:
        errors["file"] = ["Give either a link or a file, not both"]
    content_type = ""
    if file is not None and "file" not in errors:
        try:
            content_type = evidence_content_type(file)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    evidence = Evidence(action=action, title=title.strip(), url=url, uploaded_by=user, kind=kind,
                        content_type=content_type, uploaded_at=timezone.now())
    if file is not None:
        # A random stored name: the uploader's file name never becomes a path on disk.
        extension = PurePath(file.name).suffix.lower()
        evidence.file.save(f"{uuid.uuid4().hex}{extension}", file, save=False)
        delete_on_rollback(evidence.file.storage, evidence.file.name)
    evidence._change_reason = f"Evidence added to {action.ref}"
    evidence._history_user = user
    evidence.save()
    return evidence
