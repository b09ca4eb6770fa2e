"""The state of each existing CalendarDay, TimeLimit when the audit trail began, so that its first recorded change
shows the values it replaced (core.history.write_baselines). Kept small on purpose: the large tables (visits,
forums, reviews) start their trail with their next change."""

from django.db import migrations

from core.history import write_baselines

PROVINCE = "370000"


def record_baselines(apps, schema_editor):
    write_baselines(apps, "problems", "CalendarDay", region=lambda day: PROVINCE)
    write_baselines(apps, "problems", "TimeLimit", region=lambda limit: PROVINCE)


class Migration(migrations.Migration):
    dependencies = [("problems", "0007_audit_trail_history")]

    operations = [migrations.RunPython(record_baselines, migrations.RunPython.noop)]
