import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionScopedFilterSet

from .models import Case, CaseStatus, Quality


class CaseFilter(RegionScopedFilterSet):
    """The staff list's filters: status, quality and region (inside the user's fence)."""

    q = django_filters.CharFilter(label=_("Headline, enterprise or entrepreneur"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices, empty_label=_("All"))
    quality = django_filters.ChoiceFilter(
        label=_("Quality"), choices=Quality.choices, method="by_quality", empty_label=_("All qualities")
    )

    class Meta:
        model = Case
        fields = ["q", "status", "quality", "region"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(enterprise__name__icontains=value) | Q(entrepreneur_name__icontains=value)
        )

    def by_quality(self, queryset, name, value):
        return queryset.with_quality(value) if value else queryset
