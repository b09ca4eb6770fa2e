"""The page of problems shared by several enterprises; problems/urls.py appends it to the `problems` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("common/", views.common, name="common"),
]
