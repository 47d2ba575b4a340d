from django.urls import path

from interview import api

app_name = "interview-api"
urlpatterns = [
    path("", api.InterviewListView.as_view(), name="interviews"),
    path("<int:pk>/", api.InterviewDetailView.as_view(), name="interview"),
    path("<int:pk>/next/", api.NextQuestionView.as_view(), name="next"),
    path("<int:pk>/questions/<int:position>/answer/", api.AnswerView.as_view(), name="answer"),
    path("<int:pk>/questions/<int:position>/confirm/", api.ConfirmView.as_view(), name="confirm"),
    path("<int:pk>/undo/", api.UndoView.as_view(), name="undo"),
    path("<int:pk>/report/", api.ReportView.as_view(), name="report"),
]
