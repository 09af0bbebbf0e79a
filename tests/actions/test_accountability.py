"""Who delivers each action: delivery team, lead agency, sponsoring director and action
lead, shown on the action page, filtered in the list, carried by the downloads and kept in
the action's history."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from tests.downloads import XLSX_HEADER_ROW, csv_table
from tests.factories import ActionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accountable(plan, jc):
    council = OrganisationFactory(plan=plan, key="council", name="Northshire County Council")
    team = OrganisationFactory(plan=plan, key="sen-team", name="SEN Assessment Team",
                               kind="team")
    action = ActionFactory(
        plan=plan, workstream=jc, ref="JC1", ref_number=1, lead_agency=council,
        delivery_team=team, sponsoring_director_name="Sam Patel",
        sponsoring_director_role="Director of Education", action_lead_name="Ria Jones",
        action_lead_role="Head of SEND Commissioning")
    ActionFactory(plan=plan, workstream=jc, ref="JC2", ref_number=2)
    return action


def test_the_action_page_names_who_delivers_it(client, board_member, plan, accountable):
    client.force_login(board_member)
    page = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC1"}))
    text = page.content.decode()
    assert "Ria Jones, Head of SEND Commissioning" in text
    assert "Sam Patel, Director of Education" in text
    assert "Northshire County Council" in text
    assert "SEN Assessment Team" in text


def test_an_action_without_them_says_they_are_not_named(client, board_member, plan,
                                                        accountable):
    client.force_login(board_member)
    page = client.get(reverse("actions:detail", kwargs={"plan_slug": plan.slug, "ref": "JC2"}))
    assert page.content.decode().count("Not named") == 4


@pytest.mark.parametrize("query", ["lead_agency=council", "delivery_team=sen-team",
                                   "person=ria", "person=director of education"])
def test_the_list_filters_by_each_of_them(client, board_member, plan, accountable, query):
    client.force_login(board_member)
    url = reverse("actions:export_csv", kwargs={"plan_slug": plan.slug})
    header, *rows = csv_table(client.get(f"{url}?{query}").content)
    assert [row[0] for row in rows] == ["JC1"]


def test_the_downloads_carry_them_in_their_own_columns(client, board_member, plan,
                                                       accountable):
    client.force_login(board_member)
    url = reverse("actions:export_xlsx", kwargs={"plan_slug": plan.slug})
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    header, first, *_ = sheet.iter_rows(min_row=XLSX_HEADER_ROW, values_only=True)
    row = dict(zip(header, first, strict=True))
    assert row["Action lead"] == "Ria Jones"
    assert row["Action lead role"] == "Head of SEND Commissioning"
    assert row["Sponsoring director"] == "Sam Patel"
    assert row["Sponsoring director role"] == "Director of Education"
    assert row["Lead agency"] == "Northshire County Council"
    assert row["Delivery team"] == "SEN Assessment Team"


def test_a_change_of_action_lead_is_kept_in_the_history(accountable):
    action = Action.objects.get(pk=accountable.pk)
    action.action_lead_name = "Kim Lee"
    action._change_reason = "New head of service"
    action.save()
    before, after = action.history.order_by("history_date")[:2]
    assert (before.action_lead_name, after.action_lead_name) == ("Ria Jones", "Kim Lee")
