"""The database gives the data a new revision on every write that can change a page, from
any writer, and keeps it on sign-ins, which change none."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth.models import update_last_login
from django.db import connection

from actions.models import Action, Rag
from pagecache.database import watched_tables
from pagecache.models import DataRevision
from pagecache.pages import current_revision
from tests.factories import ActionFactory, MilestoneFactory


def test_saving_an_action_gives_a_new_revision(action):
    before = current_revision()
    action.title = "A new title"
    action.save()

    assert current_revision() not in {None, before}


def test_deleting_a_milestone_gives_a_new_revision(action):
    milestone = MilestoneFactory(action=action)
    before = current_revision()
    milestone.delete()

    assert current_revision() != before


def test_a_write_in_plain_sql_gives_a_new_revision(action):
    # What a database console, a bulk load or a data migration does, bypassing Django.
    before = current_revision()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE actions_action SET rag = %s WHERE id = %s", [Rag.RED, action.pk])

    assert current_revision() != before
    assert Action.objects.get(pk=action.pk).rag == Rag.RED


def test_signing_in_keeps_the_revision(board_member):
    before = current_revision()
    update_last_login(None, board_member)

    assert current_revision() == before


def test_renaming_a_user_gives_a_new_revision(board_member):
    # Names are shown beside progress updates and in the History tab.
    before = current_revision()
    board_member.first_name = "Renamed"
    board_member.save()

    assert current_revision() != before


def test_sessions_and_sign_in_attempts_are_not_watched():
    tables = watched_tables(apps, connection)

    assert "django_session" not in tables
    assert "axes_accessattempt" not in tables
    assert "pagecache_datarevision" not in tables
    assert "actions_action" in tables
    assert "auth_user_groups" in tables
    assert "plans_membership" in tables and "plans_membership_workstreams" in tables
    assert "last_login" not in tables["auth_user"]


def test_without_a_revision_row_pages_are_not_cached_until_the_next_write(plan, jc):
    DataRevision.objects.all().delete()
    assert current_revision() is None

    ActionFactory(plan=plan, workstream=jc, original_due_date=dt.date(2021, 3, 31))

    assert current_revision() is not None


@pytest.fixture
def action(plan, jc):
    return ActionFactory(plan=plan, workstream=jc, ref="JC1", ref_number=1)
