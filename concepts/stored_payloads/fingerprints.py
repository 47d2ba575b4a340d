"""What a stored payload must carry to be served (its fingerprint), and writing one row."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from concepts.payload_models import StoredPayload

FORMAT_VERSION = "1"
#: the project folders whose sources decide what a payload shows
SOURCE_FOLDERS = ("concepts", "sandbox", "study", "quizsite", "templates")

_code_fingerprint: str | None = None


def code_fingerprint() -> str:
    """A digest of everything besides a card's row that decides what it shows: the apps' Python
    sources and templates, the translations, the static files' manifest and the demos' versions.
    Computed once per process (at a web worker's warm-up)."""
    global _code_fingerprint
    if _code_fingerprint is None:
        from sandbox import registry

        base = Path(settings.BASE_DIR)
        digest = hashlib.sha256(FORMAT_VERSION.encode())
        files: list[Path] = []
        for app in SOURCE_FOLDERS:
            folder = base / app
            if folder.is_dir():
                files += [p for p in folder.rglob("*") if p.suffix in (".py", ".html") and p.is_file()]
        files += list((base / "locale").rglob("*.mo")) if (base / "locale").is_dir() else []
        manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
        files += [manifest] if manifest.is_file() else []  # hashed static URLs on the page (collectstatic)
        for path in sorted(files):
            name = path.relative_to(base) if path.is_relative_to(base) else path.name
            digest.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
        digest.update(json.dumps(registry.versions(), sort_keys=True).encode())
        _code_fingerprint = digest.hexdigest()
    return _code_fingerprint


def fingerprint(kind: str, lang: str, updated_at) -> str:
    """What a row must carry to be served for a card last saved at `updated_at`."""
    stamp = updated_at.isoformat() if updated_at is not None else ""
    return hashlib.sha256(f"{code_fingerprint()}|{kind}|{lang}|{stamp}".encode()).hexdigest()


def save(concept_id: int, kind: str, lang: str, fp: str, body: str) -> None:
    """Store (or replace) one card's payload of `kind` in `lang`."""
    try:
        with transaction.atomic():
            StoredPayload.objects.update_or_create(concept_id=concept_id, kind=kind, lang=lang,
                                                   defaults={"fingerprint": fp, "body": body})
    except IntegrityError:  # another process stored it at the same moment: theirs is as good
        pass
