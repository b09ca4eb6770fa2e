"""Enable PostgreSQL's pg_trgm, which problems.clusters.grouping uses to find problems described alike.

Only on PostgreSQL: SQLite has no extensions, and problems.clusters.grouping falls back to a comparison in
Python there. 'django.contrib.postgres' need not be installed for this."""

from django.db import migrations


def enable_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("problems", "0002_seed_categories_and_time_limits")]

    operations = [migrations.RunPython(enable_pg_trgm, migrations.RunPython.noop, elidable=False)]
