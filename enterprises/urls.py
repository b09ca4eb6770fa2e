from django.urls import path

from . import views
from .io import views as io_views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("mine/", views.my_enterprises, name="mine"),
    path("roster/", views.roster, name="roster"),
    path("roster/export/", views.roster_export, name="roster_export"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("autocomplete/", views.enterprise_autocomplete, name="autocomplete"),
    path("export/", io_views.export_enterprises, name="export"),
    path("import/", io_views.import_upload, name="import"),
    path("import/template/<str:kind>/", io_views.import_template, name="import_template"),
    path("import/jobs/<int:pk>/", io_views.import_job, name="import_job"),
    path("import/<str:token>/", io_views.import_preview, name="import_preview"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_update, name="update"),
    path("<int:pk>/delete/", views.enterprise_delete, name="delete"),
    path("<int:pk>/liaisons/new/", views.assignment_create, name="assignment_create"),
    path("liaisons/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("liaisons/<int:pk>/replace/", views.assignment_replace, name="assignment_replace"),
]
