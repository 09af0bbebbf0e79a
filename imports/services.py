"""Importing a plan workbook: a new plan from a council's own spreadsheet, or a quarter's
returns into a plan. Both are checked over the whole file first and previewed (per action:
field, old -> new); nothing is written unless every row is sound, and the write is one
transaction. Returns go through the action page's own services, so their validation and
audit trail are those of a change made in the app, with the reason "imported from <file>"."""

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from actions import services as action_services
from actions.models import Action, Milestone, ProgressUpdate, Rag
from actions.services import clipped
from area_statistics.ofsted import OfstedFacts
from area_statistics.services import inspection_record
from audit.context import acting_as
from audit.services import batched_trail, bulk_add_tracked, bulk_create_tracked
from audit.wording import import_label
from plans.models import LocalArea, Plan, ReportingPeriod
from plans.services import ensure_plan_open, plan_create
from workstreams.models import Organisation, Weakness, Workstream

from .reader import (
    COLUMNS,
    ActionRow,
    MilestoneRow,
    Problem,
    ReadWorkbook,
    read_names,
    read_plan_workbook,
)

TITLE_MAX_CHARS = Action._meta.get_field("title").max_length
ORGANISATION_MAX_CHARS = Organisation._meta.get_field("name").max_length
PERSON_MAX_CHARS = action_services.PERSON_MAX_CHARS
WORKSTREAM_NAME_MAX_CHARS = Workstream._meta.get_field("name").max_length
WEAKNESS_SUMMARY_MAX_CHARS = Weakness._meta.get_field("summary").max_length
RAG_LABELS = {**dict(Rag.choices), "": "Not reported"}
COLUMN_NAMES = {key: names[0] for key, names in COLUMNS.items()}


def import_reason(file_name: str) -> str:
    return f"imported from {file_name}"


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class ActionPreview:
    ref: str
    title: str
    is_new: bool
    changes: list[Change] = field(default_factory=list)


@dataclass
class Prepared:
    """What an import would do, shown before it is done, and the steps that do it."""

    file_name: str
    plan: Plan | None
    new_plan_name: str = ""
    read: ReadWorkbook | None = None
    actions: list[ActionPreview] = field(default_factory=list)
    unchanged: int = 0
    new_workstreams: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    state: str = ""
    # Columns read but left alone by returns, which change only what leads report.
    kept_as_they_are: list[str] = field(default_factory=list)
    steps: list[Callable] = field(default_factory=list, repr=False)
    # Progress updates to make once the steps are done, one per action.
    reports: list[dict] = field(default_factory=list, repr=False)

    @property
    def is_valid(self) -> bool:
        return not self.problems

    @property
    def problem_lines(self) -> list[str]:
        return [str(problem) for problem in self.problems]

    @property
    def notes(self) -> list[str]:
        """What of the file is not imported, so nothing is dropped without a word."""
        read = self.read
        lines = []
        for sheet in read.skipped_sheets if read else []:
            lines.append(f"Sheet “{sheet}” has no row of action columns, so it was not read")
        if read and read.pack_sheets:
            lines.append("This is a monitoring pack: only its Actions sheet was read, as "
                         "its other sheets summarise it (" + ", ".join(read.pack_sheets)
                         + ")")
        for sheet, headings in (read.unrecognised.items() if read else []):
            lines.append(f"Sheet “{sheet}”: columns not recognised, so not imported: "
                         + ", ".join(headings))
        for sheet, headings in (read.information_only.items() if read else []):
            lines.append(f"Sheet “{sheet}”: columns read for information only, not "
                         "imported: " + ", ".join(headings))
        if self.kept_as_they_are:
            lines.append("Returns change RAG, progress, due dates, milestones and who delivers "
                         "each action; these columns were read and left as the plan has "
                         "them: " + ", ".join(self.kept_as_they_are))
        return lines

    @property
    def change_count(self) -> int:
        return sum(len(action.changes) for action in self.actions)


