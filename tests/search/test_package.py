"""concepts/search is a package of small modules (issue 17: none over 300 lines) whose namespace
keeps the API search had as one module, so its callers (API, pages, admin, interview, scripts,
bench) need no change."""

import importlib
import subprocess
import sys
from pathlib import Path

from concepts import search

PACKAGE = Path(search.__file__).parent


def test_every_module_of_the_package_is_at_most_300_lines():
    lengths = {path.name: len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.glob("*.py")}
    assert {"terms.py", "index.py", "service.py", "covered.py", "families.py"} <= set(lengths)
    assert {name: n for name, n in lengths.items() if n > 300} == {}


def test_the_names_callers_use_are_the_packages_own():
    for name in ("search_cards", "ranked_concept_ids", "current_index", "card_text", "card_texts", "SearchIndex",
                 "Config", "analyze", "load_families", "MAX_QUERY_LENGTH", "FEATURES", "CoveredModel",
                 "COVERED_MODEL_FILE", "KOREAN_TOKENIZERS"):
        assert hasattr(search, name), name
    assert search.MAX_QUERY_LENGTH == 300
    assert search.COVERED_MODEL_FILE.parent == PACKAGE and search.COVERED_MODEL_FILE.exists()
    assert search.search_cards is importlib.import_module("concepts.search.service").search_cards


def test_the_ranking_imports_without_django():
    """scripts/link_follow_ups.py ranks cards read from YAML with no Django set up."""
    code = ("import sys; from concepts.search import SearchIndex, card_text; "
            "assert 'django.db' not in sys.modules, 'django.db imported'")
    root = PACKAGE.parent.parent
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=300,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert result.returncode == 0, result.stderr
