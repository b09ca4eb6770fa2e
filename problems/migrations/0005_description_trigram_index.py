"""A trigram index of problem descriptions, so that a search of three characters or more
(`description__icontains`, written `UPPER(description::text) LIKE UPPER('%…%')`) reads the index instead of
every problem. Only on PostgreSQL; a search of one or two characters still reads the table."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS problem_description_trgm ON problems_problem "
            "USING gin ((UPPER(description::text)) gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS problem_description_trgm")


class Migration(migrations.Migration):
    dependencies = [("problems", "0004_problem_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
