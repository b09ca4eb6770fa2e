"""Imports point down the layers only: the twin of the URL-policy test, for the code's shape.

`LAYERS` is the one declaration of the order (ARCHITECTURE.md explains it). A module may import its own
package and the packages of the layers below its own; an import of a package of its own layer or of a
layer above fails here. Tests (`*/tests/`, `tests/`) are outside the rule: a test may set up records of
any app. Imports are read from the source with `ast`, function-level ones included.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Bottom first. Packages on one line share a layer and may not import each other.
LAYERS = [
    ["core"],  # shared by every domain: attachments, periods, listing, widgets, lifecycles, traffic lights
    ["notifications"],  # messages to officials, by any channel
    ["exports"],  # export jobs: large lists written as .xlsx by a worker (apps declare their exports)
    ["accounts"],  # regions, departments, officials, roles and the region fence
    ["enterprises"],  # the register and the liaison lists (one)
    ["visits"],  # one-on-one visits and the policy library (two)
    ["problems"],  # problem lists (four)
    ["forums"],  # forums (three), whose opinions become problems
    ["cases", "reviews", "door"],  # model cases (five), mechanism reviews (six), the enterprise's door
    ["surveys"],  # the confidence survey, answered through the door
    ["assessment"],  # the assessment of regions and cadres, from every record below
    ["portal"],  # pages that gather every domain: the home page, the demo
    ["liaison"],  # wiring only: settings, URLs, the Celery app, health
]
LAYER_OF = {package: index for index, packages in enumerate(LAYERS) for package in packages}


def _modules():
    for package in LAYER_OF:
        folder = ROOT / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts:
                continue
            yield package, relative


def _imported_packages(path, package):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: inside its own package
                yield node.lineno, package
            elif node.module:
                yield node.lineno, node.module.split(".")[0]


def upward_imports():
    found = []
    for package, relative in _modules():
        own = LAYER_OF[package]
        for line, imported in _imported_packages(ROOT / relative, package):
            if imported == package or imported not in LAYER_OF:
                continue
            if LAYER_OF[imported] >= own:
                found.append(f"{relative}:{line} imports {imported} ({'same layer' if LAYER_OF[imported] == own else 'above'})")
    return found


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - set(LAYER_OF) == set(), "add the new app to LAYERS (and to ARCHITECTURE.md)"


def test_imports_point_down_the_layers_only():
    assert upward_imports() == []


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    """The rule is real: an import of a higher layer planted in a lower one is reported."""
    fake_root = tmp_path
    (fake_root / "core").mkdir()
    (fake_root / "core" / "bad.py").write_text("from visits.models import Visit\n", encoding="utf-8")
    (fake_root / "visits").mkdir()
    (fake_root / "visits" / "fine.py").write_text("from core.periods import Period\nfrom .models import Visit\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    assert upward_imports() == ["core/bad.py:1 imports visits (above)"]
