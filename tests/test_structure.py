"""The package's shape, checked from its source: no import cycle, the model's layers import only
downwards and never MkDocs, no private name imported across modules, no module past ~450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "gongkai"
# The model's layers, lowest first: a module may import its own layer and those before it.
# sensitive.detection is pure text and sits below the primitives (a Problem masks with it).
LAYERS = ("model.sensitive.detection", "model.primitives", "model.sensitive", "model.schema", "model.assembly")
MAX_LINES = 450


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for each import of a package module, at any
    depth of the file (an import inside a function still ties the two modules)."""
    is_package = path.name == "__init__.py"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([p for p in [*base, node.module or ""] if p])
            elif (node.module or "").startswith("gongkai."):
                target = node.module.removeprefix("gongkai.")
            else:
                continue
            names = [a.name for a in node.names]
            # `from . import rules` names a module, not an attribute.
            submodules = [f"{target}.{n}".strip(".") for n in names if f"{target}.{n}".strip(".") in modules]
            if submodules:
                found += [(m, [], node.lineno) for m in submodules]
            if target in modules:
                found.append((target, [n for n in names if f"{target}.{n}" not in modules], node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("gongkai."):
                    found.append((alias.name.removeprefix("gongkai."), [], node.lineno))
    return found


def test_no_import_cycle():
    modules = _modules()
    graph = {name: {t for t, _, _ in _imports(name, path, modules) if t != name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import cycle: " + " → ".join(trail[trail.index(name):] + [name]))
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, trail + [name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def _layer(name: str) -> int | None:
    """The index of the most specific layer a module is in (None: not in a layer)."""
    matches = [(len(layer), i) for i, layer in enumerate(LAYERS) if name == layer or name.startswith(layer + ".")]
    return max(matches)[1] if matches else None


def test_model_layers_import_only_downwards_and_never_mkdocs():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        if not name.startswith("model"):
            continue
        source = path.read_text(encoding="utf-8")
        if "import mkdocs" in source or "from mkdocs" in source:
            wrong.append(f"{name} imports MkDocs")
        for target, _, line in _imports(name, path, modules):
            if not target.startswith("model"):
                wrong.append(f"{name}:{line} imports {target}, outside the model")
            elif _layer(name) is not None and _layer(target) is not None and _layer(target) > _layer(name):
                wrong.append(f"{name}:{line} imports {target}, a layer above it")
    assert not wrong, "\n".join(wrong)


def test_no_private_name_is_imported_across_modules():
    modules = _modules()
    private = [f"{name}:{line} imports {n} from {target}"
               for name, path in modules.items()
               for target, names, line in _imports(name, path, modules)
               for n in names if n.startswith("_") and not n.endswith("__") and target != name]
    assert not private, "\n".join(private)


def test_no_module_is_over_the_size_one_reader_holds():
    long = {name: n for name, path in _modules().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
