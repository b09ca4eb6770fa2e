"""The audit trail page for administrators: who changed what, when and from where, in their region and below."""

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.listing import paginate
from exports.views import export_response

from .forms import read_filters
from .selectors import audit_rows, entries


@require_safe
@permission_required("accounts.view_audit_trail", raise_exception=True)
def audit_trail(request):
    form, criteria = read_filters(request.user, request.GET)
    page = paginate(request, audit_rows(request.user, criteria))
    context = {"filter": {"form": form}, "page": page, "entries": entries(page, request.user), "query": request.GET.urlencode()}
    return render(request, "portal/audit/trail.html", context)


@require_safe
@permission_required("accounts.view_audit_trail", raise_exception=True)
def audit_export(request):
    """The filtered trail as .xlsx: at once when small, else written in the background (exports.py)."""
    return export_response(request, "audit_trail")
