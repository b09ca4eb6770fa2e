"""Indexes that serve the visit list at every scope (issue 13).

On PostgreSQL the fence is `region_id LIKE 'prefix%'`, which only a varchar_pattern_ops index serves under the
database's C.UTF-8 collation; SQLite ignores the operator class. `visit_region_order` replaces `visit_region_date`
(it serves the same lookups, with the list's tie-breaker); `visit_list_order` lets a city's or the province's list
walk the visits newest first and read their region and status from the index, without sorting them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("visits", "0002_default_cadence")]

    operations = [
        migrations.RemoveIndex(model_name="visit", name="visit_region_date"),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(
                fields=["region", "-visited_on", "-id"], name="visit_region_order", opclasses=["varchar_pattern_ops", "", ""]
            ),
        ),
        migrations.AddIndex(
            model_name="visit",
            index=models.Index(fields=["-visited_on", "-id", "region", "status"], name="visit_list_order"),
        ),
    ]
