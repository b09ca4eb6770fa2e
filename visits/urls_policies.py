"""URLs of the policy library, appended to the `visits` namespace by visits/urls.py."""

from django.urls import path

from . import views_policies

urlpatterns = [
    path("policies/", views_policies.policy_list, name="policy_list"),
    path("policies/new/", views_policies.policy_create, name="policy_create"),
    path("policies/suggestions/", views_policies.policy_suggestions, name="policy_suggestions"),
    path("policies/<int:pk>/", views_policies.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", views_policies.policy_update, name="policy_update"),
    path("policies/<int:pk>/document/", views_policies.policy_document, name="policy_document"),
]
