"""Writes to the audit trail. Every entry is appended in the transaction that made the
change, under a lock so concurrent writers extend one chain rather than forking it."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from .context import current_actor
from .models import AuditEntry

GENESIS_HASH = "0" * 64
# Any fixed number: the key of the PostgreSQL advisory lock that serialises appends.
CHAIN_LOCK_KEY = 7_411_952_003
SYSTEM_LABEL = "system"

OBJECT_KINDS = {
    "plan": "plan",
    "organisation": "organisation",
    "weakness": "weakness",
    "workstream": "workstream",
    "boardmeeting": "board meeting",
    "boardexception": "board exception",
    "feedbackpoint": "feedback point",
    "action": "action",
    "milestone": "milestone",
    "progressupdate": "progress update",
    "evidence": "evidence",
    "outcome": "outcome",
    "measure": "measure",
    "measurereading": "measure reading",
    "milestonetarget": "milestone target",
    "user": "account",
    "membership": "membership",
    "localarea": "local area",
    "sourcedocument": "source document",
    "reportingperiod": "reporting period",
    "reviewmeeting": "review meeting",
    "agreedduedate": "agreed due date",
    "packsubmission": "monitoring pack sent",
    # The public page's text and settings, each as its model names it, as entries written
    # before these were listed already hold.
    "publicpage": "public page settings",
    "actionsummary": "published action summary",
    "plainenglishfinding": "plain-English finding",
    "publicmeasure": "public measure",
    "yousaidwedid": "you said, we did entry",
    # Published statistics linked to the plan, and its Ofsted inspection.
    "measurecomparator": "national comparator",
    "ofstedinspection": "Ofsted inspection",
}
# Role-group changes recorded before roles became memberships of a plan.
USER_ROLE = "user role"
KIND_CHOICES = sorted({*OBJECT_KINDS.values(), USER_ROLE})

FIELD_NAMES = {"rag": "RAG", "url": "Link", "ref": "Reference", "kind": "Kind"}
# Bookkeeping that says nothing a reader of the trail needs.
IGNORED_FIELDS = {"id", "version", "ref_number"}

HISTORY_TYPES = {"+": AuditEntry.ChangeType.CREATED, "~": AuditEntry.ChangeType.CHANGED,
                 "-": AuditEntry.ChangeType.DELETED}


def person_label(user: User | None) -> str:
    """'J. Smith', or the username when the account has no name."""
    if user is None:
        return ""
    if user.first_name and user.last_name:
        return f"{user.first_name[0]}. {user.last_name}"
    return user.get_full_name() or user.get_username()


def canonical_content(entry: AuditEntry) -> str:
    recorded_at = entry.recorded_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    content = {
        "sequence": entry.sequence,
        "recorded_at": recorded_at,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "plan_id": entry.plan_id,
        "workstream_code": entry.workstream_code,
        "action_ref": entry.action_ref,
        "object_kind": entry.object_kind,
        "object_id": str(entry.object_id),
        "object_label": entry.object_label,
        "change_type": entry.change_type,
        "changes": entry.changes,
        "reason": entry.reason,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_content(entry).encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    # SQLite allows one writer at a time already; PostgreSQL needs telling.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@transaction.atomic
def append_entry(*, recorded_at: dt.datetime, actor: User | None, actor_label: str,
                 plan_id: int | None, workstream_code: str, action_ref: str, object_kind: str,
                 object_id: str, object_label: str, change_type: str, changes: dict,
                 reason: str) -> AuditEntry:
    _lock_chain()
    last = AuditEntry.objects.order_by("-sequence").values("sequence", "hash").first()
    entry = AuditEntry(
        sequence=(last["sequence"] + 1) if last else 1,
        recorded_at=recorded_at.astimezone(dt.UTC),
        actor=actor, actor_label=actor_label[:200], plan_id=plan_id,
        workstream_code=workstream_code or "", action_ref=action_ref or "",
        object_kind=object_kind, object_id=str(object_id), object_label=object_label[:300],
        change_type=change_type, changes=changes, reason=reason or "",
        prev_hash=last["hash"] if last else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    return entry


def _request_user() -> User | None:
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _actor(history_user: User | None) -> tuple[User | None, str]:
    """A command's label wins; otherwise the person who made the change."""
    context = current_actor()
    user = history_user or (context.user if context else None) or _request_user()
    if context is not None:
        return user, context.label
    return user, person_label(user) or SYSTEM_LABEL


