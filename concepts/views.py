from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from concepts.models import Concept, Question, Status, Topic


def home(request):
    topics = Topic.objects.annotate(
        concept_count=Count("concepts", filter=Q(concepts__status=Status.PUBLISHED)),
    ).prefetch_related(
        Prefetch("concepts", queryset=Concept.objects.filter(status=Status.PUBLISHED).order_by("order"))
    )
    return render(request, "concepts/home.html", {"topics": topics})


def concept_detail(request, slug):
    concept = get_object_or_404(
        Concept.objects.select_related("topic").prefetch_related(
            "related",
            Prefetch("questions", queryset=Question.objects.filter(status=Status.PUBLISHED).prefetch_related("choices")),
        ),
        slug=slug,
        status=Status.PUBLISHED,
    )
    return render(request, "concepts/concept_detail.html", {"concept": concept})
