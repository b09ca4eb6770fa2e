from django.urls import path, re_path

from . import views

# A period's label (2026, 2026H1) and a region's six-digit code, as in the dashboards' URLs.
PERIOD = r"(?P<period>[0-9]{4}(?:H[12])?)"
REGION = r"(?P<region>[0-9]{6})"

urlpatterns = [
    path("", views.approval_index, name="approval_index"),
    re_path(rf"^{PERIOD}/close/$", views.approval_close, name="approval_close"),
    re_path(rf"^{PERIOD}/reopen/$", views.approval_reopen_period, name="approval_reopen_period"),
    re_path(rf"^{PERIOD}/{REGION}/$", views.approval_detail, name="approval_detail"),
    re_path(rf"^{PERIOD}/{REGION}/(?P<action>confirm|accept|reopen)/$", views.approval_act, name="approval_act"),
]
