"""Local development: DEBUG on unless the environment says otherwise."""

import os

os.environ.setdefault("DEBUG", "1")
# Pages drawn afresh so an edited template shows at once (PAGE_CACHE=1 to try the cache).
os.environ.setdefault("PAGE_CACHE", "0")

from .base import *  # noqa: E402, F403
