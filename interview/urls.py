from django.urls import path

from interview import views

app_name = "interview"
urlpatterns = [
    path("", views.setup, name="setup"),
    path("<int:pk>/", views.play, name="play"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/undo/", views.undo, name="undo"),
    path("<int:pk>/report/", views.report_page, name="report"),
]
