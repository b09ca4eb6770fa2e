"""Each liaison keeps its cadre's last visit and the next one due, indexed for the due-visit plan.

The backfill is two UPDATE statements over every liaison (no save per row): the last submitted visit the
cadre led or accompanied since the start, then an interval of the level's cadence rule after it (or after
the start), nothing once the liaison has ended. It is the computation of visits.plan.services, frozen here.
"""

from datetime import date

from django.db import NotSupportedError, migrations, models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf

DEFAULT_INTERVAL_MONTHS = {"county": 3, "city": 6, "province": 12}
NEVER = date(1, 1, 1)


class AddMonths(models.Func):
    arity = 2
    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("AddMonths is written for PostgreSQL and SQLite.")

    def as_postgresql(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"(({day}) + make_interval(months => ({months})::integer))::date", (*day_params, *months_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        (day, day_params), (months, months_params) = (compiler.compile(e) for e in self.get_source_expressions())
        first = f"date({day}, 'start of month', '+' || ({months}) || ' months')"
        day_of_month = f"CAST(substr(date({day}), 9, 2) AS INTEGER)"
        sql = f"min(date({first}, '+' || ({day_of_month} - 1) || ' days'), date({first}, '+1 month', '-1 day'))"
        return sql, (*day_params, *months_params, *day_params, *day_params, *months_params)


def backfill(apps, schema_editor):
    LiaisonAssignment = apps.get_model("enterprises", "LiaisonAssignment")
    Visit = apps.get_model("visits", "Visit")
    CadenceRule = apps.get_model("visits", "CadenceRule")
    since_start = Visit.objects.filter(
        status="submitted", enterprise=OuterRef("enterprise_id"), visited_on__gte=OuterRef("started_on")
    ).order_by("-visited_on")
    led = since_start.filter(cadre=OuterRef("official_id")).values("visited_on")[:1]
    accompanied = since_start.filter(companions=OuterRef("official_id")).values("visited_on")[:1]
    LiaisonAssignment.objects.update(
        last_visit_on=NullIf(
            Greatest(Coalesce(Subquery(led), Value(NEVER)), Coalesce(Subquery(accompanied), Value(NEVER))), Value(NEVER)
        )
    )
    months = dict(DEFAULT_INTERVAL_MONTHS)
    months.update(CadenceRule.objects.values_list("level", "interval_months"))
    interval = Case(
        *(When(level=level, then=Value(value)) for level, value in months.items()), output_field=models.IntegerField()
    )
    LiaisonAssignment.objects.filter(ended_on__isnull=True).update(
        next_due_on=AddMonths(Coalesce(F("last_visit_on"), F("started_on")), interval)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_seed_province_departments"),
        ("enterprises", "0003_import_jobs"),
        ("visits", "0002_default_cadence"),
    ]

    operations = [
        migrations.AddField(
            model_name="liaisonassignment",
            name="last_visit_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="last visit"),
        ),
        migrations.AddField(
            model_name="liaisonassignment",
            name="next_due_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="next visit due"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="liaisonassignment",
            index=models.Index(
                condition=Q(("ended_on__isnull", True)),
                fields=["region", "next_due_on"],
                name="assignment_region_due",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="liaisonassignment",
            index=models.Index(
                condition=Q(("ended_on__isnull", True)), fields=["official", "next_due_on"], name="assignment_official_due"
            ),
        ),
    ]
