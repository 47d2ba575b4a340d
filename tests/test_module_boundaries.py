"""No module of the project imports another module's private (`_`-prefixed) names; what is shared is public.

Read from the source (AST), so a multi-line import or a `module._name` use is caught as well as `import _x`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("concepts", "sandbox", "interview", "quizsite", "study")


def private_uses(source: str) -> list[str]:
    """`from <project module> import _name` and `<project module>._name`, as readable lines."""
    tree = ast.parse(source)
    modules, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in APPS:
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
                modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] in APPS}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_") and not node.attr.startswith("__") and node.attr != "_meta"):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def test_the_scan_finds_private_imports_and_uses():
    source = "from concepts.markup import _MATH\nfrom concepts import (\n    markup,\n    _x,\n)\nmarkup._memo.clear()\n"
    assert private_uses(source) == ["line 1: from concepts.markup import _MATH",
                                    "line 2: from concepts import _x", "line 6: markup._memo"]
    assert private_uses("from concepts.models import Concept\nConcept._meta.get_fields()\n") == []


def test_no_app_module_uses_another_modules_private_names():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                found += [f"{path.relative_to(ROOT)} {line}" for line in private_uses(path.read_text(encoding="utf-8"))]
    assert found == []
