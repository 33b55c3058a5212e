"""The package structure holds: no import cycles (lazy imports included), layers only import
downwards, and code outside `matching` reaches the matching layer through its face only.

Read from the source with `ast`, so an import inside a function counts as much as one at the
top: a lazy import may save start-up time, but it must not hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "replycoach"

# lowest first: a package may import from its own layer and the layers before it
LAYERS = [
    {"core"},
    {"matching"},
    {"reply"},
    {"conversations"},
    {"kinds"},
    {"playbook"},
    {"triage"},
    {"lint"},
    {"draft", "audit"},
    {"cli", "__main__", "api"},
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every replycoach module `name` imports, anywhere in its code."""
    out: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            # `from pkg import mod` imports pkg.mod when it is a module, else pkg itself
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        out |= {t for t in targets if t in MODULES and t != name}
    return out


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


# the package's face re-exports the Python API through a module __getattr__: the one edge
# from `replycoach` itself upward (its modules import `replycoach.__version__`)
FACE = ("replycoach", "replycoach.api")


def _layer(module: str) -> int:
    top = module.split(".")[1] if module.count(".") else ""
    for index, names in enumerate(LAYERS):
        if top in names:
            return index
    return -1  # replycoach itself (the version)


def test_no_import_cycles_lazy_imports_included():
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []
    counter = [0]

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in GRAPH[node]:
            if (node, other) == FACE:
                continue  # imported on first attribute access, after every module has loaded
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in GRAPH:
        if node not in index:
            visit(node)
    assert cycles == []


def test_layers_only_import_downwards():
    upward = [(module, other) for module, others in GRAPH.items() for other in others
              if _layer(other) > _layer(module)]
    assert upward == [FACE]


def test_outside_matching_only_its_face_is_imported():
    reaching_in = [(module, other) for module, others in GRAPH.items() for other in others
                   if other.startswith("replycoach.matching.") and not module.startswith("replycoach.matching")]
    # the playbook builds the entry analysis it caches: the one sanctioned reach behind the wall
    assert reaching_in == [("replycoach.playbook.loader", "replycoach.matching.analysis")]


def test_no_module_is_over_400_lines():
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    long = {name: n for name, n in lines.items() if n > 400}
    assert long == {}
