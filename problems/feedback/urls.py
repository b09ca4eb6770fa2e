"""The enterprise's feedback page; problems/urls.py appends it to the `problems` namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("feedback/<str:token>/", views.feedback, name="feedback"),
]
