"""URLs of the visit plan (cadence, due visits, calendar): appended to the `visits` namespace by visits/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("due/", views.due, name="due"),
    path("due/export/", views.due_export, name="due_export"),
    path("plan/", views.plan, name="plan"),
    path("plan/export/", views.plan_export, name="plan_export"),
    path("calendar/", views.visit_calendar, name="calendar"),
]
