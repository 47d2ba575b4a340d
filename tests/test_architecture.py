"""The code's layering, read from its source (scripts/import_graph.py): apps depend one way only,
quizsite helpers < sandbox < concepts < study < interview, with no cycle and no private import."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
sys.modules["import_graph"] = import_graph  # dataclasses look their module up there
spec.loader.exec_module(import_graph)


def test_apps_depend_one_way_with_no_cycle_and_no_private_import():
    assert import_graph.problems(import_graph.read_modules()) == []


def test_the_checker_sees_a_breach(tmp_path):
    modules = import_graph.read_modules()
    sandbox_module = next(m for m in modules.values() if m.name == "sandbox.store")
    sandbox_module.imports.add("concepts.models")
    sandbox_module.private.append("concepts.markup._hidden")
    found = import_graph.problems(modules)
    assert "sandbox.store imports concepts.models: sandbox may not depend on concepts" in found
    assert "sandbox.store imports the private name concepts.markup._hidden" in found
    assert "import cycle between the apps sandbox and concepts" in found


def test_the_scan_finds_private_imports_and_uses():
    import ast

    source = "from concepts.markup import _MATH\nfrom concepts import (\n    markup,\n    _x,\n)\nmarkup._memo.clear()\n"
    imports, private = import_graph.scan(ast.parse(source))
    assert imports == {"concepts.markup", "concepts"}
    assert sorted(private) == ["concepts._x", "concepts.markup._MATH", "concepts.markup._memo"]
    assert import_graph.scan(ast.parse("from concepts.models import Concept\nConcept._meta.get_fields()\n"))[1] == []