def _words(value) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def plan_state(plan: Plan | None, today: dt.date, *, slug: str = "") -> str:
    """A digest of everything an import reads of the plan: a preview is applied only
    while the plan is as it was when previewed (and on the same day, as the quarter an
    update falls in follows the day)."""
    digest = hashlib.sha256(f"{today.isoformat()}|{slug}".encode())
    if plan is None:
        digest.update(str(Plan.objects.filter(slug=slug).exists()).encode())
        return digest.hexdigest()
    parts = [
        Action.objects.filter(plan=plan).order_by("pk").values_list("pk", "version"),
        Milestone.objects.filter(action__plan=plan).order_by("pk").values_list(
            "pk", "title", "due_date", "done_date"),
        # Progress updates are only ever added, so their keys say whether any were.
        ProgressUpdate.objects.filter(action__plan=plan).order_by("pk").values_list("pk"),
        Organisation.objects.filter(plan=plan).order_by("pk").values_list("pk", "name"),
        Plan.objects.filter(pk=plan.pk).values_list("status"),
    ]
    for rows in parts:
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _problem(prepared: Prepared, row: ActionRow | MilestoneRow, key: str, message: str
             ) -> None:
    heading, value = row.cells.get(key, ("", None))
    prepared.problems.append(Problem(row.sheet, row.row, heading, value, message))


class _Organisations:
    """The plan's organisations by name, and the ones the import will create, once each."""

    def __init__(self, prepared: Prepared, plan: Plan | None):
        self.prepared = prepared
        self.by_name: dict[str, Organisation] = {}
        self.keys: set[str] = set()
        if plan is not None:
            for organisation in Organisation.objects.filter(plan=plan):
                self.keys.add(organisation.key)
                for name in (organisation.name, organisation.short_name):
                    if name:
                        self.by_name.setdefault(name.casefold(), organisation)

    def named(self, name: str, row: ActionRow, key: str) -> Organisation | None:
        if not name:
            return None
        if len(name) > ORGANISATION_MAX_CHARS:
            _problem(self.prepared, row, key, f"an organisation's name must be "
                                              f"{ORGANISATION_MAX_CHARS} characters or fewer")
            return None
        found = self.by_name.get(name.casefold())
        if found is None:
            base = slugify(name)[:50] or "organisation"
            org_key, number = base, 1
            while org_key in self.keys:
                number += 1
                org_key = f"{base}-{number}"
            self.keys.add(org_key)
            found = Organisation(key=org_key, name=name, kind=organisation_kind(name))
            self.by_name[name.casefold()] = found
            self.prepared.new_organisations.append(name)
        return found


def organisation_kind(name: str) -> str:
    """The kind of organisation its name suggests; a team when nothing does."""
    words = name.lower()
    kinds = Organisation.Kind
    for hints, kind in ((("parent carer", "parent/carer"), kinds.PARENT_CARER_FORUM),
                        (("ccg", "clinical commissioning", "icb", "integrated care board"),
                         kinds.CCG),
                        (("council",), kinds.COUNCIL), (("board",), kinds.BOARD),
                        (("nhs", "trust", "health"), kinds.HEALTH_PROVIDER),
                        (("school", "academ"), kinds.SCHOOLS)):
        if any(hint in words for hint in hints):
            return kind
    return kinds.TEAM


def _save(record, reason: str) -> None:
    record._change_reason = reason
    record.save()


def _check_person(prepared: Prepared, row: ActionRow, key: str, text: str) -> None:
    if len(text) > PERSON_MAX_CHARS:
        _problem(prepared, row, key, f"a name or role must be {PERSON_MAX_CHARS} "
                                     "characters or fewer")


