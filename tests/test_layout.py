"""The package's floor plan: each package imports only from its own floor and the floors below,
so the pipeline reads bottom-up (ARCHITECTURE.md), and no two modules import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import aligner

PACKAGE = Path(aligner.__file__).parent
FLOORS = [
    {"records", "errors", "registry", "signature", "wording", "dependencies", "identity"},
    {"read", "segment"},
    {"langid"},
    {"embed"},
    {"align"},
    {"captions", "subtitles", "documents"},
    {"table", "export"},
    {"run"},
    {"mining"},
    {"notebook", "cli", "__init__", "__main__"},
]
FLOOR = {part: level for level, parts in enumerate(FLOORS) for part in parts}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _floor(module: str) -> int:
    parts = module.split(".")
    return FLOOR["__init__" if len(parts) == 1 else parts[1]]


def _imports(path: Path, top_level_only: bool) -> set[str]:
    """The aligner modules ``path`` imports (at its top level, or anywhere); a package that
    imports its own modules (so that they register) imports them, not itself."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    itself = _module(path)
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("aligner"):
            if node.module != itself:
                found.add(node.module)
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if (PACKAGE.parent / node.module.replace(".", "/") / alias.name).exists()
                or (PACKAGE.parent / f"{node.module.replace('.', '/')}/{alias.name}.py").exists()
            )
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("aligner"))
    return found


MODULES = {_module(path): path for path in PACKAGE.rglob("*.py")}


def test_every_package_of_aligner_has_a_floor():
    assert {m.split(".")[1] for m in MODULES if "." in m} <= set(FLOOR)


def test_no_module_imports_one_on_a_higher_floor():
    upward = sorted(
        f"{module} -> {imported}"
        for module, path in MODULES.items()
        for imported in _imports(path, top_level_only=False)
        if imported != "aligner" and _floor(imported) > _floor(module)
    )
    assert upward == []


def test_no_import_cycle_between_modules():
    graph = {
        module: {i for i in _imports(path, top_level_only=True) if i in MODULES}
        for module, path in MODULES.items()
    }
    cycles = []
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported not in state:
                visit(imported, [*path, imported])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []
