"""The audit trail as an .xlsx ledger (exports.kinds), with the page's filters and fence: an official document in
Chinese whatever language the reader's pages are in, as the other ledgers."""

from itertools import islice

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from exports.kinds import Export, region_subject

from .forms import read_filters
from .selectors import audit_rows, entries

HEADERS = ["序号", "时间", "操作人", "来源地址", "记录类型", "记录", "操作", "变更内容"]


class AuditLedger:
    """The trail's rows for an export, as the export machinery reads a queryset (count, slice, iterator): the
    keys come from `audit_rows` in chunks, and each chunk is read in full by `entries` in a bounded number of
    queries, never one per row."""

    def __init__(self, rows, user):
        self.rows, self.user = rows, user

    def order_by(self, *fields):
        return AuditLedger(self.rows.order_by(*fields), self.user)

    def __getitem__(self, key):
        return AuditLedger(self.rows[key], self.user)

    def count(self):
        return self.rows.count()

    def iterator(self, chunk_size=2000):
        keys = self.rows.iterator(chunk_size=chunk_size)
        while chunk := list(islice(keys, chunk_size)):
            yield from entries(chunk, self.user)


def export_trail(user, params):
    """The rows the page shows for `params`; a region outside the reader's is a 404 (nothing is made), and
    a filter that is not valid selects nothing."""
    _form, criteria = read_filters(user, params)
    return AuditLedger(audit_rows(user, criteria, bounded=False), user)


def trail_row(entry, number):
    changes = [f"{change.field}：{change.old} → {change.new}" for change in entry.changes]
    if entry.note:
        changes.append(entry.note)
    return [
        number,
        entry.when,
        entry.who.display_name if entry.who else "",
        entry.address,
        entry.kind,
        entry.record,
        entry.action,
        "\n".join(changes),
    ]


def trail_subject(user, params):
    _form, criteria = read_filters(user, params)
    return region_subject(user, criteria.region if criteria else None)


EXPORTS = [
    Export(
        kind="audit_trail",
        title=_("Audit trail"),
        permission="accounts.view_audit_trail",
        records=export_trail,
        headers=HEADERS,
        row=trail_row,
        file_stem="操作记录",
        sheet_title="操作记录",
        url_name="audit:export",
        list_url_name="audit:trail",
        language=settings.LANGUAGE_CODE,
        subject=trail_subject,
    ),
]
