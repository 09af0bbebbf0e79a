"""On PostgreSQL the database itself refuses to alter, remove or empty audit entries and
simple-history's historical rows, whatever code or person tries."""

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""
TRIGGER_NAME = "audit_append_only"
# TRUNCATE fires no row trigger, so emptying a table needs a statement trigger of its own.
# It lets nothing through: the test suite empties tables past it with
# session_replication_role, which only a superuser may set (tests/conftest.py).
TRUNCATE_TRIGGER_NAME = "audit_no_truncate"


def append_only_tables(apps) -> list[str]:
    """The audit table and every simple-history table, including the many-to-many ones."""
    tables = []
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        if model._meta.db_table == "audit_auditentry" or field_names & {"history_id",
                                                                         "m2m_history_id"}:
            tables.append(model._meta.db_table)
    return sorted(tables)


def install_append_only_triggers(connection, tables: list[str]) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE "
                f"ON {quote(table)} FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()")
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRUNCATE_TRIGGER_NAME} BEFORE TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()")


def remove_append_only_triggers(connection, tables: list[str]) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {quote(table)}")
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER_NAME} ON {quote(table)}")


def remove_truncate_triggers(connection, tables: list[str]) -> None:
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER_NAME} ON {quote(table)}")
