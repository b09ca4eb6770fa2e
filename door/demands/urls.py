"""The enterprise's demands, in the `door` namespace (door/urls.py includes them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("demands/", views.demand_list, name="demands"),
    path("demands/new/", views.demand_new, name="demand_new"),
    path("demands/<int:pk>/", views.demand_detail, name="demand"),
    path("demands/<int:pk>/answer/", views.demand_answer, name="demand_answer"),
    path("demands/<int:pk>/verdict/", views.demand_verdict, name="demand_verdict"),
]
