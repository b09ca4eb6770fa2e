from django.urls import path

from . import showcase

app_name = "showcase"

urlpatterns = [
    path("", showcase.showcase_list, name="list"),
    path("<int:pk>/", showcase.showcase_detail, name="detail"),
    path("photos/<int:pk>/", showcase.showcase_photo, name="photo"),
]