def _person_fields(prepared: Prepared, row: ActionRow) -> dict[str, str]:
    """The action lead and sponsoring director, from a 'Name, role' cell or a name
    column and a role column."""
    fields = {}
    for person in ("action_lead", "sponsoring_director"):
        if row.has(person):
            fields[f"{person}_name"] = row.values[person].name
            fields[f"{person}_role"] = row.values[person].role
        if row.has(f"{person}_role") and (row.values[f"{person}_role"]
                                          or f"{person}_role" not in fields):
            fields[f"{person}_role"] = row.values[f"{person}_role"]
    for name, text in fields.items():
        person = name.rsplit("_", 1)[0]
        _check_person(prepared, row, person if person in row.cells else f"{person}_role", text)
    return fields


def _period_for(periods: list[ReportingPeriod], day: dt.date) -> ReportingPeriod | None:
    return next((period for period in periods if period.start <= day <= period.end), None)


# A new plan ------------------------------------------------------------------------------

def prepare_new_plan(*, file, file_name: str, name: str, slug: str = "",
                     kind: str = Plan.Kind.WSOA, today: dt.date) -> Prepared:
    """What importing the workbook as a new plan of `name` would create. Raises
    ValidationError (one line) when the file is refused."""
    read = read_plan_workbook(file, file_name)
    slug = slug or slugify(name)
    prepared = Prepared(file_name=file_name, plan=None, new_plan_name=name, read=read,
                        problems=list(read.problems), state=plan_state(None, today, slug=slug))
    reason = import_reason(file_name)
    plan_errors = _check_new_plan(name, slug, kind)
    if plan_errors:
        prepared.problems += [Problem("", None, "", None, error) for error in plan_errors]
    if "title" not in read.columns and read.actions:
        prepared.problems.append(Problem(read.actions[0].sheet, None, "", None,
                                         "no column names the action (such as Action, "
                                         "Activity or Description)"))
    organisations = _Organisations(prepared, None)
    workstreams: dict[str, dict] = {}
    weaknesses: dict[int, str] = {}
    planned = []
    for row in read.actions:
        values = row.values
        text = values.get("title", "")
        if not text and "title" in read.columns:
            _problem(prepared, row, "title", "enter the action")
        title, description = text, values.get("description", "")
        if len(text) > TITLE_MAX_CHARS:
            # The whole text is kept as the description; the title is its opening words.
            title = clipped(text, max_chars=TITLE_MAX_CHARS)
            description = "\n\n".join(part for part in (text, description) if part)
        if len(row.ref) > Action._meta.get_field("ref").max_length:
            _problem(prepared, row, "ref", "a reference must be 12 characters or fewer")
        workstream = workstreams.setdefault(row.workstream_code, {
            "name": row.workstream_name or row.workstream_code, "weakness": None,
            "order": len(workstreams) + 1})
        if row.workstream_name and workstream["name"] == row.workstream_code:
            workstream["name"] = row.workstream_name
        if row.weakness_number is not None:
            weaknesses.setdefault(row.weakness_number, row.weakness_summary)
            if not weaknesses[row.weakness_number]:
                weaknesses[row.weakness_number] = row.weakness_summary
            workstream["weakness"] = workstream["weakness"] or row.weakness_number
        start, due = values.get("start_date"), values.get("due_date")
        if start and due and due < start:
            _problem(prepared, row, "due_date", "the due date must be on or after the start "
                                                f"date, {_words(start)}")
        fields = {
            "title": title, "description": description,
            "success_criteria": values.get("success_criteria", ""),
            "start_date": start, "original_due_date": due, "current_due_date": due,
            "owner": organisations.named(values.get("owner", ""), row, "owner"),
            "lead_agency": organisations.named(values.get("lead_agency", ""), row,
                                               "lead_agency"),
            "delivery_team": organisations.named(values.get("delivery_team", ""), row,
                                                 "delivery_team"),
            **_person_fields(prepared, row),
        }
        contributors = [organisations.named(each, row, "contributors")
                        for each in read_names(values.get("contributors", ""))]
        planned.append((row, fields, [c for c in contributors if c]))
    for code, workstream in workstreams.items():
        if workstream["name"] == code and weaknesses.get(workstream["weakness"]):
            # Named by the weakness it answers when the workbook gives it no name.
            workstream["name"] = weaknesses[workstream["weakness"]]
        if len(workstream["name"]) > WORKSTREAM_NAME_MAX_CHARS:
            workstream["name"] = clipped(workstream["name"], max_chars=WORKSTREAM_NAME_MAX_CHARS)
        if len(code) > Workstream._meta.get_field("code").max_length:
            prepared.problems.append(Problem("", None, "", code, "a workstream code must be "
                                                                 "10 characters or fewer"))
    prepared.new_workstreams = [f"{code}: {ws['name']}" for code, ws in workstreams.items()]
    refs = {row.ref for row, _, _ in planned}
    milestones_by_ref: dict[str, list[MilestoneRow]] = {}
    for milestone in read.milestones:
        if milestone.ref not in refs:
            _problem(prepared, milestone, "ref", f"no action {milestone.ref} in the workbook")
        elif milestone.due_date is None:
            _problem(prepared, milestone, "due_date", "enter the date the milestone is due")
        else:
            milestones_by_ref.setdefault(milestone.ref, []).append(milestone)
    for row, fields, contributors in planned:
        preview = ActionPreview(ref=row.ref, title=fields["title"], is_new=True)
        for key, value in fields.items():
            if value not in (None, ""):
                preview.changes.append(Change(_label(key), "", _words(value)))
        if contributors:
            preview.changes.append(Change("Contributors", "",
                                          "; ".join(c.name for c in contributors)))
        for milestone in milestones_by_ref.get(row.ref, []):
            preview.changes.append(Change("Milestone added", "", _milestone_words(milestone)))
        update = _new_plan_update(prepared, row, today)
        if update:
            _check_new_plan_update(prepared, row, update, milestones_by_ref.get(row.ref, []),
                                   today)
            preview.changes.append(Change("Progress update", "", _update_words(update)))
        prepared.actions.append(preview)
    if prepared.problems:
        return prepared

    def create(user: User | None) -> None:
        local_area = (LocalArea.objects.filter(name__iexact=name).first()
                      or LocalArea(name=name))
        if local_area.pk is None:
            _save(local_area, reason)
        dates = [fields["start_date"] for _, fields, _ in planned if fields["start_date"]]
        dates += [update["date"] for row, _, _ in planned
                  if (update := _new_plan_update(prepared, row, today))]
        plan = plan_create(slug=slug, local_area=local_area, reason=reason, kind=kind,
                           title=f"{name} {Plan.Kind(kind).label}",
                           starts_on=min(dates) if dates else None)
        prepared.plan = plan
        weakness_records = {}
        for number, summary in sorted(weaknesses.items()):
            summary = summary or f"{plan.vocabulary.Part} {number}"
            weakness_records[number] = Weakness(
                plan=plan, number=number, summary=clipped(summary,
                                                          max_chars=WEAKNESS_SUMMARY_MAX_CHARS),
                text=summary)
            _save(weakness_records[number], reason)
        workstream_records = {}
        for code, workstream in workstreams.items():
            workstream_records[code] = Workstream(
                plan=plan, code=code, name=workstream["name"], order=workstream["order"],
                weakness=weakness_records.get(workstream["weakness"]))
            _save(workstream_records[code], reason)
        for organisation in organisations.by_name.values():
            if organisation.pk is None:
                organisation.plan = plan
                _save(organisation, reason)
        periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))
        reports = []
        # Made in one insert each, recorded as if saved one by one (see audit.services).
        actions = []
        for row, fields, _ in planned:
            action = Action(plan=plan, workstream=workstream_records[row.workstream_code],
                            ref=row.ref, ref_number=row.ref_number, **fields)
            action._change_reason = reason
            actions.append(action)
        bulk_create_tracked(Action, actions)
        bulk_add_tracked(Action._meta.get_field("contributors"),
                         [(action, contributors)
                          for action, (_, _, contributors) in zip(actions, planned,
                                                                  strict=True)])
        for action, (row, _, _) in zip(actions, planned, strict=True):
            for milestone in milestones_by_ref.get(row.ref, []):
                created = action_services.milestone_create(
                    action=action, user=user, title=milestone.title,
                    due_date=milestone.due_date)
                if milestone.done_date:
                    action_services.milestone_mark_done(
                        milestone=created, user=user, done_date=milestone.done_date,
                        reason=reason)
            update = _new_plan_update(prepared, row, today)
            if update:
                reports.append({"action": action, "expected_version": action.version,
                                "period": _period_for(periods, update["date"]), **update})
        action_services.progress_updates_create(reports=reports, user=user)

    prepared.steps.append(create)
    return prepared


