"""Indexes that serve the problem list and common problems at every scope (issue 13).

`problem_list_order` holds the list's order and the columns the fence and the status filter read, so the list is
an ordered index-only scan whatever the scope; `problem_open_order`, partial on the open states, gives
problems.clusters the most recent open problems of a scope without reading the closed ones."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("problems", "0003_trigram")]

    operations = [
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(fields=["-raised_on", "-id", "region", "handling_region", "status"], name="problem_list_order"),
        ),
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(
                condition=models.Q(
                    ("status__in", ["escalated", "in_progress", "new", "referred", "reopened", "returned", "waiting"])
                ),
                fields=["-raised_on", "-id", "region", "handling_region", "category"],
                name="problem_open_order",
            ),
        ),
    ]
