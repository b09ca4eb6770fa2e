"""The due-visit plan's index, measured: (next_due_on, region_id varchar_pattern_ops) of current liaisons, with
the columns its counts read, serves the list of the province, a city and a county in due-date order, where
(region_id, next_due_on) gave that order for one county only and went unused."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0004_assignment_due_dates")]

    operations = [
        migrations.RemoveIndex(model_name="liaisonassignment", name="assignment_region_due"),
        migrations.AddIndex(
            model_name="liaisonassignment",
            index=models.Index(
                condition=models.Q(("ended_on__isnull", True)),
                fields=["next_due_on", "region"],
                include=("level", "started_on", "enterprise"),
                name="assignment_due_order",
                opclasses=["date_ops", "varchar_pattern_ops"],
            ),
        ),
    ]
