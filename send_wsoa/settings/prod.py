"""Production: DEBUG off whatever the environment says; everything else from the environment.
A secret key, or an audit checkpoint key, that could be guessed is refused before the
service starts."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DEBUG"] = "0"

from .base import *  # noqa: E402, F403
from .base import DEVELOPMENT_SECRET_KEY, SECRET_KEY, TEST_SECRET_KEY  # noqa: E402

SECRET_KEY_MIN_LENGTH = 50


def check_secret_key(key: str, name: str = "SECRET_KEY") -> None:
    """The key signs sessions and password resets (or the audit trail's checkpoints): a
    short, shipped or repetitive one lets anyone forge them."""
    if key in {DEVELOPMENT_SECRET_KEY, TEST_SECRET_KEY}:
        raise ImproperlyConfigured(
            f"{name} is one of the keys that ship with the code for development and tests; "
            "set a random one of at least 50 characters.")
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"{name} is {len(key)} characters long; production needs at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters.")
    if len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"{name} repeats too few characters to be random; set a random one.")


def check_audit_checkpoint_key(key: str) -> None:
    """A checkpoint is worth only as much as the secrecy of its key: one derived from
    SECRET_KEY, or equal to it, falls with it."""
    if not key:
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_KEY must be set in production: the audit trail's checkpoints "
            "are signed with it; set a random one of at least 50 characters, not SECRET_KEY.")
    if key == SECRET_KEY:
        raise ImproperlyConfigured(
            "AUDIT_CHECKPOINT_KEY is the same as SECRET_KEY; set a different random one.")
    check_secret_key(key, "AUDIT_CHECKPOINT_KEY")


check_secret_key(SECRET_KEY)
check_audit_checkpoint_key(os.environ.get("AUDIT_CHECKPOINT_KEY", ""))
