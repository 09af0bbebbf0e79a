"""Writes to the audit trail. Every entry is appended in the transaction that made the
change, under a lock so concurrent writers extend one chain rather than forking it."""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object, get_m2m_field_name

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


def _chained_entry(previous: AuditEntry | dict | None, *, recorded_at: dt.datetime,
                   actor: User | None, actor_label: str, plan_id: int | None,
                   workstream_code: str, action_ref: str, object_kind: str, object_id: str,
                   object_label: str, change_type: str, changes: dict,
                   reason: str) -> AuditEntry:
    """The entry that follows `previous` (None: the first), sealed with its hash."""
    if isinstance(previous, AuditEntry):
        previous = {"sequence": previous.sequence, "hash": previous.hash}
    entry = AuditEntry(
        sequence=(previous["sequence"] + 1) if previous else 1,
        recorded_at=recorded_at.astimezone(dt.UTC),
        actor=actor, actor_label=actor_label[:200], plan_id=plan_id,
        workstream_code=workstream_code or "", action_ref=action_ref or "",
        object_kind=object_kind, object_id=str(object_id), object_label=object_label[:300],
        change_type=change_type, changes=changes, reason=reason or "",
        prev_hash=previous["hash"] if previous else GENESIS_HASH,
    )
    entry.hash = entry_hash(entry)
    return entry


@transaction.atomic
def append_entries(entries: list[dict]) -> list[AuditEntry]:
    """Append entries (each the keyword arguments of append_entry) in order, in one insert:
    the chain reads exactly as if each had been appended by itself."""
    if not entries:
        return []
    _lock_chain()
    previous = AuditEntry.objects.order_by("-sequence").values("sequence", "hash").first()
    chained = []
    for fields in entries:
        previous = _chained_entry(previous, **fields)
        chained.append(previous)
    return AuditEntry.objects.bulk_create(chained, batch_size=500)


def append_entry(**fields) -> AuditEntry:
    """Append one entry: see _chained_entry for its fields."""
    return append_entries([fields])[0]


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


def _differences(history_record, previous, m2m_targets=_m2m_targets) -> tuple[list, list]:
    """(plain fields, many-to-many fields) that differ between two historical rows, each
    as (field, before, after)."""
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
        after = m2m_targets(history_record, field)
        before = m2m_targets(previous, field)
        if is_deletion:
            before, after = after, set()
        if before != after:
            m2m.append((field, before, after))
    return raw, m2m


def _label_pairs(raw: list, m2m: list) -> list[tuple]:
    """(model, pk) of every related object the differences name."""
    pairs = [(field.related_model, value) for field, before, after in raw if field.is_relation
             for value in (before, after)]
    pairs += [(field.related_model, value) for field, before, after in m2m
              for value in before | after]
    return pairs


def _worded(raw: list, m2m: list, labels: dict, figures: dict | None) -> dict:
    figures = figures or {}
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


def history_changes(history_record, previous, figures: dict | None = None) -> dict:
    """Field -> [before, after] between two historical rows (`previous` None: created).
    `figures` maps a field's name to the function that shows its values, where the field's
    type alone does not say how (a reading's value, with its measure's unit)."""
    raw, m2m = _differences(history_record, previous)
    return _worded(raw, m2m, _related_labels(_label_pairs(raw, m2m)), figures)


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

def _placement(kind: str, instance, known: dict | None = None) -> tuple[int | None, str, str]:
    """(plan id, workstream code, action ref) of a tracked object. `known` remembers the
    workstreams' codes and the actions' places a batch of changes has looked up."""
    from workstreams.models import Workstream

    known = {} if known is None else known
    try:
        if kind == "plan":
            return instance.pk, "", ""
        if kind == "workstream":
            return instance.plan_id, instance.code, ""
        if kind == "action":
            if ("workstream", instance.workstream_id) not in known:
                known["workstream", instance.workstream_id] = Workstream.objects.filter(
                    pk=instance.workstream_id).values_list("code", flat=True).first()
            code = known["workstream", instance.workstream_id]
            known["action", instance.pk] = (instance.plan_id, code or "", instance.ref)
            return known["action", instance.pk]
        if kind == "monitoring pack sent":
            from plans.models import ReviewMeeting

            plan_id = ReviewMeeting.objects.filter(pk=instance.meeting_id).values_list(
                "plan_id", flat=True).first()
            return plan_id, "", ""
        if kind in {"milestone", "progress update", "evidence", "agreed due date"}:
            from actions.models import Action

            if ("action", instance.action_id) in known:
                return known["action", instance.action_id]
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


