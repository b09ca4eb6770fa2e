"""A filter for Django's admin changelists of region-bound records: a region and the regions below it.

The admin's own `RelatedFieldListFilter` on `region` matches one region exactly, so a city would show only
the records filed at the city itself. This one matches by code prefix, as the portal's fence and its
`in_region` filter do, served by the same `varchar_pattern_ops` index.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Region, RegionLevel


class RegionTreeFilter(admin.SimpleListFilter):
    title = _("region (and below)")
    parameter_name = "within"

    def lookups(self, request, model_admin):
        regions = Region.objects.exclude(level=RegionLevel.PROVINCE).select_related("parent").order_by("code")
        return [(region.code, region.full_name) for region in regions]

    def queryset(self, request, queryset):
        code = self.value()
        return queryset.in_region(Region(code=code)) if code else queryset
