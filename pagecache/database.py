"""The triggers that give the data a new revision token whenever a watched table changes.

Every table is watched except those written on every sign-in or page view (sessions,
sign-in attempts, the sign-in columns of accounts) and the revision table itself."""

from django.db.backends.base.base import BaseDatabaseWrapper

from accounts.models import SIGN_IN_FIELDS

REVISION_TABLE = "pagecache_datarevision"
# Written on every sign-in or page view; no page shows them.
UNWATCHED_APPS = frozenset({"sessions", "axes"})
# Columns whose change alone leaves every page as it was.
UNWATCHED_COLUMNS = {"auth_user": SIGN_IN_FIELDS}
TRIGGER_NAME = "pagecache_new_revision"

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION pagecache_new_revision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pagecache_datarevision (id, token)
    VALUES (1, replace(gen_random_uuid()::text, '-', ''))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$;
"""
# A random token, not a counter: tests that empty tables would restart a counter at a value
# pages were already cached under.
SQLITE_NEW_REVISION = ("INSERT OR REPLACE INTO pagecache_datarevision (id, token) "
                       "VALUES (1, lower(hex(randomblob(16))))")


SQLITE_OPERATIONS = ("insert", "update", "delete")


def _sqlite_trigger(table: str, operation: str) -> str:
    # SQLite has no statement triggers and names triggers per database, not per table.
    return f'"{TRIGGER_NAME}_{table}_{operation}"'


def watched_tables(apps, connection: BaseDatabaseWrapper) -> dict[str, list[str] | None]:
    """Each watched table, with the columns whose updates count (None: all of them)."""
    tables: dict[str, list[str] | None] = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if (not model._meta.managed or model._meta.proxy or table == REVISION_TABLE
                or model._meta.app_label in UNWATCHED_APPS):
            continue
        unwatched = UNWATCHED_COLUMNS.get(table)
        tables[table] = sorted(field.column for field in model._meta.local_concrete_fields
                               if field.column not in unwatched) if unwatched else None
    return tables


def install_revision_triggers(connection: BaseDatabaseWrapper,
                              tables: dict[str, list[str] | None]) -> None:
    """Triggers on `tables`, and none left on any other table (one no longer watched).
    Other databases get none, and pagecache.pages caches nothing there."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in set(connection.introspection.table_names()) - set(tables):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER_NAME} ON {quote(table)}")
            else:
                for operation in SQLITE_OPERATIONS:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_sqlite_trigger(table, operation)}")
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table, columns in sorted(tables.items()):
            update = f"UPDATE OF {', '.join(quote(c) for c in columns)}" if columns else "UPDATE"
            if connection.vendor == "postgresql":
                # Once per statement: a bulk load of 60,000 rows changes the token once.
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} AFTER INSERT OR {update} OR "
                    f"DELETE OR TRUNCATE ON {quote(table)} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER_NAME}()")
                continue
            for operation in SQLITE_OPERATIONS:
                event = update if operation == "update" else operation.upper()
                name = _sqlite_trigger(table, operation)
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} "
                               f"BEGIN {SQLITE_NEW_REVISION}; END")
