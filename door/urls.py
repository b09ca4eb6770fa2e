from django.urls import include, path

from . import views

app_name = "door"

urlpatterns = [
    # The enterprise's side: open without a login (door.sessions.door_page).
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("open/<str:token>/", views.open_link, name="open"),
    path("sign-out/", views.sign_out, name="sign_out"),
    # Signing in with an SMS code, where an SMS channel is configured.
    path("code/request/", views.code_request, name="code_request"),
    path("code/", views.code, name="code"),
    path("code/choose/", views.code_choose, name="code_choose"),
    # The enterprise's pages besides its home: forum replies, policies (door/pages/).
    path("", include("door.pages.urls")),
    # The enterprise's demands (诉求): raise, follow, answer, give the verdict (door/demands/).
    path("", include("door.demands.urls")),
    # The staff's side.
    path("links/", views.links, name="links"),
    path("enterprises/<int:pk>/", views.enterprise_links, name="enterprise_links"),
    path("enterprises/<int:pk>/issue/", views.issue, name="issue"),
    path("enterprises/<int:pk>/revoke/", views.revoke, name="revoke"),
]
