"""Study API URLs; `quizsite.urls` mounts them with the content ones under /api/ (namespace "api")."""

from django.urls import path

from quizsite.security import TokenView
from study.api import accounts, flashcards, progress, quizzes

urlpatterns = [
    path("auth/signup/", accounts.SignupView.as_view(), name="signup"),
    path("auth/token/", TokenView.as_view(), name="token"),  # obtain_auth_token with log-in lockouts
    path("profile/", accounts.ProfileView.as_view(), name="profile"),
    path("flashcards/due/", flashcards.DueQueueView.as_view(), name="due"),
    path("flashcards/undo/", flashcards.UndoView.as_view(), name="undo"),
    path("flashcards/reviews/", flashcards.ReviewHistoryView.as_view(), name="reviews"),
    path("flashcards/<slug:slug>/", flashcards.FlashcardView.as_view(), name="flashcard"),
    path("flashcards/<slug:slug>/review/", flashcards.ReviewView.as_view(), name="review"),
    path("quizzes/", quizzes.QuizListView.as_view(), name="quizzes"),
    path("quizzes/<int:pk>/", quizzes.QuizDetailView.as_view(), name="quiz"),
    path("quizzes/<int:pk>/answers/", quizzes.QuizAnswerView.as_view(), name="quiz-answer"),
    path("quizzes/<int:pk>/summary/", quizzes.QuizFinishView.as_view(), name="quiz-summary"),
    path("quizzes/<int:pk>/study-missed/", quizzes.QuizStudyMissedView.as_view(), name="quiz-study-missed"),
    path("stats/", progress.StatsView.as_view(), name="stats"),
    path("me/", accounts.AccountView.as_view(), name="me"),
    path("me/export/", accounts.LearnerExportView.as_view(), name="me-export"),
]