def _new_plan_update(prepared: Prepared, row: ActionRow, today: dt.date) -> dict | None:
    """A new plan's first progress update, when the row reports a RAG or progress."""
    rag, narrative = row.values.get("rag", ""), row.values.get("progress", "")
    if not rag and not narrative:
        return None
    date = row.values.get("update_date") or today
    completed = row.values.get("completed_date") or (date if rag == Rag.BLUE else None)
    return {"rag": rag, "narrative": narrative, "date": date,
            "completed_date": completed if rag == Rag.BLUE else None}


def _check_new_plan_update(prepared: Prepared, row: ActionRow, update: dict,
                           milestones: list[MilestoneRow], today: dt.date) -> None:
    """The progress update service's own rules, checked before the plan exists."""
    where = "progress" if "progress" in row.cells else "rag"
    if not update["rag"]:
        _problem(prepared, row, "rag" if "rag" in row.cells else where,
                 "Select the RAG status you are reporting")
    if not update["narrative"]:
        _problem(prepared, row, where,
                 "Enter a narrative explaining the progress and the RAG status")
    elif len(update["narrative"]) > action_services.NARRATIVE_MAX_CHARS:
        _problem(prepared, row, where, f"Narrative must be "
                                       f"{action_services.NARRATIVE_MAX_CHARS:,} characters or "
                                       f"fewer (it has {len(update['narrative']):,})")
    for key in ("date", "completed_date"):
        if update[key] and update[key] > today:
            column = "update_date" if key == "date" else "completed_date"
            _problem(prepared, row, column if column in row.cells else where,
                     "The date must be today or in the past")
    undone = sum(1 for milestone in milestones if milestone.done_date is None)
    if update["rag"] == Rag.BLUE and undone:
        _problem(prepared, row, "rag", f"Blue (completed) needs every milestone done: "
                                       f"{undone} in the milestones sheet are not")


