import re

import pytest
from django.urls import reverse

from tests.factories import ActionFactory

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


def test_a_plan_without_a_role_in_it_is_not_found_and_styled(client, no_role_user, plan):
    client.force_login(no_role_user)
    response = client.get(reverse("dashboard:home", kwargs={"plan_slug": plan.slug}))
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert STYLESHEET.search(response.content)
    assert plan.title.encode() not in response.content


@pytest.mark.urls("tests.accounts.failing_urls")
def test_server_error_is_styled_and_reveals_nothing(client, board_member, plan):
    client.raise_request_exception = False
    client.force_login(board_member)
    response = client.get(f"/{plan.slug}/fails/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert STYLESHEET.search(response.content)
    for leak in (b"secret detail", b"hunter2", b"RuntimeError", b"Traceback", b"/srv/app"):
        assert leak not in response.content


def test_permission_denied_is_styled(client, board_member, plan, jc):
    # A board member reads the action but may not add a progress update to it.
    action = ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    client.force_login(board_member)
    response = client.get(reverse("actions:update_new",
                                  kwargs={"plan_slug": plan.slug, "ref": action.ref}))
    assert response.status_code == 403
    assert STYLESHEET.search(response.content)
    assert b"Traceback" not in response.content


def test_an_account_with_no_role_is_told_so_at_the_start_page(client, no_role_user, plan):
    client.force_login(no_role_user)
    response = client.get(reverse("plans"))
    assert response.status_code == 200
    assert b"You do not hold a role in any plan" in response.content
    assert STYLESHEET.search(response.content)
    assert plan.title.encode() not in response.content
