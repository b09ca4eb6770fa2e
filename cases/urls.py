from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/<int:enterprise>/", views.case_nominate, name="nominate"),
    path("photos/<int:pk>/", views.photo_download, name="photo"),
    path("photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_update, name="update"),
    path("<int:pk>/<str:action>/", views.case_act, name="act"),
]
