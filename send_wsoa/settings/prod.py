"""Production: DEBUG off whatever the environment says; everything else from the environment."""

import os

os.environ["DEBUG"] = "0"

from .base import *  # noqa: E402, F403
