"""URLs of the visit plan (cadence, due visits, calendar): appended to the `visits` namespace by visits/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("due/", views.due, name="due"),
    path("plan/", views.plan, name="plan"),
    path("calendar/", views.visit_calendar, name="calendar"),
]
