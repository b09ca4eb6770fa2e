"""The scheme pages: the schemes of each period a user may read, one scheme with its indicators, the form
that sets them, and the copy of a scheme into an open period.

Views stay thin: forms parse, assessment.services decides; a refusal is a message (and a redirect, or the
form again with nothing saved).
"""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Region
from core.forms import add_service_errors, refusal_text

from .. import access, services
from ..indicators import BY_CODE
from ..lifecycle import SCHEME, Action, scheme_offers
from .forms import SchemeCopyForm, SchemeCreateForm, SchemeItemFormSet, SchemeNameForm, initial_items, items_of
from .selectors import readable_schemes

READ_PERMISSION = "assessment.view_scheme"


@require_safe
@permission_required(READ_PERMISSION, raise_exception=True)
def scheme_list(request):
    schemes = readable_schemes(request.user).annotate(indicators=Count("items"), weights=Sum("items__weight"))
    schemes = schemes.order_by("-period__start", "period__label", "owner_id", "assessed_level")
    periods = [(period, list(rows)) for period, rows in groupby(schemes, key=lambda scheme: scheme.period)]
    context = {"periods": periods, "can_create": access.sets_schemes(request.user)}
    return render(request, "assessment/schemes/scheme_list.html", context)


def _own_region(request):
    return Region.objects.filter(code=request.user.region_id).first() if request.user.region_id else None


@permission_required(access.MANAGE_SCHEMES_PERMISSION, raise_exception=True)
def scheme_create(request):
    owner = _own_region(request)
    if owner is None or not access.may_set_schemes_of(request.user, owner):
        messages.error(request, _("Only the administrators of the province or of a city set assessment schemes."))
        return redirect("assessment:scheme_list")
    form = SchemeCreateForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.create_scheme(actor=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scheme created: list its indicators with their weights and targets."))
            return redirect("assessment:scheme_update", pk=scheme.pk)
    return render(request, "assessment/schemes/scheme_create.html", {"form": form, "owner": owner})


def _scheme_for(request, pk):
    return get_object_or_404(readable_schemes(request.user), pk=pk)


def _rows(scheme):
    return [(item, BY_CODE.get(item.indicator)) for item in scheme.items.all()]


@require_safe
@permission_required(READ_PERMISSION, raise_exception=True)
def scheme_detail(request, pk):
    scheme = _scheme_for(request, pk)
    rows = _rows(scheme)
    context = {
        "scheme": scheme,
        "rows": rows,
        "total_weight": sum(item.weight for item, _indicator in rows),
        "actions": scheme_offers(request.user, scheme),
        "copied_from": scheme.copied_from if scheme.copied_from_id and _readable(request, scheme.copied_from_id) else None,
    }
    return render(request, "assessment/schemes/scheme_detail.html", context)


def _readable(request, pk):
    return readable_schemes(request.user).filter(pk=pk).exists()


@permission_required(access.MANAGE_SCHEMES_PERMISSION, raise_exception=True)
def scheme_update(request, pk):
    scheme = _scheme_for(request, pk)
    try:
        SCHEME.check(scheme, Action.EDIT, request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    form = SchemeNameForm(request.POST or None, initial={"name": scheme.name})
    items = SchemeItemFormSet(request.POST or None, initial=None if request.POST else initial_items(scheme), prefix="items")
    if request.method == "POST" and form.is_valid() and items.is_valid():
        try:
            services.set_scheme_items(actor=request.user, scheme=scheme, items=items_of(items), name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scheme saved. Scores follow it at the next refresh of the figures."))
            if request.POST.get("action") == "add":
                return redirect("assessment:scheme_update", pk=scheme.pk)
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/schemes/scheme_form.html", {"scheme": scheme, "form": form, "items": items})


@permission_required(access.MANAGE_SCHEMES_PERMISSION, raise_exception=True)
def scheme_copy(request, pk):
    scheme = _scheme_for(request, pk)
    if not access.sets_schemes(request.user):
        messages.error(request, _("Only the administrators of the province or of a city set assessment schemes."))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    form = SchemeCopyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_scheme(actor=request.user, scheme=scheme, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Scheme copied to %(period)s: change it there.") % {"period": copy.period.label})
            return redirect("assessment:scheme_update", pk=copy.pk)
    return render(request, "assessment/schemes/scheme_copy.html", {"scheme": scheme, "form": form})
