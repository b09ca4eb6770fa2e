"""Seed the campaign's nine problem categories and the default time limits (working days from the
dispatch: urgent 5, normal 15, not urgent 30). Both are data: administrators edit them in the admin."""

from django.db import migrations

CATEGORIES = [
    # key, Chinese name, English name
    ("financing", "融资信贷", "Financing"),
    ("land", "用地", "Land"),
    ("taxes-fees", "税费", "Taxes and fees"),
    ("approvals-permits", "审批许可", "Approvals and permits"),
    ("labour-talent", "用工和人才", "Labour and talent"),
    ("market-access", "市场准入", "Market access"),
    ("legal-rights", "合法权益保护", "Legal rights"),
    ("utilities-infrastructure", "水电气暖和基础设施", "Utilities and infrastructure"),
    ("other", "其他", "Other"),
]
WORKING_DAYS = {"urgent": 5, "normal": 15, "low": 30}


def seed(apps, schema_editor):
    Category = apps.get_model("problems", "Category")
    TimeLimit = apps.get_model("problems", "TimeLimit")
    for order, (key, name, name_en) in enumerate(CATEGORIES, start=1):
        category, _ = Category.objects.get_or_create(key=key, defaults={"name": name, "name_en": name_en, "order": order * 10})
        for urgency, working_days in WORKING_DAYS.items():
            TimeLimit.objects.get_or_create(category=category, urgency=urgency, defaults={"working_days": working_days})


def unseed(apps, schema_editor):
    Category = apps.get_model("problems", "Category")
    TimeLimit = apps.get_model("problems", "TimeLimit")
    keys = [key for key, _, _ in CATEGORIES]
    TimeLimit.objects.filter(category__key__in=keys).delete()
    # Categories some problem uses stay: their problems would lose their category. The rest have no
    # related rows left, so they are deleted without Django's collector, which fails on historical
    # models when several migrations are unapplied at once (migrate problems zero).
    used = apps.get_model("problems", "Problem").objects.values("category_id")
    Category.objects.filter(key__in=keys).exclude(pk__in=used)._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
