"""Audit entries in plain words: "RAG changed from Amber to Green"."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import AuditEntry


def _field_line(field: str, before: str | None, after: str | None) -> str:
    if before is None:
        return f"{field} set to {after}"
    if after is None:
        return f"{field} cleared (was {before})"
    return f"{field} changed from {before} to {after}"


def change_lines(entry: "AuditEntry") -> list[str]:
    """One line per field changed; a single line for something added or removed."""
    kind = entry.object_kind.capitalize()
    if entry.change_type == "created":
        return [f"{kind} ‘{entry.object_label}’ added"]
    if entry.change_type == "deleted":
        return [f"{kind} ‘{entry.object_label}’ removed"]
    # The action's own page needs no "Action ...:" prefix; its milestones and updates do.
    prefix = "" if entry.object_kind == "action" else f"{kind} ‘{entry.object_label}’: "
    return [prefix + _field_line(field, *values)
            for field, values in sorted(entry.changes.items())]
