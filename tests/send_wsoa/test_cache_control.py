"""Nothing of a person's plan is kept by a shared proxy or the browser of a public computer."""

import pytest
from django.urls import reverse

from tests.factories import ActionFactory


@pytest.mark.parametrize("name,kwargs", [
    ("dashboard:home", {}), ("actions:detail", {"ref": "JC1"}), ("actions:export_csv", {}),
    ("actions:export_xlsx", {}), ("audit:export_csv", {}), ("dashboard:board_pack", {}),
])
def test_signed_in_pages_and_downloads_are_kept_by_no_cache(client, plan, jc, board_member,
                                                             name, kwargs):
    ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
    client.force_login(board_member)

    response = client.get(reverse(name, kwargs={"plan_slug": plan.slug, **kwargs}))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_the_sign_in_page_is_kept_by_no_cache(client, db):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]


def test_static_files_keep_their_own_cache_lifetime(client):
    response = client.get("/static/govuk/application.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
