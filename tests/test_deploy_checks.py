"""What someone deploying types: Django's deployment checks pass with DEBUG off, and the
service refuses to start without a secret key."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: none of the test run's own variables leak into the check.
    environment = {key: value for key, value in os.environ.items()
                   if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    environment.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60, check=False)


def test_deployment_checks_pass_with_debug_off():
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    DEBUG="0", SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
                    ALLOWED_HOSTS="example.org", DJANGO_SETTINGS_MODULE="send_wsoa.settings.dev")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = manage("check", DEBUG="0", DJANGO_SETTINGS_MODULE="send_wsoa.settings.dev")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_settings_ignore_a_debug_flag_in_the_environment():
    result = manage("shell", "--no-imports", "-c",
                    "from django.conf import settings; print(settings.DEBUG)",
                    DEBUG="1", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org",
                    AUDIT_CHECKPOINT_KEY=secrets.token_urlsafe(50),
                    DJANGO_SETTINGS_MODULE="send_wsoa.settings.prod")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("key,message", [
    ("short-" + "k" * 20, "SECRET_KEY is 26 characters long; production needs at least 50"),
    ("insecure-local-development-key-never-use-in-production",
     "one of the keys that ship with the code"),
    ("test-only-secret-key-" + "x" * 40, "one of the keys that ship with the code"),
    ("ab" * 30, "repeats too few characters"),
])
def test_production_refuses_a_secret_key_that_could_be_guessed(key, message):
    result = manage("check", SECRET_KEY=key, ALLOWED_HOSTS="example.org",
                    DJANGO_SETTINGS_MODULE="send_wsoa.settings.prod")

    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_to_start_without_an_audit_checkpoint_key():
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org",
                    DJANGO_SETTINGS_MODULE="send_wsoa.settings.prod")

    assert result.returncode != 0
    assert "AUDIT_CHECKPOINT_KEY must be set in production" in result.stderr


def test_production_refuses_an_audit_checkpoint_key_that_could_be_guessed():
    secret = secrets.token_urlsafe(50)
    same = manage("check", SECRET_KEY=secret, AUDIT_CHECKPOINT_KEY=secret,
                  ALLOWED_HOSTS="example.org", DJANGO_SETTINGS_MODULE="send_wsoa.settings.prod")
    short = manage("check", SECRET_KEY=secret, AUDIT_CHECKPOINT_KEY="k" * 20,
                   ALLOWED_HOSTS="example.org", DJANGO_SETTINGS_MODULE="send_wsoa.settings.prod")

    assert "AUDIT_CHECKPOINT_KEY is the same as SECRET_KEY" in same.stderr
    assert "AUDIT_CHECKPOINT_KEY is 20 characters long" in short.stderr
    assert same.returncode != 0 and short.returncode != 0


@pytest.mark.django_db
def test_every_change_to_the_models_has_its_migration():
    # A model changed without one would be deployed with the database not matching it.
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
