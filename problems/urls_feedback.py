"""The enterprise's feedback page and the common problems page; problems/urls.py appends these to
the `problems` namespace."""

from django.urls import path

from . import views_common, views_feedback

urlpatterns = [
    path("feedback/<str:token>/", views_feedback.feedback, name="feedback"),
    path("common/", views_common.common, name="common"),
]
