"""A trigram index of enterprise names, so that a search of three characters or more (`name__icontains`,
which Django writes as `UPPER(name::text) LIKE UPPER('%…%')`) reads the index instead of every enterprise.

Only on PostgreSQL (pg_trgm; SQLite has neither the extension nor the need). A search of one or two
characters has no trigram to look up and still reads the table: about 100,000 names, tens of milliseconds."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS enterprise_name_trgm ON enterprises_enterprise "
            "USING gin ((UPPER(name::text)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS enterprise_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0006_enterprise_list_order_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