def _entry_fields(instance, history_instance, history_user, history_change_reason,
                  known: dict | None = None) -> tuple[dict, dict | None]:
    """What the entry for one simple-history record says apart from its changes, read at
    the moment of the change; and how its figures are shown."""
    kind = object_kind(history_instance.instance_type)
    figures = _reading_figures(instance) if kind == "measure reading" else (
        _target_figures(instance) if kind == "milestone target" else None)
    plan_id, workstream_code, action_ref = _placement(kind, instance, known)
    # Accounts are named as everywhere else in the trail ("J. Smith"), not by username.
    label = person_label(instance) if isinstance(instance, User) else str(instance)
    if kind == "membership":
        label = f"{instance.get_role_display()}: {person_label(instance.user)}"
    if kind == "measure reading":
        label = _reading_label(instance)
    user, actor_label = _actor(history_user)
    fields = dict(
        recorded_at=history_instance.history_date, actor=user, actor_label=actor_label,
        plan_id=plan_id, workstream_code=workstream_code, action_ref=action_ref,
        object_kind=kind, object_id=str(instance.pk), object_label=label,
        change_type=HISTORY_TYPES[history_instance.history_type],
        reason=history_change_reason or "")
    return fields, figures


def record_history_change(*, instance, history_instance, history_user,
                          history_change_reason) -> AuditEntry | None:
    """The audit entry for one simple-history record: what changed, by whom and why.
    Inside batched_trail() the entry is kept and written with the batch's others."""
    batch = _batch.get()
    if batch is not None:
        batch.keep_entry(instance, history_instance, history_user, history_change_reason)
        return None
    previous = None
    if history_instance.history_type != "+":
        previous = history_instance.prev_record
    fields, figures = _entry_fields(instance, history_instance, history_user,
                                    history_change_reason)
    changes = history_changes(history_instance, previous, figures)
    if fields["change_type"] == AuditEntry.ChangeType.CHANGED and not changes:
        return None
    return append_entry(**fields, changes=changes)


# Batches --------------------------------------------------------------------------------

def defer_history_record(history_instance) -> None:
    """Inside batched_trail(), a historical row is kept to be written with the batch's
    others rather than saved now."""
    batch = _batch.get()
    if batch is not None:
        batch.keep_record(history_instance)


def defer_history_m2m_rows(history_instance, rows: list) -> None:
    """Inside batched_trail(), a historical row's many-to-many rows are kept with it: they
    can only be written once the row itself has its key."""
    batch = _batch.get()
    if batch is not None:
        batch.keep_m2m_rows(history_instance, rows)


def take_over_history(instance) -> None:
    """Before a tracked save inside batched_trail(): the batch makes its historical row,
    as simple-history would, but without simple-history's per-save lookups (see
    _TrailBatch.record_save)."""
    batch = _batch.get()
    if batch is not None and _history_model(type(instance)) is not None \
            and not hasattr(instance, "skip_history_when_saving"):
        instance.skip_history_when_saving = True
        instance._history_kept_by_batch = True


def history_taken_over(instance, created: bool) -> None:
    """After that save: the batch records it."""
    if getattr(instance, "_history_kept_by_batch", False):
        del instance.skip_history_when_saving
        del instance._history_kept_by_batch
        _batch.get().record_save(instance, created)


