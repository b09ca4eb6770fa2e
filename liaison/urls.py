from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts.forms import LoginForm
from portal.views import home

from .health import healthz

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("enterprises/", include("enterprises.urls")),
    path("visits/", include("visits.urls")),
    path("problems/", include("problems.urls")),
    path("forums/", include("forums.urls")),
    path("cases/", include("cases.urls")),
    path("showcase/", include("cases.showcase.urls")),
    path("door/", include("door.urls")),
    path("", include("surveys.urls")),
    path("reviews/", include("reviews.urls")),
    path("assessment/", include("assessment.urls")),
    path("notifications/", include("notifications.urls")),
    path("exports/", include("exports.urls")),
    path("audit/", include("portal.audit.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("healthz/", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# A PermissionDenied anywhere: Django's 403 page, and a line in the security log.
handler403 = "liaison.errors.permission_denied"
