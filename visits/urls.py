from django.urls import path

from . import views
from .plan import urls as plan_urls
from .policies import urls as policy_urls

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("export/", views.visit_export, name="export"),
    path("mine/", views.my_visits, name="mine"),
    path("new/", views.visit_create, name="create"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/edit/", views.visit_update, name="update"),
    path("<int:pk>/delete/", views.visit_delete, name="delete"),
    path("<int:pk>/void/", views.visit_void, name="void"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    *plan_urls.urlpatterns,
    *policy_urls.urlpatterns,
]
