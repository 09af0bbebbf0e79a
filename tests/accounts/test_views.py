import re
import socket

import pytest
from django.db import connections


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_database(db):
    """Swaps the default connection for one whose database cannot be reached."""
    working = connections["default"]
    settings_dict = dict(working.settings_dict)
    if working.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/send-wsoa.sqlite3"
    else:
        settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()),
                             OPTIONS={**settings_dict["OPTIONS"], "connect_timeout": 2})
    broken = working.__class__(settings_dict, alias="default")
    connections["default"] = broken
    yield
    broken.close()
    connections["default"] = working


def test_healthz_says_unavailable_when_the_database_cannot_be_reached(client, unreachable_database):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "database unavailable"}
    assert "no-store" in response["Cache-Control"]
    assert response["Retry-After"] == "30"


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_sign_in_page_is_open_to_anonymous_visitors(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_pages_carry_a_script_nonce_the_content_security_policy_allows(client, db):
    response = client.get("/accounts/login/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce, response["Content-Security-Policy"]
    assert f'nonce="{nonce.group(1)}"'.encode() in response.content
