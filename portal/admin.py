"""The admin site's own words: the portal's name instead of Django's (its pages are the province's)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Liaison administration")
admin.site.site_title = _("Liaison administration")
admin.site.index_title = _("Reference data and records")
