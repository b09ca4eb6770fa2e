"""The campaign's default forum cadence: the province holds a forum every year, each city every half
year, each county every quarter; staff are reminded 30 and 7 days before a period ends without one.
Administrators change it in the admin."""

from django.db import migrations

DEFAULTS = {"province": 12, "city": 6, "county": 3}


def seed(apps, schema_editor):
    ForumCadence = apps.get_model("forums", "ForumCadence")
    for level, months in DEFAULTS.items():
        ForumCadence.objects.get_or_create(level=level, defaults={"months": months, "lead_days": "30,7"})


def unseed(apps, schema_editor):
    apps.get_model("forums", "ForumCadence").objects.filter(level__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
