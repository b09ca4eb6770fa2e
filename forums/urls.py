from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.forum_list, name="list"),
    path("new/", views.forum_create, name="create"),
    path("compliance/", views.compliance, name="compliance"),
    path("compliance/export/", views.compliance_export, name="compliance_export"),
    path("export/", views.forum_export, name="export"),
    path("opinions/export/", views.opinion_export, name="opinion_export"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("opinions/<int:pk>/problem/", views.opinion_to_problem, name="opinion_to_problem"),
    path("<int:pk>/", views.forum_detail, name="detail"),
    path("<int:pk>/edit/", views.forum_update, name="update"),
    path("<int:pk>/print/<str:sheet>/", views.forum_print, name="print"),
    path("<int:pk>/<str:action>/", views.forum_act, name="act"),
]
