"""Audit entries in plain words: "RAG changed from Amber to Green", "by Demo data loader".

Entries are sealed as they were written, so the words are decided here, when the trail is
read: an entry written before a wording changed reads in the new words, and its hash still
holds."""

import re
from typing import TYPE_CHECKING

from django.utils.text import capfirst

if TYPE_CHECKING:
    from .models import AuditEntry

# Who acted when no person did. Commands name themselves with acting_as("command: NAME")
# and that label is stored; the trail shows these words for it. An import names itself in
# words already: acting_as(import_label("plan.xlsx")) reads "Import of plan.xlsx".
COMMAND_NAMES = {
    "load_essex_plan": "Essex plan loader (published documents)",
    "seed_demo_history": "Demo data loader",
    "load_northshire_demo": "Demo data loader (the fictional Northshire plan)",
    "create_demo_accounts": "Demo accounts set-up",
    "grant": "Role given by a site administrator (grant command)",
    "revoke": "Role taken away by a site administrator (revoke command)",
    "extend_reporting_periods": "Reporting periods added by a site administrator "
                                "(extend_reporting_periods command)",
    "ofsted_inspection": "Ofsted's file of inspections, confirmed by a site administrator "
                         "(ofsted_inspection command)",
    "load_statistics": "Published statistics loaded by a site administrator "
                       "(load_statistics command)",
    "load_published_statistics": "Published statistics shipped with the service "
                                 "(load_published_statistics command)",
}
# Labels written by data migrations, and by changes made with no person and no command.
OTHER_ACTORS = {
    "Migration: roles became memberships of the plan":
        "Software update: roles became memberships of each plan",
    "Migration: local areas": "Software update: local areas became records of their own",
    "system": "The system (no person signed in)",
}
COMMAND_PREFIX = "command: "


def import_label(file_name: str) -> str:
    """The actor of an import, as the trail stores and shows it."""
    return f"Import of {file_name}"


def actor_name(label: str) -> str:
    """The stored actor label in words: a person's name as it is, a command by what it is."""
    if label.startswith(COMMAND_PREFIX):
        command = label.removeprefix(COMMAND_PREFIX)
        return COMMAND_NAMES.get(command, f"The {command} command")
    return OTHER_ACTORS.get(label, label)


# Measure readings ----------------------------------------------------------------------

WHOLE_AREA = "Whole local area"
# Readings recorded before readings were named by area: "<measure> <period>: 14.2000".
OLD_READING_LABEL = re.compile(r"^(?P<measure>.*) (?P<period>\S+): -?\d+(\.\d+)?$")
READING = "measure reading"


def _after(entry: "AuditEntry", field: str) -> str | None:
    values = entry.changes.get(field)
    return values[1] if values else None


def _old_reading_figure(entry: "AuditEntry", value: str | None) -> str | None:
    """An old entry's value with the unit its own changes tell: percentages and durations."""
    if value is None:
        return None
    kind = _after(entry, "Kind")
    if kind == "Yes/no deliverable":
        return {"1": "Yes", "0": "No"}.get(value, value)
    if kind == "Percentage":
        return f"{value}%"
    unit = _after(entry, "Unit")
    return f"{value} {unit}" if unit else value


def _reading(entry: "AuditEntry") -> tuple[str, bool]:
    """The reading's name (measure, area, period) and whether the entry is an old one."""
    old = OLD_READING_LABEL.match(entry.object_label)
    if old is None:
        return entry.object_label, False
    measure = _after(entry, "Measure") or old["measure"]
    period = _after(entry, "Period") or old["period"]
    if entry.change_type == "changed":
        # An old correction holds only what changed: its area is not known.
        return f"{measure}, {period}", True
    return f"{measure}: {_after(entry, 'Area') or WHOLE_AREA}, {period}", True


def _reading_lines(entry: "AuditEntry", *, prefixed: bool) -> list[str]:
    name, old = _reading(entry)
    figure = (lambda value: _old_reading_figure(entry, value)) if old else (lambda value: value)
    before, after = entry.changes.get("Value", [None, None])
    if entry.change_type == "created":
        return [f"Measure reading ‘{name}’ added: {figure(after)}"]
    if entry.change_type == "deleted":
        return [f"Measure reading ‘{name}’ removed (it was {figure(before)})"]
    prefix = f"Measure reading ‘{name}’: " if prefixed else ""
    lines = []
    for field, (was, now) in sorted(entry.changes.items()):
        if field == "Value":
            lines.append(f"{prefix}value {figure(was) or 'none'} → {figure(now) or 'none'}")
        else:
            lines.append(prefix + _field_line(field, was, now))
    return lines


def record_label(entry: "AuditEntry") -> str:
    """The record's name as the trail shows it."""
    if entry.object_kind == READING:
        return _reading(entry)[0]
    return entry.object_label


# Any entry -------------------------------------------------------------------------------

def _field_line(field: str, before: str | None, after: str | None) -> str:
    if before is None:
        return f"{field} set to {after}"
    if after is None:
        return f"{field} cleared (was {before})"
    return f"{field} changed from {before} to {after}"


def _entry_lines(entry: "AuditEntry", *, prefixed: bool = True) -> list[str]:
    """One line per field changed; a single line for something added or removed."""
    if entry.object_kind == READING:
        return _reading_lines(entry, prefixed=prefixed)
    kind = capfirst(entry.object_kind)
    if entry.change_type == "created":
        return [f"{kind} ‘{entry.object_label}’ added"]
    if entry.change_type == "deleted":
        return [f"{kind} ‘{entry.object_label}’ removed"]
    # The action's own page needs no "Action ...:" prefix; its milestones and updates do.
    prefix = "" if entry.object_kind == "action" or not prefixed \
        else f"{kind} ‘{entry.object_label}’: "
    return [prefix + _field_line(field, *values)
            for field, values in sorted(entry.changes.items())]


def group(entry: "AuditEntry") -> list["AuditEntry"]:
    """The entries of the change `entry` ends, oldest first (see audit.selectors)."""
    return [*getattr(entry, "folded", []), entry]


def principal(entry: "AuditEntry") -> "AuditEntry":
    """The entry that names a change: the progress update behind an action's RAG change,
    else the change's first entry (a record created, then given its links)."""
    entries = group(entry)
    return next((e for e in entries if e.object_kind == "progress update"), entries[0])


def change_lines(entry: "AuditEntry") -> list[str]:
    """The lines of the change `entry` ends: its principal entry's, then the others'. Those
    of the same record as a record added or removed need not name it again."""
    main = principal(entry)
    lines = _entry_lines(main)
    for other in group(entry):
        if other is main:
            continue
        named = (other.object_kind, other.object_id) == (main.object_kind, main.object_id) \
            and main.change_type != "changed"
        if other.change_type == "changed":
            lines += _entry_lines(other, prefixed=not named)
        else:
            lines += _entry_lines(other)
    return lines
