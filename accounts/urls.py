from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password_change_done")),
        name="password_change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("officials/", views.official_list, name="official_list"),
    path("officials/new/", views.official_create, name="official_create"),
    path("officials/autocomplete/", views.official_autocomplete, name="official_autocomplete"),
    path("departments/autocomplete/", views.department_autocomplete, name="department_autocomplete"),
    path("officials/<int:pk>/", views.official_update, name="official_update"),
    path("officials/<int:pk>/deactivate/", views.official_deactivate, name="official_deactivate"),
    path("officials/<int:pk>/activate/", views.official_activate, name="official_activate"),
    path("officials/<int:pk>/password/", views.official_password, name="official_password"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_update, name="department_update"),
    path("departments/standard/", views.department_add_standard, name="department_add_standard"),
]