def _check_new_plan(name: str, slug: str, kind: str) -> list[str]:
    errors = []
    if not name.strip():
        errors.append("Enter the local area's name for the new plan")
    if kind not in Plan.Kind.values:
        errors.append(f"The kind of plan must be one of {', '.join(Plan.Kind.values)}")
    plan = Plan(slug=slug, title=name, kind=kind if kind in Plan.Kind.values else "wsoa")
    try:
        plan.clean_fields(exclude=["local_area", "title"])
    except ValidationError as error:
        errors += [f"The plan's web address “{slug}”: {message}"
                   for messages in error.message_dict.values() for message in messages]
    if Plan.objects.filter(slug=slug).exists():
        errors.append(f"A plan with the web address “{slug}” already exists: import returns "
                      "into it, or choose another address")
    return errors


# Returns into a plan -------------------------------------------------------------------

def prepare_returns(*, plan: Plan, file, file_name: str, today: dt.date) -> Prepared:
    """What the workbook's returns would change in `plan`: rows are matched by ref; RAG
    and progress become progress updates, due dates move, milestones are added or marked
    done, and who delivers each action is updated. Raises ValidationError (one line) when
    the file is refused."""
    ensure_plan_open(plan)
    read = read_plan_workbook(file, file_name)
    prepared = Prepared(file_name=file_name, plan=plan, read=read, problems=list(read.problems),
                        state=plan_state(plan, today))
    reason = import_reason(file_name)
    prepared.kept_as_they_are = [
        COLUMN_NAMES[key] for key in COLUMN_NAMES if key in read.columns
        and key in ("title", "description", "workstream", "weakness", "owner",
                    "contributors", "start_date", "success_criteria")]
    actions = {action.ref: action for action in Action.objects.filter(plan=plan)
               .select_related("plan", "lead_agency", "delivery_team")
               .prefetch_related("milestones")}
    latest = {}
    for update in ProgressUpdate.objects.filter(action__plan=plan).order_by("date",
                                                                            "created_at"):
        latest[update.action_id] = update
    periods = list(ReportingPeriod.objects.for_plan(plan.pk).order_by("start"))
    organisations = _Organisations(prepared, plan)
    milestones_by_ref: dict[str, list[MilestoneRow]] = {}
    for milestone in read.milestones:
        if milestone.ref not in actions:
            _problem(prepared, milestone, "ref", f"no action {milestone.ref} in the "
                                                 f"{plan.local_area} plan")
        else:
            milestones_by_ref.setdefault(milestone.ref, []).append(milestone)
    for row in read.actions:
        action = actions.get(row.ref)
        if action is None:
            _problem(prepared, row, "ref", f"no action {row.ref} in the {plan.local_area} "
                                           "plan: returns change actions the plan has")
            continue
        preview = ActionPreview(ref=row.ref, title=action.title, is_new=False)
        _returns_for_action(prepared, preview, row, action, latest.get(action.pk),
                            milestones_by_ref.pop(row.ref, []), organisations, periods,
                            reason, today)
        if preview.changes:
            prepared.actions.append(preview)
        else:
            prepared.unchanged += 1
    for ref, milestones in milestones_by_ref.items():
        # Milestones of actions the action sheets do not list.
        action = actions[ref]
        preview = ActionPreview(ref=ref, title=action.title, is_new=False)
        _milestone_steps(prepared, preview, action, milestones, reason)
        if preview.changes:
            prepared.actions.append(preview)
    prepared.actions.sort(key=lambda preview: (actions[preview.ref].workstream_id,
                                               actions[preview.ref].ref_number))
    if prepared.problems:
        prepared.steps.clear()
        prepared.reports.clear()
    return prepared


