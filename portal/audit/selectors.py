"""The audit trail's reads: who changed what, when and from which address, across every audited history table.

Each audited model (`core.history.AuditedHistory`) keeps its own history table. The page reads them as one
list: a UNION ALL of each table's (date, id, kind) under the reader's fence and filters, newest first,
paginated by `core.listing.BoundedPaginator` (the count stops at 10,000). Then only the page's rows are
read in full (`entries`), in a few queries per kind of record on the page and per kind of record their
foreign keys name, never a query per row: the rows with who made them, the version before each, their
many-to-many values (an official's roles), the names their foreign keys point to, and which of the records
the reader may open.

The fence: a history row belongs to the region in its `audit_region` column, written with the row (the
record's region after the change; the province for the province-wide settings: calendar days, time limits,
cadences, assessment periods), and is read by the administrators of that region and of the regions above
it. A county's administrator reads the changes to the county's officials, departments, enterprises,
visits, forums, reviews and cases; a city's also those of the city's own policies and schemes; the
province-wide settings only the province's administrators.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.db import connections, models
from django.db.models import OuterRef, Q, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import get_visible_or_404, region_code_prefix, scope_prefix
from accounts.models import Region
from accounts.roles import Role
from core.history import BASELINE, PASSWORD_CHANGED, AuditedChange
from core.listing import BoundedPaginator

NEWEST_FIRST = ("-history_date", "-history_id")

# Never shown, whatever a history table holds: the history of officials leaves the password out altogether
# (accounts.models.User.history), this is the second lock.
HIDDEN_FIELDS = frozenset({"password"})

ACTIONS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}

# The page of each kind of record: (URL name, the model whose page it is, the row's column with its key).
# A record without a page of its own (a cadence, a calendar day) is named without a link.
RECORD_PAGES = {
    "accounts.user": ("accounts:official_update", "accounts.user", "id"),
    "accounts.department": ("accounts:department_update", "accounts.department", "id"),
    "enterprises.enterprise": ("enterprises:detail", "enterprises.enterprise", "id"),
    "enterprises.liaisonassignment": ("enterprises:detail", "enterprises.enterprise", "enterprise_id"),
    "visits.visit": ("visits:detail", "visits.visit", "id"),
    "visits.policy": ("visits:policy_detail", "visits.policy", "id"),
    "forums.forum": ("forums:detail", "forums.forum", "id"),
    "forums.opinion": ("forums:detail", "forums.forum", "forum_id"),
    "reviews.review": ("reviews:detail", "reviews.review", "id"),
    "reviews.practice": ("reviews:detail", "reviews.review", "review_id"),
    "cases.case": ("cases:detail", "cases.case", "id"),
    "assessment.scheme": ("assessment:scheme_detail", "assessment.scheme", "id"),
    "assessment.schemeitem": ("assessment:scheme_detail", "assessment.scheme", "scheme_id"),
}

# What the name of a record named by a foreign key reads besides its own row (its __str__).
NAME_JOINS = {"reviews.review": ["region"], "problems.problem": ["enterprise"]}


@cache
def _history_models():
    """{model: its history model} of the audited models, in the order of INSTALLED_APPS. Read once: simple_history
    builds a new manager class at each access of `Model.history`."""
    found = {}
    for model in apps.get_models():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_name and issubclass(getattr(model, manager_name).model, AuditedChange):
            found[model] = getattr(model, manager_name).model
    return found


def _history_model(model):
    return _history_models()[model]


def audited_models():
    """Every model whose changes are on the audit trail, in the order of INSTALLED_APPS."""
    return list(_history_models())


def record_kinds():
    """(key, name) of each kind of audited record, for the filter's choices."""
    return [(model._meta.label_lower, model._meta.verbose_name) for model in audited_models()]


@dataclass
class Criteria:
    region: Region | None = None
    person: object = None
    kind: str = ""
    since: date | None = None
    until: date | None = None


def visible_region(user, code):
    """The region of `code` if the reader may see it: one outside their region is a 404, as a missing one."""
    return get_visible_or_404(Region.objects.select_related("parent"), user, code=code)


def _within(prefix):
    """The condition: rows of the regions under `prefix`. A county's code is its whole prefix: an equality, which
    the (audit_region, -history_date, -history_id) index answers in the page's order. The province's prefix
    holds every row, so it adds no condition (the newest-first index then answers alone)."""
    if len(prefix) <= 2:
        return Q()
    if len(prefix) == 6:
        return Q(audit_region=prefix)
    return Q(audit_region__startswith=prefix)


