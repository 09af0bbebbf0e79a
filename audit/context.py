"""Who is acting when no request is: management commands and imports name themselves so
their changes in the audit trail carry a label such as "command: load_essex_plan". The
trail shows each label in words ("Essex plan loader (published documents)"); the words are
decided in one place, audit.wording.COMMAND_NAMES, and an import is named with
audit.wording.import_label ("Import of plan.xlsx")."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import User


@dataclass(frozen=True)
class Actor:
    label: str
    user: User | None = None


_current: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(label: str, user: User | None = None) -> Iterator[Actor]:
    """Every audit entry written inside the block names `label` (and `user`, if given)."""
    token = _current.set(Actor(label=label, user=user))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current_actor() -> Actor | None:
    return _current.get()
