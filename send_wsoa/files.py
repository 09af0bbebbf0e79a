"""Files written inside a database transaction go with it: a file saved for a row the
transaction then rolls back (the service's own, or any outer one) is deleted, so nothing is
left on disk that no row names.

Django has on_commit but no on-rollback hook. What it does have is this: a callback given to
on_commit is called when the transaction commits, and dropped uncalled when the transaction,
or the savepoint it was given in, rolls back (or the connection closes). So the file's guard
is such a callback, and deletes the file when it is dropped without having been called."""

import logging
import weakref

from django.core.files.storage import Storage
from django.db import transaction

logger = logging.getLogger(__name__)


def _delete_unless_committed(storage: Storage, name: str, state: dict) -> None:
    if state["committed"]:
        return
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not remove %s, written for a save that was rolled back", name)


class _CommitGuard:
    def __init__(self, storage: Storage, name: str) -> None:
        self.state = {"committed": False}
        # Runs when the guard is freed: at once when Django drops it on a rollback (it holds
        # the only reference), or at exit if the process ends with the transaction open.
        weakref.finalize(self, _delete_unless_committed, storage, name, self.state)

    def __call__(self) -> None:
        self.state["committed"] = True


def delete_on_rollback(storage: Storage, name: str) -> None:
    """Call just after writing `name` inside a transaction. Keep no reference to anything
    this makes: Django's list of commit callbacks must hold the only one."""
    transaction.on_commit(_CommitGuard(storage, name))
