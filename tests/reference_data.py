"""The reference rows that data migrations load, and how to put them back.

Transactional tests (live_server, a real Celery worker) end by flushing every table, which also wipes the
rows loaded by migrations; post_migrate after the flush brings back only the role groups. Such tests call
`restore_reference_data()` first. The loaders are idempotent, so running them again is harmless.
"""

import importlib

# Each app that loads reference rows in a data migration adds its loader here.
REFERENCE_DATA_LOADERS = [
    ("accounts.migrations.0002_load_shandong_regions", "load_regions"),
    ("accounts.migrations.0003_seed_province_departments", "seed"),
    ("enterprises.migrations.0002_load_industries_and_tags", "load"),
    ("visits.migrations.0002_default_cadence", "seed"),
    ("problems.migrations.0002_seed_categories_and_time_limits", "seed"),
    ("forums.migrations.0002_seed_forum_cadence", "seed"),
    ("reviews.migrations.0002_seed_review_cadences", "seed"),
    ("surveys.migrations.0002_default_questionnaire", "seed"),
]


def restore_reference_data():
    from django.apps import apps

    from accounts.models import Region
    from accounts.roles import sync_role_groups
    from enterprises.models import Industry
    from forums.models import ForumCadence
    from reviews.models import ReviewCadence
    from surveys.models import Questionnaire

    loaded = (
        Region.objects.filter(code="370102"),
        Industry.objects,
        ForumCadence.objects,
        ReviewCadence.objects,
        Questionnaire.objects,
    )
    if not all(rows.exists() for rows in loaded):
        for module, loader in REFERENCE_DATA_LOADERS:
            getattr(importlib.import_module(module), loader)(apps, None)
    sync_role_groups()
