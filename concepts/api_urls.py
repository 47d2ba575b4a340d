"""Content API URLs; `quizsite.urls` mounts them with the study ones under /api/ (namespace "api")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from concepts.api import catalogue, exports, search

router = SimpleRouter()
router.register("topics", catalogue.TopicViewSet, basename="topic")
router.register("concepts", catalogue.ConceptViewSet, basename="concept")
router.register("questions", catalogue.QuestionViewSet, basename="question")

urlpatterns = [
    *router.urls,
    path("export/anki/", exports.AnkiExportView.as_view(), name="export-anki"),
    path("search/", search.SearchView.as_view(), name="search"),
]
