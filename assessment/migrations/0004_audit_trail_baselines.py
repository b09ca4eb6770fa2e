"""The state of each existing AssessmentPeriod, Scheme, SchemeItem when the audit trail began, so that its first recorded change
shows the values it replaced (core.history.write_baselines). Kept small on purpose: the large tables (visits,
forums, reviews) start their trail with their next change."""

from django.db import migrations

from core.history import write_baselines

PROVINCE = "370000"


def record_baselines(apps, schema_editor):
    write_baselines(apps, "assessment", "AssessmentPeriod", region=lambda period: PROVINCE)
    write_baselines(apps, "assessment", "Scheme", region=lambda scheme: scheme.owner_id)
    write_baselines(apps, "assessment", "SchemeItem", region=lambda item: item.scheme.owner_id)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0003_audit_trail_history")]

    operations = [migrations.RunPython(record_baselines, migrations.RunPython.noop)]
