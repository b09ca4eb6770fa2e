from django.urls import path, re_path

from . import views

# A period's label (2026, 2026H1) and a region's six-digit code, as in the dashboards' URLs.
PERIOD = r"(?P<period>[0-9]{4}(?:H[12])?)"
REGION = r"(?P<region>[0-9]{6})"

urlpatterns = [
    path("", views.bulletin_list, name="bulletin_list"),
    path("<int:pk>/", views.bulletin_detail, name="bulletin_detail"),
    path("<int:pk>/table.xlsx", views.bulletin_workbook, name="bulletin_workbook"),
    path("<int:pk>/report.docx", views.bulletin_report, name="bulletin_report"),
    re_path(rf"^table/{PERIOD}\.xlsx$", views.table_export, name="table_export"),
    re_path(rf"^report/{PERIOD}/{REGION}/$", views.region_report, name="region_report"),
]
