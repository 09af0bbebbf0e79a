import re

import pytest

STYLESHEET = re.compile(rb'<link[^>]*rel="stylesheet"[^>]*href="[^"]*govuk[^"]*\.css"'
                        rb'|<link[^>]*href="[^"]*govuk[^"]*\.css"[^>]*rel="stylesheet"')


def test_page_not_found_is_styled_and_reveals_nothing(client, board_member):
    client.force_login(board_member)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert STYLESHEET.search(response.content)
    assert b"Traceback" not in response.content
    assert b"urlpatterns" not in response.content.lower()


@pytest.mark.urls("tests.accounts.failing_urls")
def test_server_error_is_styled_and_reveals_nothing(client, board_member):
    client.raise_request_exception = False
    client.force_login(board_member)
    response = client.get("/fails/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert STYLESHEET.search(response.content)
    for leak in (b"secret detail", b"hunter2", b"RuntimeError", b"Traceback", b"/srv/app"):
        assert leak not in response.content


def test_permission_denied_is_styled(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get("/")
    assert response.status_code == 403
    assert STYLESHEET.search(response.content)
