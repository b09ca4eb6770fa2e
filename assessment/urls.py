from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("", include("assessment.dashboards.urls")),
    path("schemes/", include("assessment.schemes.urls")),
    path("approval/", include("assessment.approval.urls")),
    path("bulletins/", include("assessment.bulletins.urls")),
    path("cadres/", include("assessment.scorecards.urls")),
]
