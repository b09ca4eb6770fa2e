from django.urls import path, re_path

from . import views

# A period's label (2026, 2026H1) and a region's six-digit code: patterns that never catch the other
# packages' prefixes (schemes/, approval/, …) included after these.
PERIOD = r"(?P<period>[0-9]{4}(?:H[12])?)"
REGION = r"(?P<region>[0-9]{6})"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(rf"^{PERIOD}/$", views.dashboard, name="dashboard_period"),
    re_path(rf"^{PERIOD}/refresh/$", views.refresh, name="refresh"),
    re_path(rf"^{PERIOD}/refresh/progress/$", views.refresh_progress, name="refresh_progress"),
    re_path(rf"^{PERIOD}/{REGION}/$", views.dashboard, name="dashboard_region"),
    re_path(
        rf"^{PERIOD}/{REGION}/(?P<indicator>[a-z_]+)/(?P<part>numerator|denominator)/$",
        views.figure_records,
        name="figure_records",
    ),
]
