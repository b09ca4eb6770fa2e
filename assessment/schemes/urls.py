from django.urls import path

from . import views

urlpatterns = [
    path("", views.scheme_list, name="scheme_list"),
    path("new/", views.scheme_create, name="scheme_create"),
    path("<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("<int:pk>/edit/", views.scheme_update, name="scheme_update"),
    path("<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
]
