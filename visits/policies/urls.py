"""URLs of the policy library, appended to the `visits` namespace by visits/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/suggestions/", views.policy_suggestions, name="policy_suggestions"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", views.policy_update, name="policy_update"),
    path("policies/<int:pk>/document/", views.policy_document, name="policy_document"),
]
