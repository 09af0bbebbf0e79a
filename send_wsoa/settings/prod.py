"""Production: DEBUG off whatever the environment says; everything else from the environment.
A secret key that could be guessed is refused before the service starts."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ["DEBUG"] = "0"

from .base import *  # noqa: E402, F403
from .base import DEVELOPMENT_SECRET_KEY, SECRET_KEY, TEST_SECRET_KEY  # noqa: E402

SECRET_KEY_MIN_LENGTH = 50


def check_secret_key(key: str) -> None:
    """The key signs sessions and password resets: a short, shipped or repetitive one
    lets anyone forge them."""
    if key in {DEVELOPMENT_SECRET_KEY, TEST_SECRET_KEY}:
        raise ImproperlyConfigured(
            "SECRET_KEY is one of the keys that ship with the code for development and tests; "
            "set a random one of at least 50 characters.")
    if len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY is {len(key)} characters long; production needs at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters.")
    if len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY repeats too few characters to be random; set a random one.")


check_secret_key(SECRET_KEY)
