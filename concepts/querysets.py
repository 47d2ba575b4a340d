"""The query layer of the content: what "published" means, in one place.

Views, the API, the study app and the interview app ask `Concept.objects.published()`,
`Question.objects.quizzable()`, `Topic.objects.with_counts()` rather than spelling the
status filters out again.
"""

from django.db import models
from django.db.models import Count, Q

from concepts.bases import Status


class TopicQuerySet(models.QuerySet):
    def with_counts(self, *, questions: bool = False):
        """Each topic with `concept_count` (published cards) and, if asked, `question_count`
        (published questions of published cards)."""
        # distinct: the two joins multiply rows (a card per question), so plain counts inflate each other
        published = Q(concepts__status=Status.PUBLISHED)
        annotations = {"concept_count": Count("concepts", filter=published, distinct=questions)}
        if questions:
            annotations["question_count"] = Count(
                "concepts__questions", distinct=True,
                filter=published & Q(concepts__questions__status=Status.PUBLISHED))
        return self.annotate(**annotations)


class ConceptQuerySet(models.QuerySet):
    def published(self):
        """The cards learners see."""
        return self.filter(status=Status.PUBLISHED)

    def of_topic(self, slug: str | None):
        """The cards of the topic `slug`; all of them for None."""
        return self.filter(topic__slug=slug) if slug else self


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def quizzable(self):
        """Published questions of published cards: what quizzes draw from and the API lists."""
        return self.filter(status=Status.PUBLISHED, concept__status=Status.PUBLISHED)
