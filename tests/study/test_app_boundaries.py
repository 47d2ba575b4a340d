"""Dependencies between the apps run one way: interview -> study -> concepts -> sandbox.

Read from the source (every module, migrations included), not from what happens to be
imported at run time, so a lazy import inside a function counts too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("sandbox", "concepts", "study", "interview")
#: what each app may import; the project package (quizsite) is shared plumbing and not listed
ALLOWED = {"sandbox": set(), "concepts": {"sandbox"}, "study": {"concepts", "sandbox"},
           "interview": {"study", "concepts", "sandbox"}}


def imports_of(app: str) -> dict[str, set[str]]:
    """module path -> the other apps it imports."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = {n for n in names if n in APPS and n != app}
    return found


def test_every_app_imports_only_the_apps_below_it():
    wrong = {module: sorted(deps - ALLOWED[app])
             for app in APPS for module, deps in imports_of(app).items() if deps - ALLOWED[app]}
    assert wrong == {}


def test_the_apps_import_each_other_without_a_cycle():
    graph = {app: set().union(*imports_of(app).values()) for app in APPS}
    assert graph["concepts"] and graph["study"] >= {"concepts"}  # the walk found real imports

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in graph[start])

    assert [app for app in APPS if reaches(app, app, {app})] == []


def test_templates_that_moved_are_found_where_the_views_look():
    from django.template.loader import get_template

    for name in ("base.html", "_field.html", "_math.html", "study/home.html", "study/review.html",
                 "study/quiz_play.html", "study/progress.html", "concepts/library.html", "sandbox/demo_page.html"):
        assert get_template(name).origin.name.startswith(str(ROOT))
