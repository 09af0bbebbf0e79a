"""The long tables are drawn in Python, a row at a time: what a user typed in an action, its
owner or a milestone still reaches the page as text, never as markup."""

import pytest
from django.urls import reverse

from actions.models import Rag
from tests.factories import ActionFactory, MilestoneFactory, OrganisationFactory

TITLE = "<script>alert(1)</script>"
ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;"
OWNER = 'Lead & "Partners" <b>'
ESCAPED_OWNER = "Lead &amp; &quot;Partners&quot; &lt;b&gt;"
MILESTONE = "<img src=x onerror=alert(2)>"


@pytest.fixture
def typed_action(plan, jc):
    owner = OrganisationFactory(plan=plan, name=OWNER)
    action = ActionFactory(plan=plan, workstream=jc, title=TITLE, owner=owner, rag=Rag.RED)
    MilestoneFactory(action=action, title=MILESTONE)  # due in 2020: overdue
    return action


@pytest.mark.parametrize("name, kwargs", [
    ("actions:list", {}),
    ("workstreams:detail", {"code": "JC"}),
    ("dashboard:board_pack", {}),
    ("dashboard:home", {}),
])
def test_an_action_title_typed_as_markup_is_shown_as_text(client, board_member, plan,
                                                          typed_action, name, kwargs):
    client.force_login(board_member)
    page = client.get(reverse(name, kwargs={"plan_slug": plan.slug, **kwargs})).content.decode()
    assert ESCAPED_TITLE in page
    assert TITLE not in page
    assert ESCAPED_OWNER in page
    assert OWNER not in page


@pytest.mark.parametrize("name", ["dashboard:board_pack", "dashboard:home"])
def test_a_milestone_title_typed_as_markup_is_shown_as_text(client, board_member, plan,
                                                            typed_action, name):
    client.force_login(board_member)
    page = client.get(reverse(name, kwargs={"plan_slug": plan.slug})).content.decode()
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert MILESTONE not in page
