"""The enterprise's pages behind the door, in the `door` namespace (door/urls.py includes them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("forums/<int:pk>/reply/", views.forum_reply, name="forum_reply"),
    path("policies/", views.policies, name="policies"),
    path("policies/<int:pk>/document/", views.policy_document, name="policy_document"),
]
