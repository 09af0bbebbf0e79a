"""Persona fixtures: a small plan with JC and EHC workstreams and one user per role in it,
and a second plan of another area that shares its refs (JC, JC1) to prove nothing of one
plan shows in the other."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from tests.factories import (
    PlanFactory,
    ReportingPeriodFactory,
    Role,
    UserFactory,
    WorkstreamFactory,
    member,
)


@pytest.fixture
def plan(db):
    return PlanFactory(slug="test-area", local_area__name="Test Area")


@pytest.fixture
def other_plan(db):
    """Another area's plan, with the same workstream codes and refs as `plan`."""
    return PlanFactory(slug="other-area", local_area__name="Other Area",
                       title="Other Area Written Statement of Action")


@pytest.fixture
def other_jc(other_plan):
    return WorkstreamFactory(plan=other_plan, code="JC", name="Joint commissioning", order=2)


@pytest.fixture
def jc(plan):
    return WorkstreamFactory(plan=plan, code="JC", name="Joint commissioning", order=2)


@pytest.fixture
def ehc(plan):
    return WorkstreamFactory(plan=plan, code="EHC", name="EHC plans", order=3)


@pytest.fixture
def period(plan):
    return ReportingPeriodFactory(plan=plan)


@pytest.fixture
def board_member(plan):
    return member(UserFactory(username="board-member"), plan, Role.BOARD)


@pytest.fixture
def officer(plan):
    return member(UserFactory(username="officer"), plan, Role.OFFICER)


@pytest.fixture
def administrator(plan):
    """The plan's administrator, who is also the site's (a superuser), as the demo's is."""
    return member(UserFactory(username="administrator", is_superuser=True, is_staff=True),
                  plan, Role.ADMIN)


@pytest.fixture
def plan_administrator(plan):
    """An administrator of this plan only."""
    return member(UserFactory(username="plan-administrator"), plan, Role.ADMIN)


@pytest.fixture
def adviser(plan):
    return member(UserFactory(username="adviser"), plan, Role.ADVISER)


@pytest.fixture
def jc_lead(plan, jc):
    return member(UserFactory(username="jc-lead"), plan, Role.LEAD, jc)


@pytest.fixture
def ehc_lead(plan, ehc):
    return member(UserFactory(username="ehc-lead"), plan, Role.LEAD, ehc)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="no-role")


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_truncate_guard():
    """PostgreSQL refuses TRUNCATE on the audit and history tables, and Django empties the
    database with TRUNCATE after each transactional and live-server test. Only here, as the
    tables' owner, is the guard switched off for the flush's own transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from audit.database import TRUNCATE_TRIGGER_NAME, append_only_tables

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        connection_ = self.connection
        quote = self.quote_name
        existing = set(connection_.introspection.table_names())
        tables = [table for table in append_only_tables(apps) if table in existing]
        with transaction.atomic(using=connection_.alias), connection_.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER "
                               f"{TRUNCATE_TRIGGER_NAME}")
            original(self, sql_list)
            for table in tables:
                cursor.execute(f"ALTER TABLE {quote(table)} ENABLE TRIGGER "
                               f"{TRUNCATE_TRIGGER_NAME}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture
def checkpoint_dir(settings, tmp_path):
    """A test's own directory of audit checkpoints, so none it writes holds another test's
    trail to its count."""
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return settings.AUDIT_CHECKPOINT_DIR


ESSEX_APPS = ("plans", "workstreams", "actions", "measures", "audit")


def _plan_models():
    models = [model for label in ESSEX_APPS
              for model in apps.get_app_config(label).get_models(include_auto_created=True)]
    # Many-to-many tables last: their rows point at rows of several apps.
    return sorted(models, key=lambda model: model._meta.auto_created is not False)


@pytest.fixture(scope="session")
def _essex_rows(django_db_setup, django_db_blocker):
    """Loads the Essex plan once per test session and keeps its rows; the load itself is
    rolled back so tests that do not ask for Essex never see it."""
    snapshot = []
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_essex_plan", verbosity=0)
        with connection.cursor() as cursor:
            for model in _plan_models():
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
                rows = cursor.fetchall()
                if rows:
                    snapshot.append((model, [c[0] for c in cursor.description], rows))
        transaction.set_rollback(True)
    return snapshot


def _db_value(value):
    if isinstance(value, dict | list) and connection.vendor == "postgresql":
        from psycopg2.extras import Json

        return Json(value)
    return value


@pytest.fixture
def essex(_essex_rows, db):
    """The Essex plan as `make run` loads it, inserted afresh for each test (committed for
    live-server tests, rolled back for the others)."""
    from plans.models import Plan

    # One transaction: foreign keys are checked at commit, so table order does not matter
    # even for live-server tests, which otherwise commit each statement.
    with transaction.atomic(), connection.cursor() as cursor:
        for model, columns, rows in _essex_rows:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",
                               [[_db_value(value) for value in row] for row in rows])
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _, _ in _essex_rows]):
            cursor.execute(sql)
    return Plan.objects.get(slug="essex")
