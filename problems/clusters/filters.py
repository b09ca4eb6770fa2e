"""The filters of the common problems' page: the enterprises' county and the problem's category."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.access import scope_prefix
from accounts.forms import RegionChoiceField
from accounts.models import Region, RegionLevel

from ..models import Category, Problem


class CountyFilter(django_filters.ModelChoiceFilter):
    field_class = RegionChoiceField


class CommonProblemFilter(django_filters.FilterSet):
    """The counties the reader may see (by code) and the active categories (by key). A value that is none of
    them, as from an edited address, is refused beside its field, and the page lists nothing."""

    region = CountyFilter(label=_("Region"), queryset=Region.objects.none(), empty_label=_("All regions"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True),
        to_field_name="key",
        empty_label=_("All categories"),
    )

    class Meta:
        model = Problem
        fields = ["region", "category"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(code__startswith=scope_prefix(actor) or "", level=RegionLevel.COUNTY)
        self.filters["region"].queryset = counties.select_related("parent")
