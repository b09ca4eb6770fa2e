"""Load Shandong's 168 divisions (province, 16 cities, 136 county-level divisions and 15 functional
zones) from the copy of the national statistical codes kept in accounts/data/."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "shandong_divisions.json"


def load_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    regions = json.loads(DATA_FILE.read_text(encoding="utf-8"))["regions"]
    # Parents come before children in code order (370000 < 370100 < 370102).
    for row in sorted(regions, key=lambda row: row["code"]):
        Region.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "level": row["level"], "kind": row["kind"], "parent_id": row["parent"]},
        )


def unload_regions(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    for level in ("county", "city", "province"):
        Region.objects.filter(level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load_regions, unload_regions)]
