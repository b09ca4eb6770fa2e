"""Seed the unit types named in the campaign notice and the province's own departments.

Cities and counties get their matching units on demand (accounts.services.ensure_department); the
names are data, editable by administrators, since several units have since merged or been renamed.
"""

from django.db import migrations

UNIT_TYPES = [
    # key, name at the province, suffix after a city's or county's name
    ("united-front", "省委统战部", "委统战部"),
    ("publicity", "省委宣传部", "委宣传部"),
    ("federation-of-industry", "省工商联", "工商联"),
    ("development-reform", "省发改委", "发改委"),
    ("economy-information", "省经信委", "经信委"),
    ("science-technology", "省科技厅", "科技局"),
    ("finance", "省财政厅", "财政局"),
    ("commerce", "省商务厅", "商务局"),
    ("state-tax", "省国税局", "国税局"),
    ("local-tax", "省地税局", "地税局"),
    ("financial-affairs", "省金融办", "金融办"),
    ("sme", "省中小企业局", "中小企业局"),
]


def seed(apps, schema_editor):
    UnitType = apps.get_model("accounts", "UnitType")
    Department = apps.get_model("accounts", "Department")
    for order, (key, province_name, local_suffix) in enumerate(UNIT_TYPES, start=1):
        unit_type, _ = UnitType.objects.update_or_create(
            key=key, defaults={"province_name": province_name, "local_suffix": local_suffix, "order": order * 10}
        )
        Department.objects.get_or_create(region_id="370000", unit_type=unit_type, defaults={"name": province_name})


def unseed(apps, schema_editor):
    UnitType = apps.get_model("accounts", "UnitType")
    Department = apps.get_model("accounts", "Department")
    keys = [key for key, _, _ in UNIT_TYPES]
    Department.objects.filter(region_id="370000", unit_type__key__in=keys).delete()
    UnitType.objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_load_shandong_regions")]
    operations = [migrations.RunPython(seed, unseed)]
