"""Load the 20 industry sections of GB/T 4754-2017 and the campaign's usual enterprise tags."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "industry_sections.json"
TAGS = ["专精特新", "高新技术企业", "规上企业", "上市公司", "瞪羚企业", "单项冠军", "科技型中小企业", "老字号"]


def load(apps, schema_editor):
    Industry = apps.get_model("enterprises", "Industry")
    Tag = apps.get_model("enterprises", "Tag")
    for row in json.loads(DATA_FILE.read_text(encoding="utf-8"))["sections"]:
        Industry.objects.update_or_create(code=row["code"], defaults={"name_zh": row["name_zh"], "name_en": row["name_en"]})
    for order, name in enumerate(TAGS, start=1):
        Tag.objects.get_or_create(name=name, defaults={"order": order * 10})


def unload(apps, schema_editor):
    apps.get_model("enterprises", "Tag").objects.filter(name__in=TAGS).delete()
    apps.get_model("enterprises", "Industry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
