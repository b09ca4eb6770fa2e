from django.urls import path

from . import views

urlpatterns = [
    path("<str:period>/region/<str:region>/", views.cadre_list, name="cadre_list"),
    path("<str:period>/region/<str:region>/export/", views.cadre_list_export, name="cadre_list_export"),
    path("<str:period>/<int:pk>/", views.cadre_scorecard, name="cadre_scorecard"),
    path("<str:period>/<int:pk>/export/", views.cadre_scorecard_export, name="cadre_scorecard_export"),
]
