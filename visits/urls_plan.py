"""URLs of the visit plan (cadence, due visits, calendar): appended to the `visits` namespace by visits/urls.py."""

from django.urls import path

from . import views_plan

urlpatterns = [
    path("due/", views_plan.due, name="due"),
    path("plan/", views_plan.plan, name="plan"),
    path("calendar/", views_plan.visit_calendar, name="calendar"),
]
