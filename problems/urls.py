from django.urls import path

from . import views
from .clusters import urls as clusters_urls
from .feedback import urls as feedback_urls

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("escalated/", views.escalated_list, name="escalated"),
    path("ledger/", views.ledger, name="ledger"),
    path("new/", views.problem_create, name="create"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.problem_act, name="act"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    *feedback_urls.urlpatterns,
    *clusters_urls.urlpatterns,
]
