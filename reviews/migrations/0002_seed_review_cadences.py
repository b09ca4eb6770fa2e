"""The campaign's default review cadences: every region sums up its liaison work each half year and each
year. The half-yearly review is due 15 days after the half year, the yearly one 30 days after the year;
the second half year is covered by the yearly review. Staff are reminded 14 and 3 days before the due
date. Administrators change it in the admin."""

from django.db import migrations

DEFAULTS = {6: {"due_days": 15}, 12: {"due_days": 30}}


def seed(apps, schema_editor):
    ReviewCadence = apps.get_model("reviews", "ReviewCadence")
    for months, values in DEFAULTS.items():
        ReviewCadence.objects.get_or_create(
            months=months, defaults={**values, "lead_days": "14,3", "defer_to_longer": True, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("reviews", "ReviewCadence").objects.filter(months__in=DEFAULTS).delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
