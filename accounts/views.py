from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.forms import refusal_text, search_text
from core.listing import filtered_page

from . import services
from .access import get_visible_or_404
from .filters import DepartmentFilter, OfficialFilter
from .forms import DepartmentForm, NewOfficialForm, OfficialForm, StandardDepartmentsForm
from .models import Department, User
from .roles import Role

AUTOCOMPLETE_LIMIT = 20


@require_safe
@permission_required("accounts.view_officials", raise_exception=True)
def official_list(request):
    officials = User.objects.visible_to(request.user).select_related("region__parent", "department")
    officials = officials.prefetch_related("groups")
    official_filter = OfficialFilter(request.GET, queryset=officials, actor=request.user)
    page = filtered_page(request, official_filter)
    return render(request, "accounts/official_list.html", {"filter": official_filter, "page": page})


@permission_required("accounts.manage_officials", raise_exception=True)
def official_create(request):
    form = NewOfficialForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        official = services.create_official(
            username=data["username"],
            password=data["password1"],
            region=data["region"],
            department=data["department"],
            roles=data["roles"],
            full_name=data["full_name"],
            title=data["title"],
            mobile=data["mobile"],
            office_phone=data["office_phone"],
            email=data["email"],
        )
        messages.success(request, _("Account %(name)s created.") % {"name": official.display_name})
        return redirect("accounts:official_list")
    return render(request, "accounts/official_form.html", {"form": form})


@permission_required("accounts.manage_officials", raise_exception=True)
def official_update(request, pk):
    official = get_visible_or_404(User.objects.select_related("region"), request.user, pk=pk)
    form = OfficialForm(request.POST or None, instance=official, actor=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in OfficialForm.Meta.fields}
        services.update_official(official=official, roles=form.cleaned_data["roles"], **fields)
        messages.success(request, _("Account %(name)s saved.") % {"name": official.display_name})
        return redirect("accounts:official_list")
    return render(request, "accounts/official_form.html", {"form": form, "official": official})


@require_POST
@permission_required("accounts.manage_officials", raise_exception=True)
def official_deactivate(request, pk):
    official = get_visible_or_404(User, request.user, pk=pk)
    try:
        services.deactivate_official(official=official, actor=request.user)
    except ValidationError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("Account %(name)s deactivated; its history is kept.") % {"name": official.display_name})
    return redirect("accounts:official_update", pk=official.pk)


@require_POST
@permission_required("accounts.manage_officials", raise_exception=True)
def official_activate(request, pk):
    official = get_visible_or_404(User, request.user, pk=pk)
    services.reactivate_official(official=official)
    messages.success(request, _("Account %(name)s reactivated.") % {"name": official.display_name})
    return redirect("accounts:official_update", pk=official.pk)


@permission_required("accounts.manage_officials", raise_exception=True)
def official_password(request, pk):
    official = get_visible_or_404(User, request.user, pk=pk)
    form = SetPasswordForm(official, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset_password(official=official, password=form.cleaned_data["new_password1"])
        messages.success(request, _("The password of %(name)s has been reset.") % {"name": official.display_name})
        return redirect("accounts:official_update", pk=official.pk)
    return render(request, "accounts/official_password.html", {"form": form, "official": official})


@require_safe
@permission_required("accounts.manage_departments", raise_exception=True)
def department_list(request):
    departments = Department.objects.visible_to(request.user).select_related("region__parent", "merged_into")
    department_filter = DepartmentFilter(request.GET, queryset=departments, actor=request.user)
    page = filtered_page(request, department_filter)
    standard_form = StandardDepartmentsForm(actor=request.user)
    return render(
        request,
        "accounts/department_list.html",
        {"filter": department_filter, "page": page, "standard_form": standard_form},
    )


@permission_required("accounts.manage_departments", raise_exception=True)
def department_create(request):
    form = DepartmentForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        department = services.save_department(department=form.save(commit=False))
        messages.success(request, _("Department %(name)s added.") % {"name": department.name})
        return redirect("accounts:department_list")
    return render(request, "accounts/department_form.html", {"form": form})


@permission_required("accounts.manage_departments", raise_exception=True)
def department_update(request, pk):
    department = get_visible_or_404(Department, request.user, pk=pk)
    form = DepartmentForm(request.POST or None, instance=department, actor=request.user)
    if request.method == "POST" and form.is_valid():
        services.save_department(department=form.save(commit=False))
        messages.success(request, _("Department %(name)s saved.") % {"name": department.name})
        return redirect("accounts:department_list")
    return render(request, "accounts/department_form.html", {"form": form, "department": department})


@require_POST
@permission_required("accounts.manage_departments", raise_exception=True)
def department_add_standard(request):
    form = StandardDepartmentsForm(request.POST, actor=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of your regions."))
        return redirect("accounts:department_list")
    region = form.cleaned_data["region"]
    created = services.ensure_standard_departments(region=region)
    message = ngettext(
        "%(count)d standard department added to %(region)s.",
        "%(count)d standard departments added to %(region)s.",
        len(created),
    )
    messages.success(request, message % {"count": len(created), "region": region.full_name})
    return redirect(f"{reverse('accounts:department_list')}?region={region.code}")


@require_safe
def official_autocomplete(request):
    """Active officials of the user's region matching `q`, for searchable selects (`role` narrows)."""
    officials = User.objects.visible_to(request.user).active().select_related("region")
    if request.GET.get("role") in Role.values:
        officials = officials.with_role(request.GET["role"])
    query = search_text(request.GET)
    if query is None:
        officials = officials.none()
    elif query:
        officials = officials.filter(Q(full_name__icontains=query) | Q(username__icontains=query))
    results = [
        {"value": official.pk, "text": f"{official.display_name}（{official.region.full_name}）"}
        for official in officials.order_by("full_name", "username")[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})


@require_safe
def department_autocomplete(request):
    """Departments of the user's region matching `q`, for searchable selects: a province holds thousands,
    too many to list in a page."""
    departments = Department.objects.visible_to(request.user).select_related("region__parent")
    query = search_text(request.GET)
    if query is None:
        departments = departments.none()
    elif query:
        departments = departments.filter(Q(name__icontains=query) | Q(region__name__icontains=query))
    results = [
        {"value": department.pk, "text": department.name_with_region}
        for department in departments.order_by("region_id", "name", "pk")[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})
