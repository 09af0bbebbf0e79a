"""On PostgreSQL the database refuses to alter or remove the audit trail; these run in the
PostgreSQL pass of CI."""

from urllib.request import urlopen

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction

from actions.models import Rag
from audit import apps as audit_apps
from audit import database
from audit.models import AuditEntry
from tests.factories import ActionFactory, OrganisationFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the triggers are PostgreSQL's")


@pytest.fixture
def action(plan, jc):
    action = ActionFactory(plan=plan, workstream=jc, ref="JC5", ref_number=5, rag=Rag.AMBER)
    action.rag = Rag.GREEN
    action.save()
    return action


def _refused(sql: str, params: list) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The test's own inserts leave deferred foreign-key checks that TRUNCATE waits on.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_alter_or_remove_audit_entries(action):
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert _refused("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["x", entry.pk])
    assert _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).hash == entry.hash


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_alter_or_remove_history_rows(action):
    record = action.history.first()
    table = record._meta.db_table
    assert _refused(f"UPDATE {table} SET rag = %s WHERE history_id = %s",
                    [Rag.RED, record.history_id])
    assert _refused(f"DELETE FROM {table} WHERE history_id = %s", [record.history_id])


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_remove_many_to_many_history(action):
    action.contributors.add(OrganisationFactory(plan=action.plan))
    assert _refused("DELETE FROM actions_historicalaction_contributors", [])


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_alter_or_remove_account_history(administrator):
    record = administrator.history.first()
    table = record._meta.db_table
    assert _refused(f"UPDATE {table} SET is_superuser = false WHERE history_id = %s",
                    [record.history_id])
    assert _refused(f"DELETE FROM {table} WHERE history_id = %s", [record.history_id])


@postgres_only
@pytest.mark.postgres_only
def test_orm_cannot_edit_the_trail_either(action):
    entry = AuditEntry.objects.order_by("-sequence").first()
    entry.reason = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.delete()


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_empty_the_audit_trail(action):
    assert _refused("TRUNCATE audit_auditentry", [])
    assert _refused("TRUNCATE audit_auditentry CASCADE", [])
    assert AuditEntry.objects.exists()


@postgres_only
@pytest.mark.postgres_only
def test_database_refuses_to_empty_any_history_table(action, administrator):
    tables = database.append_only_tables(apps)
    assert "actions_historicalaction" in tables
    assert administrator.history.model._meta.db_table in tables
    for table in tables:
        assert _refused(f"TRUNCATE {connection.ops.quote_name(table)}", []), table
    assert action.history.exists()


@postgres_only
@pytest.mark.postgres_only
def test_the_application_role_cannot_empty_the_trail_without_being_superuser(action):
    """As a role that does not own the tables, as production's application role should
    not, TRUNCATE is refused and the suite's own way past the guard (switching the trigger
    off as the tables' owner) is closed to it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE send_wsoa_app_probe NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO send_wsoa_app_probe")
        cursor.execute("SET LOCAL ROLE send_wsoa_app_probe")
        assert _refused("TRUNCATE audit_auditentry", [])
        assert _refused("TRUNCATE actions_historicalaction", [])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_no_truncate")
        transaction.set_rollback(True)
    assert AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_start_from_an_empty_trail(plan, jc):
    """Run twice in one session: flushing between transactional tests empties the
    append-only tables, past the TRUNCATE guard only for the test suite's own flush."""
    assert AuditEntry.objects.filter(action_ref="JC6").count() == 0
    ActionFactory(plan=plan, workstream=jc, ref="JC6", ref_number=6)
    assert AuditEntry.objects.filter(action_ref="JC6").count() == 1


def test_live_server_tests_still_start_from_an_empty_trail(live_server, plan, jc):
    with urlopen(f"{live_server.url}/healthz") as response:  # noqa: S310
        assert response.status == 200
    assert AuditEntry.objects.filter(action_ref="JC6").count() == 0
    ActionFactory(plan=plan, workstream=jc, ref="JC6", ref_number=6)
    assert AuditEntry.objects.filter(action_ref="JC6").count() == 1


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_chain(plan, jc):
    import threading

    from django.db import connections

    from audit.services import verify_chain

    actions = [ActionFactory(plan=plan, workstream=jc, ref=f"JC{n}", ref_number=n)
               for n in (20, 21, 22, 23)]
    start = threading.Barrier(len(actions))

    def edit(action):
        start.wait()
        for rag in (Rag.GREEN, Rag.RED, Rag.AMBER, Rag.GREEN, Rag.RED):
            with transaction.atomic():
                action.rag = rag
                action.save()
        connections.close_all()

    threads = [threading.Thread(target=edit, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    checked, first_break = verify_chain()
    assert first_break is None
    assert checked == AuditEntry.objects.count() >= 4 * 6


@postgres_only
@pytest.mark.postgres_only
@pytest.mark.django_db
def test_protecting_history_tables_passes_over_a_table_a_backward_migration_removed(
        monkeypatch):
    # Migrating accounts back to 0001 drops the account history table, then post_migrate runs.
    real = database.append_only_tables
    monkeypatch.setattr(database, "append_only_tables",
                        lambda apps: [*real(apps), "accounts_dropped_history"])
    audit_apps.protect_history_tables(sender=None, using="default")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_append_only' "
                       "AND tgrelid = 'audit_auditentry'::regclass")
        assert cursor.fetchone()[0] == 1
