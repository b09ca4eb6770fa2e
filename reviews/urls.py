from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_update, name="update"),
    path("<int:pk>/submit/", views.review_submit, name="submit"),
    path("<int:pk>/acknowledge/", views.review_acknowledge, name="acknowledge"),
    path("<int:pk>/return/", views.review_return, name="return"),
    path("practices/", views.practice_list, name="practice_list"),
    path("practices/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practices/<int:pk>/recommend/", views.practice_recommend, name="recommend"),
    path("practices/<int:pk>/unrecommend/", views.practice_unrecommend, name="unrecommend"),
]