def _returns_for_action(prepared: Prepared, preview: ActionPreview, row: ActionRow,
                        action: Action, latest: ProgressUpdate | None,
                        milestones: list[MilestoneRow], organisations: _Organisations,
                        periods: list[ReportingPeriod], reason: str, today: dt.date) -> None:
    values = row.values
    # Who delivers the action.
    fields = {}
    for key in ("lead_agency", "delivery_team"):
        if row.has(key):
            organisation = organisations.named(values[key], row, key)
            if organisation != getattr(action, key):
                fields[key] = organisation
    for name, text in _person_fields(prepared, row).items():
        if text != getattr(action, name):
            fields[name] = text
    if fields:
        for name, value in fields.items():
            preview.changes.append(Change(_label(name), _words(getattr(action, name)),
                                          _words(value)))
        new_organisations = [value for value in fields.values()
                             if isinstance(value, Organisation) and value.pk is None]

        def accountability(user: User | None, action=action, fields=fields) -> None:
            for organisation in new_organisations:
                if organisation.pk is None:
                    organisation.plan = action.plan
                    _save(organisation, reason)
            current = Action.objects.get(pk=action.pk)
            action_services.accountability_update(
                action=current, user=user, expected_version=current.version, reason=reason,
                **fields)

        prepared.steps.append(accountability)
    # The due date.
    due = values.get("due_date")
    if due and due != action.current_due_date:
        try:
            action_services.validate_due_date_move(action=action, new_due_date=due,
                                                   reason=reason)
        except ValidationError as error:
            for messages in error.message_dict.values():
                _problem(prepared, row, "due_date", "; ".join(messages))
        preview.changes.append(Change("Current due date", _words(action.current_due_date),
                                      _words(due)))

        def move(user: User | None, action=action, due=due) -> None:
            current = Action.objects.get(pk=action.pk)
            action_services.due_date_move(action=current, user=user,
                                          expected_version=current.version,
                                          new_due_date=due, reason=reason)

        prepared.steps.append(move)
    undone_after = _milestone_steps(prepared, preview, action, milestones, reason)
    # RAG and progress narrative: a progress update, as a lead would add it.
    rag = values.get("rag", "")
    narrative = values.get("progress", "")
    rag_changes = bool(rag) and rag != action.rag
    new_words = bool(narrative) and (latest is None or narrative != latest.narrative)
    if not rag_changes and not new_words:
        return
    if not narrative:
        _problem(prepared, row, "rag", "a change of RAG needs the progress narrative that "
                                       "explains it (an Update or Progress column)")
        return
    rag = rag or action.rag
    if not rag:
        _problem(prepared, row, "rag" if "rag" in row.cells else "progress",
                 "give the RAG status this progress reports")
        return
    date = values.get("update_date") or today
    period = _period_for(periods, date)
    completed = values.get("completed_date") or (date if rag == Rag.BLUE else None)
    completed = completed if rag == Rag.BLUE else None
    try:
        action_services.validate_progress_update(
            action=action, rag=rag, narrative=narrative, period=period, date=date,
            completed_date=completed,
            closed_periods=[period for period in periods if period.is_closed])
    except ValidationError as error:
        where = {"narrative": "progress", "rag": "rag", "period": "update_date",
                 "date": "update_date", "completed_date": "completed_date"}
        for name, messages in error.message_dict.items():
            if name == "milestones_reason":
                continue  # decided below, counting the milestones this file marks done
            if name == "period" and period is None:
                messages = [f"{_words(date)} is in no reporting period of the plan"]
            key = where.get(name, "progress")
            _problem(prepared, row, key if key in row.cells else "progress",
                     "; ".join(messages))
    if rag == Rag.BLUE and undone_after:
        _problem(prepared, row, "rag", f"Blue (completed) needs every milestone done: mark "
                                       f"the remaining {undone_after} done in the milestones "
                                       "sheet, or report another colour")
    preview.changes.append(Change("Progress update", "", _update_words(
        {"rag": rag, "narrative": narrative, "date": date})))
    if rag != action.rag:
        preview.changes.append(Change("RAG", RAG_LABELS[action.rag], RAG_LABELS[rag]))

    # Made after every other change of the file, together (see apply_import).
    prepared.reports.append({"action": action, "rag": rag, "narrative": narrative,
                             "period": period, "date": date, "completed_date": completed})


