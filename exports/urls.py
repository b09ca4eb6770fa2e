from django.urls import path

from . import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("<int:pk>/", views.export_job, name="job"),
    path("<int:pk>/progress/", views.export_job_progress, name="job_progress"),
    path("<int:pk>/download/", views.download_export, name="download"),
]
