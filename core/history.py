"""The audit trail's storage: django-simple-history, with who, when, from which address and in which region.

Every audited model declares `history = AuditedHistory(...)` instead of simple_history's
`HistoricalRecords(...)`. Its history table then has, besides the record's fields and simple_history's
`history_date`, `history_user` and `history_type`:

- `ip_address`: the client's address (`core.http.client_address`) of the request that made the change;
  empty for a change made by a task or a command;
- `audit_region`: the code of the region the change belongs to, the audit page's fence (a `startswith`
  on the reader's code prefix, as `accounts.access`): the record's region after the change, or the
  province's code for province-wide settings (calendar days, cadences, assessment periods), which the
  model declares with `region=`.

Both are filled when the row is written, by `save()` as by the `bulk_create` of simple_history's bulk
helpers (`bulk_create_with_history`), so no path writes a row without them. Indexes serve the audit
page's queries: newest first within a region prefix, by person, and by date.

A save that writes only fields the history leaves out (`update_fields=["last_login"]` at each login)
records nothing. A password change records a row whose change reason says so, never the password.
"""

import hashlib
from collections import defaultdict

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .http import client_address

# `history_change_reason` of a row recorded because the password changed (its value is never kept).
PASSWORD_CHANGED = "password_changed"
# `history_change_reason` of a record's state when the audit trail began (`write_baselines`): not a change
# anyone made, so the audit page lists none, but the first change after it is shown against it.
BASELINE = "baseline"


def _request_address():
    request = getattr(HistoricalRecords.context, "request", None)
    return client_address(request) if request is not None else None


class AuditedChangeManager(models.Manager):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        address = _request_address()
        for row in objs:
            row.fill_audit_columns(address)
        return super().bulk_create(objs, *args, **kwargs)


class AuditedChange(models.Model):
    """The abstract base of every audited history table (simple_history's `bases=`)."""

    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    audit_region = models.CharField(_("region"), max_length=6, blank=True, default="", editable=False)

    objects = AuditedChangeManager()

    # Set on each history model by AuditedHistory: the region code of a history row.
    region_of_row = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_audit_columns(_request_address())
        super().save(*args, **kwargs)

    def fill_audit_columns(self, address):
        if self.ip_address is None:
            self.ip_address = address
        if not self.audit_region and self.region_of_row is not None:
            self.audit_region = self.region_of_row() or ""


def _index_name(model, purpose):
    """Index names are unique project-wide and at most 30 characters."""
    digest = hashlib.sha1(model._meta.label_lower.encode()).hexdigest()[:8]
    return f"audit_{digest}_{purpose}"


class AuditedHistory(HistoricalRecords):
    """`HistoricalRecords` with the client's address, the row's region and the audit page's indexes.

    `region` is a function of a history row returning its region code; by default the record's own
    `region` column. Pass `lambda row: PROVINCE_CODE` for a province-wide setting.
    """

    def __init__(self, *, region=None, bases=(AuditedChange,), **kwargs):
        self.region = region
        super().__init__(bases=bases, **kwargs)

    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        region = self.region or (lambda row: row.region_id)
        history_model.region_of_row = lambda row: region(row)
        return history_model

    def copy_fields(self, model):
        # A history table is read by record (its copy of the primary key), by region, person and date (the
        # indexes below), never by the record's other columns: their indexes would only slow every save.
        fields = super().copy_fields(model)
        for name, copied in fields.items():
            if name != model._meta.pk.name:
                copied.db_index = False
        return fields

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [
            *options.get("indexes", ()),
            # The audit page's order, newest first, in each scope it reads: a county's rows (`audit_region =
            # code`, read in this order from the index), a city's (`audit_region LIKE 'prefix%'`, which only a
            # pattern index serves under the C.UTF-8 collation: ARCHITECTURE.md, STACK.md), one person's, and
            # the whole province's. PostgreSQL merges the tables' ordered scans and stops after a page.
            models.Index(
                fields=["audit_region", "-history_date", "-history_id"],
                opclasses=["varchar_pattern_ops", "", ""],
                name=_index_name(model, "in_region"),
            ),
            models.Index(fields=["history_user", "-history_date", "-history_id"], name=_index_name(model, "by_user")),
            models.Index(fields=["-history_date", "-history_id"], name=_index_name(model, "newest")),
        ]
        return options

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields) and not _password_changing(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_change_reason_for_object(self, instance, history_type, using):
        if _password_changing(instance):
            return PASSWORD_CHANGED
        return super().get_change_reason_for_object(instance, history_type, using)


def write_baselines(apps, app_label, model_name, *, region, m2m=None):
    """For a data migration: the state of each existing record of a model just audited, as a history row
    marked BASELINE, so that its first recorded change shows the values it replaced. `region(record)` gives
    the row's region code; `m2m=(field name, through's own column, target column)` copies one many-to-many
    field (an official's roles). Records are read and written in batches."""
    model = apps.get_model(app_label, model_name)
    history = apps.get_model(app_label, f"Historical{model_name}")
    own = {field.attname for field in model._meta.concrete_fields}
    copied = [field.attname for field in history._meta.concrete_fields if field.attname in own]
    moment = timezone.now()
    batch = []

    def flush():
        rows = history.objects.bulk_create(batch)
        if m2m:
            name, own_column, target = m2m
            links = apps.get_model(app_label, f"Historical{model_name}_{name}")
            through = getattr(model, name).through
            targets = defaultdict(list)
            for owner_id, target_id in through.objects.filter(**{f"{own_column}__in": [row.id for row in rows]}).values_list(
                own_column, target
            ):
                targets[owner_id].append(target_id)
            links.objects.bulk_create(
                links(**{"history_id": row.history_id, own_column: row.id, target: target_id})
                for row in rows
                for target_id in targets[row.id]
            )
        batch.clear()

    for record in model._base_manager.order_by("pk").iterator(chunk_size=1000):
        values = {name: getattr(record, name) for name in copied}
        batch.append(
            history(
                **values,
                history_date=moment,
                history_type="~",
                history_change_reason=BASELINE,
                audit_region=region(record) or "",
            )
        )
        if len(batch) >= 1000:
            flush()
    if batch:
        flush()


def _password_changing(instance):
    # Django's set_password keeps the new raw password in `_password` until the save that stores its hash
    # ends (to tell the password validators); only whether it is set is read here.
    return getattr(instance, "_password", None) is not None
