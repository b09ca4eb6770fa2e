"""What can be exported: each app declares its exports, and this module finds them.

An app lists them as `EXPORTS = [Export(...), ...]` in its `exports.py`, found through
`core.registry.contributions`, so the machinery here never imports an app above it. An export says who may
ask for it (`permission`), which records it holds for a user and a query string (`records`: fenced by
`visible_to(user)`, filtered as the list page filters, ordered, with what a row reads loaded in a fixed
number of queries per chunk), its header row and one function writing a row, and whose ledger it is
(`subject`: the region, department or cadre the title row names). `core.workbooks` writes every one.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext as _

from core.registry import contributions


@dataclass(frozen=True)
class Export:
    kind: str
    title: str
    # The permission the export's URL requires; the worker checks it again before writing.
    permission: str
    # (user, QueryDict) -> the queryset of records, fenced and filtered. May raise Http404 where the list page does.
    records: Callable
    # The header row, or a function returning it.
    headers: Sequence[str] | Callable[[], Sequence[str]]
    # (record, number) -> the row's values, in the order of the headers; `number` counts from 1.
    row: Callable
    # The file is named `<file_stem>-<YYYYMMDD>.xlsx`.
    file_stem: str
    sheet_title: str
    # The export's own URL and the list page it comes from (URL names), for the links of the job's page.
    url_name: str
    list_url_name: str
    # Headers shown in red: the columns an import requires.
    required_headers: frozenset = field(default_factory=frozenset)
    # An official document is written in this language whatever the reader's; empty: the reader's language.
    language: str = ""
    # (user, QueryDict) -> whose ledger it is, named in the title row (the region the filters chose, a
    # department, a cadre). By default the reader's own region.
    subject: Callable | None = None
    # False for a list an import reads back, whose header must stay the first row: the title is then only
    # printed at the top of each page.
    heading_row: bool = True

    def header_row(self):
        return list(self.headers() if callable(self.headers) else self.headers)

    def file_name(self, today=None):
        return f"{self.file_stem}-{today or timezone.localdate():%Y%m%d}.xlsx"

    def whose(self, user, params):
        """Whose ledger the export of `user` with the filters `params` is: a name for its title row."""
        return self.subject(user, params) if self.subject is not None else region_subject(user)


def region_subject(user, region=None):
    """The name of the region a ledger covers: the region its filters chose, else the reader's own."""
    region = region or getattr(user, "region", None)
    return region.full_name if region is not None else _("All regions")


def filtered_region(filterset):
    """The region a list's filter set chose (a `region` filter), or None when none was chosen or valid."""
    return filterset.form.cleaned_data.get("region") if filterset.is_valid() else None


def all_exports():
    """Every declared export by kind, in the order of INSTALLED_APPS."""
    found = {}
    for exports in contributions("exports", "EXPORTS"):
        for export in exports:
            if export.kind in found:
                raise ImproperlyConfigured(f"Two exports are named {export.kind!r}")
            found[export.kind] = export
    return found


def find_export(kind):
    """The export named `kind`, or None."""
    return all_exports().get(kind)
