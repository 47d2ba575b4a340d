"""Content pages; `quizsite.urls` mounts them with the study pages (namespace "concepts")."""

from django.urls import path

from concepts import views

urlpatterns = [
    path("concepts/", views.library, name="library"),
    path("concepts/<slug:slug>/", views.concept_detail, name="concept"),
]
