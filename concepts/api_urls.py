from django.urls import path
from rest_framework.routers import SimpleRouter

from concepts import api, api_exports
from quizsite.security import TokenView

router = SimpleRouter()
router.register("topics", api.TopicViewSet, basename="topic")
router.register("concepts", api.ConceptViewSet, basename="concept")
router.register("questions", api.QuestionViewSet, basename="question")

app_name = "api"
urlpatterns = [
    path("auth/signup/", api.SignupView.as_view(), name="signup"),
    path("auth/token/", TokenView.as_view(), name="token"),  # obtain_auth_token with log-in lockouts
    path("profile/", api.ProfileView.as_view(), name="profile"),
    path("flashcards/due/", api.DueQueueView.as_view(), name="due"),
    path("flashcards/undo/", api.UndoView.as_view(), name="undo"),
    path("flashcards/reviews/", api.ReviewHistoryView.as_view(), name="reviews"),
    path("flashcards/<slug:slug>/", api.FlashcardView.as_view(), name="flashcard"),
    path("flashcards/<slug:slug>/review/", api.ReviewView.as_view(), name="review"),
    path("quizzes/", api.QuizListView.as_view(), name="quizzes"),
    path("quizzes/<int:pk>/", api.QuizDetailView.as_view(), name="quiz"),
    path("quizzes/<int:pk>/answers/", api.QuizAnswerView.as_view(), name="quiz-answer"),
    path("quizzes/<int:pk>/summary/", api.QuizFinishView.as_view(), name="quiz-summary"),
    path("quizzes/<int:pk>/study-missed/", api.QuizStudyMissedView.as_view(), name="quiz-study-missed"),
    path("stats/", api.StatsView.as_view(), name="stats"),
    *router.urls,
    path("export/anki/", api_exports.AnkiExportView.as_view(), name="export-anki"),
    path("me/", api_exports.AccountView.as_view(), name="me"),
    path("me/export/", api_exports.LearnerExportView.as_view(), name="me-export"),
    path("search/", api.SearchView.as_view(), name="search"),
]
