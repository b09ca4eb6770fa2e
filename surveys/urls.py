from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    # The enterprise's side, behind its door (door.sessions.door_required).
    path("door/survey/", views.answer, name="answer"),
    # The staff's side.
    path("surveys/", views.results, name="results"),
    path("surveys/remind/", views.remind, name="remind"),
    path("surveys/questions/", views.questions, name="questions"),
    path("surveys/questions/retire/", views.retire, name="retire"),
    path("surveys/questionnaire/", views.questionnaire, name="questionnaire"),
    path("surveys/comment-to-problem/", views.comment_problem, name="comment_problem"),
]