def audit_rows(user, criteria, *, bounded=True):
    """The history rows `user` may read under `criteria`, newest first, as (date, history id, kind) tuples: a
    queryset (a UNION ALL of the history tables) to paginate, its rows read in full by `entries`. Without
    criteria (a filter that is not valid), none.

    `bounded`: for a page, each table gives at most the rows a bounded page can reach (the paginator's count
    limit), each in the page's order. PostgreSQL cannot take a filtered table's order through a plain UNION
    ALL and sorted every row of the scope (0.4 s for the province's 1.2 million rows); given each table's own
    ORDER BY and LIMIT it merges their index scans and reads a page's worth (under a millisecond). An export
    reads every row (`bounded=False`)."""
    if criteria is None:
        return audit_rows(user, Criteria(), bounded=bounded).none()
    prefix = scope_prefix(user)
    kinds = [model for model in audited_models() if model._meta.label_lower == criteria.kind] or audited_models()
    # A record's state when the trail began is what its first change is shown against, not a change.
    conditions = ~Q(history_change_reason=BASELINE)
    for within in (prefix or "", region_code_prefix(criteria.region.code) if criteria.region else ""):
        conditions &= _within(within)
    if criteria.person is not None:
        conditions &= Q(history_user=criteria.person)
    if criteria.since:
        conditions &= Q(history_date__gte=_day_start(criteria.since))
    if criteria.until:
        conditions &= Q(history_date__lt=_day_start(criteria.until + timedelta(days=1)))
    selects = []
    for model in kinds:
        rows = _history_model(model).objects.filter(conditions).order_by()
        if prefix is None:
            rows = rows.none()
        kind = Value(model._meta.label_lower, output_field=models.CharField())
        selects.append(rows.values_list("history_date", "history_id", kind))
    first, *rest = selects
    if not rest:
        return first.order_by(*NEWEST_FIRST)
    if bounded and connections[first.db].features.supports_slicing_ordering_in_compound:
        reach = BoundedPaginator.count_limit + 1
        first, *rest = [select.order_by(*NEWEST_FIRST)[:reach] for select in selects]
    return first.union(*rest, all=True).order_by(*NEWEST_FIRST)


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


# Reading a page of rows in full


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: datetime
    who: object
    address: str
    kind: str
    record: str
    url: str
    action: str
    changes: list = field(default_factory=list)
    note: str = ""


def entries(keys, user):
    """The rows named by `keys` ((date, history id, kind) tuples of `audit_rows`) as `Entry`s, in that order."""
    keys = list(keys)
    by_kind = defaultdict(list)
    for _when, history_id, kind in keys:
        by_kind[kind].append(history_id)
    models_by_key = {model._meta.label_lower: model for model in audited_models()}
    loaded = {}
    names = _Names()
    links = {}
    for kind, ids in by_kind.items():
        model = models_by_key[kind]
        version = _Versions(model, ids)
        loaded[kind] = version
        names.collect(version)
        links[kind] = _visible_pages(kind, version.rows.values(), user)
    names.load()
    found = []
    for _when, history_id, kind in keys:
        version = loaded[kind]
        row = version.rows.get(history_id)
        if row is not None:
            found.append(_entry(version, row, names, links[kind]))
    return found


class _Versions:
    """The page's rows of one history table, each with the version before it and its many-to-many values:
    three queries, or four with a many-to-many (an official's roles, an enterprise's tags)."""

    def __init__(self, model, ids):
        self.model = model
        self.history = _history_model(model)
        self.pk_name = model._meta.pk.attname
        self.fields = [
            model._meta.get_field(tracked.name) for tracked in self.history.tracked_fields if tracked.name not in HIDDEN_FIELDS
        ]
        self.m2m_fields = list(getattr(self.history, "_history_m2m_fields", []))
        rows = self.history.objects.filter(history_id__in=ids).select_related("history_user")
        self.rows = {row.history_id: row for row in rows.annotate(previous_id=self._previous())}
        self.previous = self.history.objects.in_bulk([row.previous_id for row in self.rows.values() if row.previous_id])
        self.m2m = self._m2m_values([*self.rows, *self.previous])

    def _previous(self):
        same_record = self.history.objects.filter(**{self.pk_name: OuterRef(self.pk_name)})
        earlier = same_record.filter(
            Q(history_date__lt=OuterRef("history_date"))
            | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
        )
        return Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])

    def _m2m_values(self, history_ids):
        values = defaultdict(set)
        for m2m_field in self.m2m_fields:
            # simple_history copies the through table's rows (`user`, `group`) beside the version they belong to.
            rows = getattr(self.history, m2m_field.name).model.objects.filter(history_id__in=history_ids)
            target = rows.model._meta.get_field(m2m_field.m2m_reverse_field_name()).attname
            for history_id, target_id in rows.values_list("history_id", target):
                values[(m2m_field.name, history_id)].add(target_id)
        return values

    def before(self, row):
        return self.previous.get(row.previous_id) if row.previous_id else None

    def m2m_of(self, m2m_field, row):
        return self.m2m.get((m2m_field.name, row.history_id), set())