# Display values --------------------------------------------------------------------------

def _display(field: models.Field, value, related_labels: dict) -> str | None:
    if value is None or value == "":
        return None
    if field.is_relation:
        return related_labels.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _label_for(model, pk) -> str:
    if model is User:
        user = User.objects.filter(pk=pk).first()
        return person_label(user) if user else f"#{pk}"
    obj = model._default_manager.filter(pk=pk).first()
    return str(obj) if obj is not None else f"#{pk}"


def _related_labels(pairs: Iterable[tuple]) -> dict:
    return {(model, pk): _label_for(model, pk) for model, pk in set(pairs) if pk is not None}


def _m2m_targets(history_record, field: models.ManyToManyField) -> set:
    if history_record is None:
        return set()
    target = field.m2m_reverse_field_name()
    return {getattr(row, f"{target}_id") for row in getattr(history_record, field.name).all()}


def _human_name(field: models.Field) -> str:
    return FIELD_NAMES.get(field.name) or capfirst(str(field.verbose_name))


def history_changes(history_record, previous, figures: dict | None = None) -> dict:
    """Field -> [before, after] between two historical rows (`previous` None: created).
    `figures` maps a field's name to the function that shows its values, where the field's
    type alone does not say how (a reading's value, with its measure's unit)."""
    figures = figures or {}
    is_deletion = history_record.history_type == "-"
    # The fields history keeps: an account's password and last sign-in are left out.
    plain = [field for field in history_record.tracked_fields
             if field.concrete and field.name not in IGNORED_FIELDS]
    raw: list[tuple[models.Field, object, object]] = []
    for field in plain:
        after = getattr(history_record, field.attname)
        before = getattr(previous, field.attname) if previous is not None else None
        if is_deletion:
            before, after = after, None
        if before != after:
            raw.append((field, before, after))
    m2m: list[tuple[models.Field, set, set]] = []
    for field in history_record._history_m2m_fields:
        after = _m2m_targets(history_record, field)
        before = _m2m_targets(previous, field)
        if is_deletion:
            before, after = after, set()
        if before != after:
            m2m.append((field, before, after))

    pairs = [(field.related_model, value) for field, before, after in raw if field.is_relation
             for value in (before, after)]
    pairs += [(field.related_model, value) for field, before, after in m2m
              for value in before | after]
    labels = _related_labels(pairs)

    changes = {}
    for field, before, after in raw:
        show = figures.get(field.name) or (lambda value, field=field: _display(field, value,
                                                                               labels))
        shown = [show(before), show(after)]
        # A blank becoming empty ("" for None) is no change a reader would see.
        if shown[0] != shown[1]:
            changes[_human_name(field)] = shown
    for field, before, after in m2m:
        changes[_human_name(field)] = [
            ", ".join(sorted(labels[(field.related_model, pk)] for pk in values)) or None
            for values in (before, after)]
    return changes


# Measure readings: named by measure, area and period, their values as the person typed
# them with the measure's unit ("Waiting times: Mid Essex CCG area, 2021-22 Q2", "14.2 weeks").

def _reading_label(reading) -> str:
    from measures.services import reading_place

    return f"{reading.measure}: {reading_place(reading.area)}, {reading.period}"


def _reading_figures(reading) -> dict:
    from measures.services import figure_as_typed

    measure, unit = reading.measure, reading.unit
    return {"value": lambda value: figure_as_typed(measure, value, unit=unit)}


def _target_figures(target) -> dict:
    from measures.services import figure_as_typed

    measure = target.measure
    return {"value": lambda value: figure_as_typed(measure, value)}


# Where a change belongs ------------------------------------------------------------------

