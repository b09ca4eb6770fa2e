"""The campaign's default cadence: county cadres visit each enterprise every quarter, city cadres every
half year, provincial cadres every year. Administrators change it in the admin."""

from django.db import migrations

DEFAULTS = {"county": 3, "city": 6, "province": 12}


def seed(apps, schema_editor):
    CadenceRule = apps.get_model("visits", "CadenceRule")
    for level, months in DEFAULTS.items():
        CadenceRule.objects.get_or_create(level=level, defaults={"interval_months": months})


def unseed(apps, schema_editor):
    apps.get_model("visits", "CadenceRule").objects.filter(level__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