class _Names:
    """The names of the records the page's foreign keys and many-to-many values point to, one query per
    kind of record named."""

    def __init__(self):
        self.wanted = defaultdict(set)
        self.found = {}

    def collect(self, version):
        for row in [*version.rows.values(), *version.previous.values()]:
            for model_field in version.fields:
                value = getattr(row, model_field.attname)
                if model_field.many_to_one and value is not None:
                    self.wanted[model_field.related_model].add(value)
            for m2m_field in version.m2m_fields:
                self.wanted[m2m_field.related_model].update(version.m2m_of(m2m_field, row))

    def load(self):
        for model, keys in self.wanted.items():
            records = model._base_manager.select_related(*NAME_JOINS.get(model._meta.label_lower, []))
            for record in records.filter(pk__in=keys):
                self.found[(model, record.pk)] = record

    def record(self, model, key):
        return self.found.get((model, key))

    def name(self, model, key):
        record = self.record(model, key)
        if record is None:
            return f"#{key}"
        if model._meta.label_lower == "auth.group" and record.name in Role.values:
            return str(Role(record.name).label)
        return str(record)


def _visible_pages(kind, rows, user):
    """{key: URL} of the pages of the page's records of `kind` that exist and `user` may open."""
    if kind not in RECORD_PAGES:
        return {}
    url_name, target, column = RECORD_PAGES[kind]
    keys = {getattr(row, column) for row in rows} - {None}
    if not keys:
        return {}
    visible = apps.get_model(target)._default_manager.visible_to(user).filter(pk__in=keys)
    return {key: reverse(url_name, args=[key]) for key in visible.values_list("pk", flat=True)}


def _entry(version, row, names, pages):
    before = version.before(row)
    kind = version.model._meta.label_lower
    entry = Entry(
        when=row.history_date,
        who=row.history_user,
        address=row.ip_address or "",
        kind=str(version.model._meta.verbose_name),
        record=_record_name(version, row, names),
        url=pages.get(getattr(row, RECORD_PAGES[kind][2]), "") if kind in RECORD_PAGES else "",
        action=str(ACTIONS.get(row.history_type, row.history_type)),
    )
    if row.history_type == "-":
        return entry
    if row.history_type == "+":
        entry.changes = _initial_values(version, row, names)
        return entry
    if before is None:
        entry.note = _("Earlier values were not recorded.")
        return entry
    entry.changes = _differences(version, before, row, names)
    if row.history_change_reason == PASSWORD_CHANGED:
        entry.note = _("The password was changed (never shown).")
    elif not entry.changes:
        entry.note = _("Saved without a change to the recorded fields.")
    return entry


def _record_name(version, row, names):
    """The record's name as it read after this change: its own __str__, its foreign keys taken from the
    names already loaded rather than asked one by one."""
    record = version.model(**{model_field.attname: getattr(row, model_field.attname) for model_field in version.fields})
    setattr(record, version.pk_name, getattr(row, version.pk_name))
    for model_field in version.fields:
        if model_field.many_to_one:
            key = getattr(row, model_field.attname)
            model_field.set_cached_value(record, names.record(model_field.related_model, key) if key is not None else None)
    try:
        return str(record)
    except (AttributeError, TypeError, ValueError):
        return f"{version.model._meta.verbose_name} #{getattr(row, version.pk_name)}"


def _skipped_at_creation(model_field):
    return model_field.primary_key or getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)


def _initial_values(version, row, names):
    changes = []
    for model_field in version.fields:
        value = getattr(row, model_field.attname)
        if _skipped_at_creation(model_field) or value in (None, "", False):
            continue
        changes.append(Change(str(model_field.verbose_name), "—", shown(model_field, value, names)))
    for m2m_field in version.m2m_fields:
        keys = version.m2m_of(m2m_field, row)
        if keys:
            changes.append(Change(str(m2m_field.verbose_name), "—", _shown_many(m2m_field, keys, names)))
    return changes


def _differences(version, before, row, names):
    changes = []
    for model_field in version.fields:
        old, new = getattr(before, model_field.attname), getattr(row, model_field.attname)
        if old != new:
            changes.append(Change(str(model_field.verbose_name), shown(model_field, old, names), shown(model_field, new, names)))
    for m2m_field in version.m2m_fields:
        old, new = version.m2m_of(m2m_field, before), version.m2m_of(m2m_field, row)
        if old != new:
            changes.append(
                Change(str(m2m_field.verbose_name), _shown_many(m2m_field, old, names), _shown_many(m2m_field, new, names))
            )
    return changes


def shown(model_field, value, names):
    """A value as the reader reads it: choice labels, names for foreign keys, local times, 是/否."""
    if value is None or value == "":
        return "—"
    if model_field.many_to_one:
        return names.name(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def _shown_many(m2m_field, keys, names):
    if not keys:
        return "—"
    return "、".join(sorted(names.name(m2m_field.related_model, key) for key in keys))
