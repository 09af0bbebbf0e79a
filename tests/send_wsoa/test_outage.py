"""With the database gone, users see an outage, not a fault: /healthz answers 503 to any
caller and every page a styled 'service is unavailable' with Retry-After, logged in one line.
Run in a process of its own whose database is a closed port, as an app server whose
PostgreSQL has stopped would be."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

PROBE = r"""
import json, logging, django
django.setup()
from django.test import Client

records = []
class Keep(logging.Handler):
    def emit(self, record):
        records.append((record.levelname, record.getMessage(), bool(record.exc_info)))
logging.getLogger().addHandler(Keep())

answers = {}
SESSION = "sessionid=k3y0f4s3ss10nthatl00ksr3al9z8x7w"
for name, method, path, cookie in [
        ("healthz", "get", "/healthz", ""),
        ("healthz signed in", "get", "/healthz", SESSION),
        ("page signed in", "get", "/essex/actions/JC10/", SESSION),
        ("signing in", "post", "/accounts/login/", "")]:
    client = Client(raise_request_exception=False)
    response = getattr(client, method)(path, {"username": "board", "password": "x"}
                                       if method == "post" else {}, HTTP_COOKIE=cookie)
    answers[name] = {"status": response.status_code,
                     "retry_after": response.get("Retry-After"),
                     "body": response.content.decode()}
print(json.dumps({"answers": answers, "logs": records}))
"""


def _probe() -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "send_wsoa.settings.test",
           # Nothing listens on port 1.
           "DATABASE_URL": "postgres://postgres@127.0.0.1:1/gone", "PAGE_CACHE": "1"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_the_database_gone_users_see_an_outage_not_a_fault():
    probe = _probe()
    answers = probe["answers"]

    for name in ("healthz", "healthz signed in"):
        assert answers[name]["status"] == 503, name
        assert json.loads(answers[name]["body"]) == {"status": "database unavailable"}
    for name in ("page signed in", "signing in"):
        assert answers[name]["status"] == 503, name
        assert "Sorry, the service is unavailable" in answers[name]["body"]
        assert "Traceback" not in answers[name]["body"]
    assert all(answer["retry_after"] == "30" for answer in answers.values())
    errors = [log for log in probe["logs"] if log[0] in {"ERROR", "CRITICAL"}]
    assert errors == []
    assert not any(with_traceback for _, _, with_traceback in probe["logs"])
