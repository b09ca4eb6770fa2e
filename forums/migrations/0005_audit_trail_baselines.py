"""The state of each existing ForumCadence when the audit trail began, so that its first recorded change
shows the values it replaced (core.history.write_baselines). Kept small on purpose: the large tables (visits,
forums, reviews) start their trail with their next change."""

from django.db import migrations

from core.history import write_baselines

PROVINCE = "370000"


def record_baselines(apps, schema_editor):
    write_baselines(apps, "forums", "ForumCadence", region=lambda cadence: PROVINCE)


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_audit_trail_history")]

    operations = [migrations.RunPython(record_baselines, migrations.RunPython.noop)]
