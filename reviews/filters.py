"""Filters of the review list (fenced to the user's regions) and of the practice library (province-wide)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filters import RegionFilter, RegionScopedFilterSet
from accounts.models import Region

from .models import Practice, PracticeTopic, Review, ReviewCadence, ReviewStatus


def period_choices(queryset, field):
    """The periods that occur in `queryset`, latest first: one query."""
    labels = queryset.order_by().values_list(field, flat=True).distinct()
    return [(label, label) for label in sorted(labels, reverse=True)]


class ReviewFilter(RegionScopedFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReviewStatus.choices, empty_label=_("All"))
    cadence = django_filters.ModelChoiceFilter(label=_("Kind"), queryset=ReviewCadence.objects.all(), empty_label=_("All kinds"))
    period = django_filters.ChoiceFilter(label=_("Period"), field_name="period_label", empty_label=_("All periods"))
    scope = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[("awaiting", _("Awaiting my region's acknowledgement")), ("own", _("My region's reviews"))],
        method="by_scope",
        empty_label=_("All visible reviews"),
    )

    class Meta:
        model = Review
        fields = ["region", "status", "cadence", "period", "scope"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.filters["period"].extra["choices"] = period_choices(Review.objects.visible_to(actor), "period_label")

    def by_scope(self, queryset, name, value):
        if value == "awaiting":
            return queryset.awaiting(self.actor)
        if value == "own":
            return queryset.filter(region_id=self.actor.region_id)
        return queryset


class PracticeFilter(django_filters.FilterSet):
    """The library's filters. Every region may be chosen: the library is deliberately province-wide."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    region = RegionFilter()
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=PracticeTopic.choices, empty_label=_("All topics"))
    period = django_filters.ChoiceFilter(label=_("Period"), field_name="review__period_label", empty_label=_("All periods"))
    recommended = django_filters.ChoiceFilter(
        label=_("Recommended"),
        choices=[("yes", _("Recommended only"))],
        method="by_recommended",
        empty_label=_("All practices"),
    )

    class Meta:
        model = Practice
        fields = ["q", "region", "topic", "period", "recommended"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = Region.objects.select_related("parent")
        self.filters["period"].extra["choices"] = period_choices(Practice.objects.in_library(), "review__period_label")

    def search(self, queryset, name, value):
        return queryset.search(value.strip()) if value.strip() else queryset

    def by_recommended(self, queryset, name, value):
        return queryset.filter(recommendations__isnull=False).distinct() if value == "yes" else queryset