def _milestone_steps(prepared: Prepared, preview: ActionPreview, action: Action,
                     milestones: list[MilestoneRow], reason: str) -> int:
    """Milestones added or marked done; returns how many of the action's milestones
    would still be undone after."""
    existing = {" ".join(m.title.split()).casefold(): m for m in action.milestones.all()}
    undone = {m.pk for m in existing.values() if m.done_date is None}
    added_undone = 0
    for row in milestones:
        found = existing.get(" ".join(row.title.split()).casefold())
        if found is None:
            if row.due_date is None:
                _problem(prepared, row, "due_date", "enter the date the milestone is due")
                continue
            preview.changes.append(Change("Milestone added", "", _milestone_words(row)))
            added_undone += row.done_date is None

            def add(user: User | None, row=row) -> None:
                created = action_services.milestone_create(
                    action=Action.objects.get(pk=action.pk), user=user, title=row.title,
                    due_date=row.due_date)
                if row.done_date:
                    action_services.milestone_mark_done(milestone=created, user=user,
                                                        done_date=row.done_date,
                                                        reason=reason)

            prepared.steps.append(add)
        elif row.done_date and found.done_date is None:
            if row.done_date > dt.date.today():
                _problem(prepared, row, "done_date", "the date the milestone was done must "
                                                     "be today or in the past")
            preview.changes.append(Change(f"Milestone “{found.title}”", "not done",
                                          f"done {_words(row.done_date)}"))
            undone.discard(found.pk)

            def done(user: User | None, found=found, row=row) -> None:
                action_services.milestone_mark_done(milestone=found, user=user,
                                                    done_date=row.done_date, reason=reason)

            prepared.steps.append(done)
    return len(undone) + added_undone


