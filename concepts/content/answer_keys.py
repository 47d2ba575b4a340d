"""The answer key of a saved question, brought in line with validated data: the public sync used
by the fixture loader and the CSV / JSON import (`concepts.resources`).

Choices are updated in place by position (quiz answers refer to their ids); accepted
answers are a set per language. Both count what they change in a `LoadReport`.
"""

from __future__ import annotations

from concepts import validation
from concepts.content.bundle import LoadReport
from concepts.models import AcceptedAnswer, Choice, Question


def sync_answer_key(question: Question, choices: list[validation.ChoiceData],
                    accepted: list[validation.AcceptedData], report: LoadReport | None = None) -> LoadReport:
    """Both parts of the key; returns the report (a new one when none is given)."""
    report = LoadReport() if report is None else report
    sync_choices(question, choices, report)
    sync_accepted(question, accepted, report)
    return report


def sync_choices(question: Question, choices: list[validation.ChoiceData], report: LoadReport) -> None:
    """Choice n of the data becomes the stored choice of order n (created, updated or left); extra ones go."""
    existing = {c.order: c for c in question.choices.all()}
    for order, data in enumerate(choices):
        values = {"text_ko": data.text_ko, "text_en": data.text_en, "is_correct": data.is_correct}
        obj = existing.pop(order, None)
        if obj is None:
            Choice.objects.create(question=question, order=order, **values)
            report.count("choice", "created")
        elif any(getattr(obj, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(obj, k, v)
            obj.save()
            report.count("choice", "updated")
    if existing:
        Choice.objects.filter(pk__in=[c.pk for c in existing.values()]).delete()
        report.count("choice", "updated")


def sync_accepted(question: Question, accepted: list[validation.AcceptedData], report: LoadReport) -> None:
    """Stored accepted answers become exactly the data's (language, text) pairs."""
    wanted = {(a.language, a.text) for a in accepted}
    have = {(a.language, a.text): a.pk for a in question.accepted_answers.all()}
    stale = [pk for key, pk in have.items() if key not in wanted]
    if stale:
        AcceptedAnswer.objects.filter(pk__in=stale).delete()
        report.count("accepted answer", "updated")
    new = [AcceptedAnswer(question=question, language=lang, text=text) for lang, text in wanted - set(have)]
    if new:
        AcceptedAnswer.objects.bulk_create(new)
        report.count("accepted answer", "created")