def bulk_create_tracked(model: type[models.Model], objs: list) -> list:
    """New rows of a tracked model: inside batched_trail() in one insert, each recorded in
    its history and the trail exactly as its own save() would have recorded it; outside
    it, saved one by one."""
    if _history_model(model) is None:
        raise TypeError(f"{model.__name__} has no history")
    batch = _batch.get()
    if batch is None:
        for obj in objs:
            obj.save(force_insert=True)
        return objs
    created = model._default_manager.bulk_create(objs, batch_size=500)
    for obj in created:
        batch.record_save(obj, created=True)
    return created


def bulk_add_tracked(field, pairs: list[tuple]) -> None:
    """Many-to-many links of many rows, `pairs` being [(instance, [related, ...])]: inside
    batched_trail() in one insert, each instance's links recorded as its own
    `instance.<field>.add(*related)` would have recorded them; outside it, added so."""
    batch = _batch.get()
    if batch is None:
        for instance, related in pairs:
            if related:
                getattr(instance, field.name).add(*related)
        return
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = {id(instance): [through(**{source: instance, target: each}) for each in related]
            for instance, related in pairs if related}
    through._default_manager.bulk_create([row for made in rows.values() for row in made],
                                         batch_size=500)
    history_model = _history_model(field.model)
    for instance, related in pairs:
        if not related:
            continue
        key = (history_model, instance.pk, field.name)
        batch.m2m_held[key] = [*batch.m2m_held.get(key, []), *rows[id(instance)]]
        batch.record_save(instance, created=False)


def preload_history_links(instances: list) -> None:
    """Inside batched_trail(), reads the many-to-many links of rows about to be saved in one
    query a field, rather than one a save, for their historical rows to hold."""
    batch = _batch.get()
    if batch is None or not instances:
        return
    history_model = _history_model(type(instances[0]))
    for field in getattr(history_model, "_history_m2m_fields", []):
        source = get_m2m_field_name(field)
        wanted = sorted({instance.pk for instance in instances
                         if (history_model, instance.pk, field.name) not in batch.m2m_held})
        links: dict = {pk: [] for pk in wanted}
        through = field.remote_field.through
        for start in range(0, len(wanted), 500):
            for row in through._default_manager.filter(
                    **{f"{source}__in": wanted[start:start + 500]}).order_by("pk"):
                links[getattr(row, f"{source}_id")].append(row)
        for pk, rows in links.items():
            batch.m2m_held[history_model, pk, field.name] = rows


_history_models: dict[type, type | None] = {}


def _history_model(model: type) -> type | None:
    """The simple-history model of a tracked model (None if untracked), looked up once:
    simple-history builds a new manager class on every access."""
    if model not in _history_models:
        name = getattr(model._meta, "simple_history_manager_attribute", None)
        _history_models[model] = getattr(model, name).model if name else None
    return _history_models[model]


_m2m_history_models: dict[tuple, type] = {}


def _m2m_history_model(history_instance, field) -> type:
    """The model of a historical row's many-to-many rows for `field`, looked up once."""
    key = (type(history_instance), field.name)
    if key not in _m2m_history_models:
        _m2m_history_models[key] = getattr(history_instance, field.name).model
    return _m2m_history_models[key]


def _kept_for_the_batch(*args, **kwargs) -> None:
    """Stands in for a kept historical row's save(): the batch writes it."""