LABELS = {
    "title": "Action", "description": "Description", "success_criteria": "Success criteria",
    "start_date": "Start date", "original_due_date": "Original due date",
    "current_due_date": "Current due date", "owner": "Owner (accountable)",
    "lead_agency": "Lead agency", "delivery_team": "Delivery team",
    "sponsoring_director_name": "Sponsoring director",
    "sponsoring_director_role": "Sponsoring director's role",
    "action_lead_name": "Action lead", "action_lead_role": "Action lead's role",
}


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _milestone_words(row: MilestoneRow) -> str:
    words = f"{row.title} (due {_words(row.due_date)})"
    return words + (f", done {_words(row.done_date)}" if row.done_date else "")


def _update_words(update: dict) -> str:
    return (f"{RAG_LABELS[update['rag']]}, {_words(update['date'])}: "
            f"{clipped(update['narrative'], max_chars=200)}")


# Applying ------------------------------------------------------------------------------

def apply_import(prepared: Prepared, *, user: User | None = None,
                 ofsted: OfstedFacts | None = None) -> Plan:
    """Does exactly what `prepared` previewed, in one transaction, named in the audit
    trail as the import of its file (and by `user` when a person uploaded it). A new plan
    also records `ofsted`, the Ofsted file's facts of its area, when the person accepted
    them."""
    if not prepared.is_valid:
        raise ValidationError(prepared.problem_lines)
    with acting_as(import_label(prepared.file_name), user=user), transaction.atomic():
        if prepared.plan is not None:
            ensure_plan_open(Plan.objects.select_for_update().get(pk=prepared.plan.pk))
        # The history and audit entries of every change are written together at the end.
        with batched_trail():
            for step in prepared.steps:
                step(user)
            action_services.progress_updates_create(reports=prepared.reports, user=user)
            if ofsted is not None and prepared.plan is not None:
                inspection_record(plan=prepared.plan, facts=ofsted, user=user,
                                  reason=f"Accepted from Ofsted's file of area SEND "
                                         f"inspections when importing {prepared.file_name}")
    return prepared.plan


# Uploads kept for the preview ------------------------------------------------------------

KEPT_UPLOADS = "imports"
KEPT_UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.xlsx$")
# A preview is confirmed within minutes; a day later its upload has been abandoned.
KEPT_UPLOAD_MAX_AGE = dt.timedelta(days=1)


def keep_upload(upload) -> str:
    """Keep an uploaded workbook under a random name until its preview is confirmed, and
    delete the uploads of previews abandoned long ago. Returns the stored name."""
    delete_abandoned_uploads()
    upload.seek(0)
    return default_storage.save(f"{KEPT_UPLOADS}/{uuid.uuid4().hex}.xlsx", upload)


def forget_upload(stored: str) -> None:
    default_storage.delete(stored)


def delete_abandoned_uploads(*, max_age: dt.timedelta = KEPT_UPLOAD_MAX_AGE,
                             now: dt.datetime | None = None) -> list[str]:
    """Delete kept uploads older than `max_age` (their previews were never confirmed);
    returns their stored names. Only the uploads' own random names are touched."""
    now = now or timezone.now()
    try:
        _, names = default_storage.listdir(KEPT_UPLOADS)
    except FileNotFoundError:
        return []
    deleted = []
    for name in sorted(names):
        stored = f"{KEPT_UPLOADS}/{name}"
        if not KEPT_UPLOAD_NAME.match(name):
            continue
        try:
            if default_storage.get_modified_time(stored) > now - max_age:
                continue
            default_storage.delete(stored)
        except FileNotFoundError:
            continue  # deleted meanwhile, by a confirmation or another request
        deleted.append(stored)
    return deleted
