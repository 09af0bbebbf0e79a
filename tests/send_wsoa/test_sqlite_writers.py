"""On a laptop's SQLite (`make run`), two people saving at once both save: the second waits
for the first rather than failing "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

TWO_WRITERS = r"""
import json, threading, time, django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
start, errors = threading.Barrier(2), []

def save():
    start.wait()
    try:
        # Read, think, write: what a form save does.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            n = cursor.fetchone()[0]
            time.sleep(0.3)
            cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(str(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=save) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(json.dumps({"n": cursor.fetchone()[0], "errors": errors}))
"""


def test_two_people_saving_at_once_on_sqlite_both_save(tmp_path):
    environment = {key: value for key, value in os.environ.items()
                   if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}}
    environment.update(DJANGO_SETTINGS_MODULE="send_wsoa.settings.dev",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")

    result = subprocess.run([sys.executable, "-c", TWO_WRITERS], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"n": 2, "errors": []}
