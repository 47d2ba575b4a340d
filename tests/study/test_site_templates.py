"""The site's base page and shared partials are project-level, each app's pages under its own name.

(Which app may import which is tests/test_architecture.py's, over scripts/import_graph.py.)
"""

from pathlib import Path

import pytest
from django.template.loader import get_template

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name, folder", [
    ("base.html", "templates"), ("_field.html", "templates"), ("_math.html", "templates"),
    ("study/home.html", "study/templates"), ("study/review.html", "study/templates"),
    ("study/quiz_play.html", "study/templates"), ("study/progress.html", "study/templates"),
    ("concepts/library.html", "concepts/templates"), ("concepts/concept_detail.html", "concepts/templates"),
])
def test_each_template_is_found_in_its_owners_folder(name, folder):
    assert Path(get_template(name).origin.name) == ROOT / folder / name


def test_every_page_extends_the_project_base():
    folders = ["templates", "concepts/templates", "study/templates", "interview/templates", "sandbox/templates"]
    pages = {str(page.relative_to(ROOT)): page.read_text(encoding="utf-8") for folder in folders
             for page in (ROOT / folder).rglob("*.html") if "/admin/" not in str(page)}
    extending = {name: text for name, text in pages.items() if "{% extends" in text}
    assert {"templates/404.html", "sandbox/templates/sandbox/demo_page.html", "study/templates/study/home.html",
            "concepts/templates/concepts/library.html", "interview/templates/interview/setup.html"} <= set(extending)
    assert [name for name, text in extending.items() if '{% extends "base.html" %}' not in text] == []
