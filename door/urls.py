from django.urls import path

from . import views

app_name = "door"

urlpatterns = [
    # The enterprise's side: open without a login (door.sessions.door_page).
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("open/<str:token>/", views.open_link, name="open"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
