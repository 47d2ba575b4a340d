"""Public Anki exports built once per content state and served from a stored file.

Building a full deck takes seconds of CPU; the public endpoint would otherwise
rebuild it for every request (six at once stalled the site for 29 s). A built
package is written to EXPORT_DIR under a name derived from the request's
parameters and a fingerprint of the content (row counts, highest ids and edit
times of every content table, and every demo's VERSION), so an edit in the admin
or a `load_content` makes a new file; signals also clear the directory on any
content change. (Quoted values of a new demo VERSION are not stored until
`load_content` computes them, and an export refuses to build without them.) Concurrent requests for the same file build it once: the others
wait on a file lock and then read it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from concepts import anki
from concepts.models import AcceptedAnswer, Choice, Concept, Question, Topic


def export_dir() -> Path:
    return Path(getattr(settings, "EXPORT_DIR", settings.BASE_DIR / "var" / "exports"))


def fingerprint() -> str:
    from sandbox import registry

    parts: list = [registry.versions()]
    for model in (Topic, Concept, Question, Choice, AcceptedAnswer):
        fields = {"n": Count("pk"), "last": Max("pk")}
        if any(f.name == "updated_at" for f in model._meta.fields):
            fields["edited"] = Max("updated_at")
        parts.append(model.objects.aggregate(**fields))
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()[:20]


def stored_export(*, topic: str | None, mode: str, questions: bool) -> tuple[bytes, str]:
    """The .apkg bytes and file name for these parameters: read from the stored file, built only when missing.

    Raises anki.UnfilledValues (nothing stored) like `anki.export_anki`.
    """
    key = json.dumps([topic, mode, questions, fingerprint()])
    name = hashlib.sha256(key.encode()).hexdigest()[:32] + ".apkg"
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    filename = anki.filename(topic, mode)
    if path.exists():
        return path.read_bytes(), filename
    with open(directory / (name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder per file; the others wait here, then read it
        try:
            if not path.exists():
                export = anki.export_anki(topic_slugs=[topic] if topic else None, mode=mode, questions=questions)
                partial = directory / (name + f".{os.getpid()}.part")
                partial.write_bytes(export.content)
                partial.replace(path)  # atomic: a reader sees the whole file or none
            return path.read_bytes(), filename
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def clear(**_kwargs) -> None:
    """Drop every stored export (content changed); the next request builds afresh."""
    directory = export_dir()
    if directory.exists():
        shutil.rmtree(directory, ignore_errors=True)


def connect_signals() -> None:
    for model in (Topic, Concept, Question, Choice, AcceptedAnswer):
        post_save.connect(clear, sender=model, dispatch_uid=f"stored-exports-save-{model.__name__}")
        post_delete.connect(clear, sender=model, dispatch_uid=f"stored-exports-delete-{model.__name__}")
    m2m_changed.connect(clear, sender=Concept.related.through, dispatch_uid="stored-exports-related")
