"""Study pages; `quizsite.urls` mounts them with the content pages (namespace "concepts")."""

from django.urls import path

from study import accounts, views

urlpatterns = [
    path("", views.home, name="home"),
    path("review/", views.review, name="review"),
    path("review/undo/", views.review_undo, name="review-undo"),
    path("review/<slug:slug>/grade/", views.review_grade, name="review-grade"),
    path("quiz/", views.quiz_setup, name="quiz-setup"),
    path("quiz/<int:pk>/", views.quiz_play, name="quiz"),
    path("quiz/<int:pk>/answer/", views.quiz_answer, name="quiz-answer"),
    path("quiz/<int:pk>/summary/", views.quiz_summary, name="quiz-summary"),
    path("quiz/<int:pk>/study-missed/", views.quiz_study_missed, name="quiz-study-missed"),
    path("progress/", views.progress, name="progress"),
    path("accounts/signup/", accounts.signup, name="signup"),
]
