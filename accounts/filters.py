"""List filters. Every value comes from a GET parameter (`q`, `region`, ...), so a filtered list can be
bookmarked and shared; choice lists hold only what the user may see."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import RegionChoiceField, regions_for_choice
from .models import Department, Region, User
from .roles import Role


class RegionFilter(django_filters.ModelChoiceFilter):
    """A region and everything below it; the choices are set to the user's regions by the filterset."""

    field_class = RegionChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault("empty_label", _("All regions"))
        super().__init__(*args, queryset=Region.objects.none(), **kwargs)

    def filter(self, queryset, region):
        return queryset.in_region(region) if region else queryset


class ActiveStatusFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        choices = [("active", _("Active")), ("inactive", _("Deactivated"))]
        super().__init__(*args, label=_("Status"), choices=choices, empty_label=_("All"), **kwargs)

    def filter(self, queryset, value):
        return queryset.filter(is_active=value == "active") if value else queryset


class RegionScopedFilterSet(django_filters.FilterSet):
    """Base of the filters of region-bound lists: narrows choices to the acting user's regions."""

    region = RegionFilter()

    def __init__(self, *args, actor, **kwargs):
        self.actor = actor
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = regions_for_choice(actor)


class OfficialFilter(RegionScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, field_name="groups__name", empty_label=_("All roles")
    )
    is_active = ActiveStatusFilter()

    class Meta:
        model = User
        fields = ["q", "region", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | Q(mobile__startswith=value))


class DepartmentFilter(RegionScopedFilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    is_active = ActiveStatusFilter()

    class Meta:
        model = Department
        fields = ["q", "region", "is_active"]
