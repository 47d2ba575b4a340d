#!/usr/bin/env python
"""Which project apps each module imports: the layering of the code, read from its source.

    .venv/bin/python scripts/import_graph.py            # per app: modules, lines, the apps each imports
    .venv/bin/python scripts/import_graph.py --check    # exit 1 on a layering breach, a cycle or a private import

Layers, lowest first: `quizsite` helpers (languages, env, inputs, throttling) < `sandbox` <
`concepts` < `study` < `interview`. A module may import its own app and the apps below it;
`quizsite`'s wiring modules (settings, urls, wsgi, celery, warmup) sit on top and may import
anything. No module imports another module's private (`_`-prefixed) names, and the modules'
import graph (module level and function level alike) has no cycle between apps.
tests/test_architecture.py runs the same checks.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["quizsite", "sandbox", "concepts", "study", "interview"]
RANK = {app: rank for rank, app in enumerate(APPS)}
#: quizsite modules that wire the project together: they may import every app.
WIRING = {"quizsite.settings", "quizsite.urls", "quizsite.wsgi", "quizsite.asgi", "quizsite.celery",
          "quizsite.warmup", "quizsite.openapi"}


@dataclass
class Module:
    name: str
    path: Path
    lines: int
    imports: set[str] = field(default_factory=set)  # project modules imported
    private: list[str] = field(default_factory=list)  # "module.name" private names imported from elsewhere


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, level: int, name: str | None, current: str, is_package: bool) -> str:
    if not level:
        return module
    base = current.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def scan(tree: ast.AST, name: str = "", is_package: bool = False) -> tuple[set[str], list[str]]:
    """The project modules a module imports (module and function level alike), and the private
    (`_`-prefixed) names it takes from another module: `from x import _y` or `x._y`."""
    imports: set[str] = set()
    private: list[str] = []
    bound: dict[str, str] = {}  # local name -> project module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in RANK:
                    imports.add(alias.name)
                    bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node.module or "", node.level, None, name, is_package)
            if target.split(".")[0] not in RANK:
                continue
            imports.add(target)
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__") and target != name:
                    private.append(f"{target}.{alias.name}")
                bound[alias.asname or alias.name] = f"{target}.{alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                and node.attr.startswith("_") and not node.attr.startswith("__") and node.attr != "_meta"):
            private.append(f"{bound[node.value.id]}.{node.attr}")
    return imports, private


def read_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = _module_name(path)
            source = path.read_text()
            module = Module(name, path, source.count("\n"))
            module.imports, module.private = scan(ast.parse(source), name, path.name == "__init__.py")
            modules[name] = module
    return modules


def app_of(module: str) -> str:
    return module.split(".")[0]


def problems(modules: dict[str, Module]) -> list[str]:
    found = []
    for module in modules.values():
        app = app_of(module.name)
        for target in sorted(module.imports):
            other = app_of(target)
            if module.name in WIRING or other == app:
                continue
            if RANK[other] > RANK[app]:
                found.append(f"{module.name} imports {target}: {app} may not depend on {other}")
        found += [f"{module.name} imports the private name {name}" for name in module.private]
    # cycles between apps through any module
    edges = defaultdict(set)
    for module in modules.values():
        if module.name in WIRING:
            continue
        for target in module.imports:
            if app_of(target) != app_of(module.name):
                edges[app_of(module.name)].add(app_of(target))
    for app in APPS:
        for other in edges[app]:
            if app in edges[other] and RANK[app] < RANK[other]:
                found.append(f"import cycle between the apps {app} and {other}")
    return sorted(set(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    modules = read_modules()
    for app in APPS:
        own = sorted((m for m in modules.values() if app_of(m.name) == app), key=lambda m: m.name)
        if not own:
            continue
        uses = sorted({app_of(t) for m in own if m.name not in WIRING for t in m.imports} - {app}, key=RANK.get)
        print(f"{app}: {len(own)} modules, {sum(m.lines for m in own)} lines; imports {', '.join(uses) or 'no app'}")
        for m in own:
            apps = sorted({app_of(t) for t in m.imports} - {app}, key=RANK.get)
            print(f"  {m.name:45} {m.lines:4}  {' '.join(apps)}")
    found = problems(modules)
    largest = max((m for m in modules.values()), key=lambda m: m.lines)
    print(f"\nlargest module: {largest.name} ({largest.lines} lines)")
    print("\n".join(found) if found else "no layering breach, no cycle between apps, no private import")
    if args.check and found:
        sys.exit(1)


if __name__ == "__main__":
    main()
