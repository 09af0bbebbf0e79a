"""Tests: fast password hashing, no throttling lock-outs between tests, evidence and audit
checkpoints in temp dirs."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)  # TEST_SECRET_KEY
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("EVIDENCE_ROOT", tempfile.mkdtemp(prefix="send-wsoa-evidence-"))
os.environ.setdefault("AUDIT_CHECKPOINT_DIR", tempfile.mkdtemp(prefix="send-wsoa-checkpoints-"))

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False
# Tests render templates without running collectstatic.
STORAGES = {**STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Serve static files from the app folders so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# No GET request writes: every page any test loads is checked (tests/no_get_writes.py).
MIDDLEWARE = ["tests.no_get_writes.NoWritesOnGetMiddleware", *MIDDLEWARE]  # noqa: F405