def _placement(kind: str, instance) -> tuple[int | None, str, str]:
    """(plan id, workstream code, action ref) of a tracked object."""
    from workstreams.models import Workstream

    try:
        if kind == "plan":
            return instance.pk, "", ""
        if kind == "workstream":
            return instance.plan_id, instance.code, ""
        if kind == "action":
            code = Workstream.objects.filter(pk=instance.workstream_id).values_list(
                "code", flat=True).first()
            return instance.plan_id, code or "", instance.ref
        if kind == "monitoring pack sent":
            from plans.models import ReviewMeeting

            plan_id = ReviewMeeting.objects.filter(pk=instance.meeting_id).values_list(
                "plan_id", flat=True).first()
            return plan_id, "", ""
        if kind in {"milestone", "progress update", "evidence", "agreed due date"}:
            from actions.models import Action

            row = Action.objects.filter(pk=instance.action_id).values_list(
                "plan_id", "workstream__code", "ref").first()
            return row if row else (None, "", "")
        if kind == "outcome":
            code = Workstream.objects.filter(pk=instance.workstream_id).values_list(
                "code", flat=True).first()
            return instance.plan_id, code or "", ""
        if kind == "measure":
            code = Workstream.objects.filter(outcomes__pk=instance.outcome_id).values_list(
                "code", flat=True).first()
            return instance.plan_id, code or "", ""
        if kind in {"measure reading", "milestone target"}:
            row = Workstream.objects.filter(outcomes__measures__pk=instance.measure_id).values_list(
                "plan_id", "code").first()
            return (row[0], row[1], "") if row else (None, "", "")
    except ObjectDoesNotExist:
        return None, "", ""
    return getattr(instance, "plan_id", None), "", ""


def object_kind(model: type[models.Model]) -> str:
    """The kind of record the trail names a tracked model's changes by, and filters on."""
    return OBJECT_KINDS.get(model._meta.model_name, str(model._meta.verbose_name))


def record_history_change(*, instance, history_instance, history_user,
                          history_change_reason) -> AuditEntry | None:
    """The audit entry for one simple-history record: what changed, by whom and why."""
    previous = None
    if history_instance.history_type != "+":
        previous = history_instance.prev_record
    kind = object_kind(history_instance.instance_type)
    figures = _reading_figures(instance) if kind == "measure reading" else (
        _target_figures(instance) if kind == "milestone target" else None)
    changes = history_changes(history_instance, previous, figures)
    change_type = HISTORY_TYPES[history_instance.history_type]
    if change_type == AuditEntry.ChangeType.CHANGED and not changes:
        return None
    plan_id, workstream_code, action_ref = _placement(kind, instance)
    # Accounts are named as everywhere else in the trail ("J. Smith"), not by username.
    label = person_label(instance) if isinstance(instance, User) else str(instance)
    if kind == "membership":
        label = f"{instance.get_role_display()}: {person_label(instance.user)}"
    if kind == "measure reading":
        label = _reading_label(instance)
    user, actor_label = _actor(history_user)
    return append_entry(
        recorded_at=history_instance.history_date, actor=user, actor_label=actor_label,
        plan_id=plan_id, workstream_code=workstream_code, action_ref=action_ref,
        object_kind=kind, object_id=str(instance.pk), object_label=label,
        change_type=change_type, changes=changes, reason=history_change_reason or "")


# Verification ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    problem: str


def chain_breaks(entries: Iterable[AuditEntry]) -> Iterator[ChainBreak]:
    expected_sequence = 1
    previous_hash = GENESIS_HASH
    for entry in entries:
        if entry.sequence != expected_sequence:
            yield ChainBreak(expected_sequence, f"entry {expected_sequence} is missing "
                                                f"(the next entry is {entry.sequence})")
            return
        if entry.prev_hash != previous_hash:
            yield ChainBreak(entry.sequence, "it does not follow on from the entry before it "
                                             "(previous hash differs)")
            return
        if entry_hash(entry) != entry.hash:
            yield ChainBreak(entry.sequence, "its content does not match its hash "
                                             "(it was altered after it was written)")
            return
        expected_sequence += 1
        previous_hash = entry.hash


def verify_chain() -> tuple[int, ChainBreak | None]:
    """(entries checked, first break or None), reading the chain in chunks."""
    checked = 0

    def counted() -> Iterator[AuditEntry]:
        nonlocal checked
        for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
            checked += 1
            yield entry

    first_break = next(chain_breaks(counted()), None)
    return checked, first_break