class _TrailBatch:
    """Historical rows and audit entries of many saves, written in a few inserts at the end,
    reading exactly as if each save had written its own."""

    def __init__(self):
        self.records: list = []
        self.m2m_rows: dict[int, list] = {}
        # (historical model, object key, field) -> the many-to-many rows it holds now.
        self.m2m_held: dict[tuple, list] = {}
        self.entries: list[tuple] = []
        self.known: dict = {}

    def keep_record(self, history_instance) -> None:
        history_instance.save = _kept_for_the_batch
        self.records.append(history_instance)

    def keep_m2m_rows(self, history_instance, rows: list) -> None:
        self.m2m_rows.setdefault(id(history_instance), []).extend(rows)
        for field in history_instance._history_m2m_fields:
            m2m_model = _m2m_history_model(history_instance, field)
            self.m2m_held[type(history_instance), self._object_id(history_instance),
                          field.name] = [row for row in rows if isinstance(row, m2m_model)]
        # simple-history inserts whatever is left in the list, which is nothing now.
        rows.clear()

    def record_save(self, instance, created: bool) -> None:
        """The historical row of one save, made as HistoricalRecords.create_historical_record
        makes it (history user, date and reason as it reads them; the many-to-many rows as
        they stand), and its audit entry."""
        history_model = _history_model(type(instance))
        record = history_model(
            history_date=getattr(instance, "_history_date", None) or timezone.now(),
            history_type="+" if created else "~",
            history_user=history_model.get_default_history_user(instance),
            history_change_reason=get_change_reason_from_object(instance),
            **{field.attname: getattr(instance, field.attname)
               for field in history_model.tracked_fields})
        if getattr(history_model, "history_relation", None) is not None:
            record.history_relation = instance
        self.keep_record(record)
        for field in record._history_m2m_fields:
            through = field.remote_field.through
            m2m_model = _m2m_history_model(record, field)
            names = [each.attname for each in through._meta.fields]
            held = self.m2m_held.get((type(record), instance.pk, field.name))
            if created:
                rows = []  # a row saved for the first time has no many-to-many rows yet
            elif held is not None:
                # Every change of them since made a record of its own, which holds them.
                rows = held
            else:
                rows = through.objects.filter(**{get_m2m_field_name(field): instance})
            self.m2m_rows.setdefault(id(record), []).extend(
                m2m_model(history=record, **{name: getattr(row, name) for name in names})
                for row in rows)
            self.m2m_held[type(record), instance.pk, field.name] = [
                row for row in self.m2m_rows[id(record)] if isinstance(row, m2m_model)]
        self.keep_entry(instance, record, record.history_user,
                        record.history_change_reason)

    def keep_entry(self, instance, history_instance, history_user, reason) -> None:
        fields, figures = _entry_fields(instance, history_instance, history_user, reason,
                                        self.known)
        self.entries.append((history_instance, fields, figures))

    # Writing -----------------------------------------------------------------------------

    def write(self) -> None:
        self._write_records()
        previous = self._previous_records()
        m2m = self._m2m_targets(previous.values())

        def held(record, field) -> set:
            return m2m.get((id(record), field.name), set()) if record is not None else set()

        differences = [_differences(history_instance, previous.get(id(history_instance)),
                                    m2m_targets=held)
                       for history_instance, _, _ in self.entries]
        labels = self._labels(pair for raw, many in differences
                              for pair in _label_pairs(raw, many))
        entries = []
        for (_, fields, figures), (raw, many) in zip(self.entries, differences, strict=True):
            changes = _worded(raw, many, labels, figures)
            if fields["change_type"] == AuditEntry.ChangeType.CHANGED and not changes:
                continue
            entries.append({**fields, "changes": changes})
        append_entries(entries)

    def _write_records(self) -> None:
        by_model: dict[type, list] = {}
        for record in self.records:
            by_model.setdefault(type(record), []).append(record)
        for model, records in by_model.items():
            model.objects.bulk_create(records, batch_size=500)
        rows_by_model: dict[type, list] = {}
        for record in self.records:
            for row in self.m2m_rows.get(id(record), []):
                row.history = record  # now that the record has its key
                rows_by_model.setdefault(type(row), []).append(row)
        for model, rows in rows_by_model.items():
            model.objects.bulk_create(rows, batch_size=500)

    def _previous_records(self) -> dict[int, object]:
        """Each kept record's previous historical row (its prev_record): the one kept
        before it in the batch, or the newest written before the batch."""
        previous: dict[int, object] = {}
        first_seen: set[tuple] = set()
        wanted: dict[type, set] = {}
        for history_instance, _, _ in self.entries:
            key = (type(history_instance), self._object_id(history_instance))
            if key not in first_seen and history_instance.history_type != "+":
                wanted.setdefault(key[0], set()).add(key[1])
            first_seen.add(key)
        earlier = {}
        kept = {id(record) for record in self.records}
        started = min((record.history_date for record in self.records), default=None)
        for model, object_ids in wanted.items():
            attname = model.instance_type._meta.pk.attname
            ids = sorted(object_ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                newest_before = model.objects.filter(
                    **{attname: models.OuterRef(attname)}, history_date__lt=started,
                ).order_by("-history_date", "-history_id").values("history_id")[:1]
                for row in model.objects.filter(**{f"{attname}__in": chunk},
                                                history_id=models.Subquery(newest_before)):
                    earlier[model, getattr(row, attname)] = row
        seen: dict[tuple, object] = {}
        for history_instance, _, _ in self.entries:
            key = (type(history_instance), self._object_id(history_instance))
            if history_instance.history_type != "+":
                previous[id(history_instance)] = seen.get(key, earlier.get(key))
            if id(history_instance) in kept:
                seen[key] = history_instance
        return previous

    @staticmethod
    def _object_id(history_instance):
        return getattr(history_instance, history_instance.instance_type._meta.pk.attname)

    def _m2m_targets(self, previous_records) -> dict[tuple, set]:
        """(id of a historical row, field name) -> the keys of the objects it held."""
        targets: dict[tuple, set] = {}
        m2m_models: dict[tuple, type] = {}
        for history_instance, _, _ in self.entries:
            for field in history_instance._history_m2m_fields:
                key = (type(history_instance), field.name)
                if key not in m2m_models:
                    m2m_models[key] = _m2m_history_model(history_instance, field)
                target = field.m2m_reverse_field_name()
                targets[id(history_instance), field.name] = {
                    getattr(row, f"{target}_id")
                    for row in self.m2m_rows.get(id(history_instance), [])
                    if isinstance(row, m2m_models[key])}
        written: dict[tuple, list] = {}
        # Rows kept in the batch hold their many-to-many rows already.
        looked_up = {id(record) for record in self.records}
        for record in previous_records:
            if record is None or id(record) in looked_up:
                continue
            looked_up.add(id(record))
            for field in record._history_m2m_fields:
                targets[id(record), field.name] = set()
                written.setdefault((type(record), field), []).append(record)
        for (_, field), records in written.items():
            m2m_model = _m2m_history_model(records[0], field)
            target = field.m2m_reverse_field_name()
            by_pk = {record.pk: record for record in records}
            pks = sorted(by_pk)
            for start in range(0, len(pks), 500):
                for row in m2m_model.objects.filter(history_id__in=pks[start:start + 500]):
                    targets[id(by_pk[row.history_id]), field.name].add(
                        getattr(row, f"{target}_id"))
        return targets

    @staticmethod
    def _labels(pairs: Iterable[tuple]) -> dict:
        """Each related object's label, read once per model for the whole batch."""
        wanted: dict[type, set] = {}
        for model, pk in pairs:
            if pk is not None:
                wanted.setdefault(model, set()).add(pk)
        labels = {}
        for model, pks in wanted.items():
            found = model._default_manager.in_bulk(sorted(pks))
            for pk in pks:
                obj = found.get(pk)
                if obj is None:
                    labels[model, pk] = f"#{pk}"
                else:
                    labels[model, pk] = person_label(obj) if model is User else str(obj)
        return labels


_batch: ContextVar[_TrailBatch | None] = ContextVar("audit_trail_batch", default=None)


@contextmanager
def batched_trail() -> Iterator[None]:
    """Saves inside the block write their historical rows and audit entries together at its
    end, in a few inserts rather than a few dozen queries a save, under the chain's lock as
    ever: the trail reads exactly as if each save had written its own. For bulk writers (an
    import); the block must run inside the transaction that makes the changes, and nothing
    inside it may read the history it is making. Related objects are named in the changes as
    they are at the end of the block."""
    if _batch.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("batched_trail() must run inside a transaction")
    batch = _TrailBatch()
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    batch.write()


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
