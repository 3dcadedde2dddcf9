"""The packages are layered: no import cycle among the modules of chainkg and chainkg_viz, and
no import goes up a layer: model (bottom) < stages, analysis and views < the orchestrators
(pipeline, stream) < the interfaces (CLI, server, remote stores).

Imports are read from the source with `ast`, wherever they stand (module level, inside a
function, under `if TYPE_CHECKING:`): a lazy import hides a cycle from Python, not from a
reader. `from package import name` counts as an import of `package.name` when that is a
module, else of `package`; the parent package a submodule import runs first is not counted
(a package's `__init__` importing its own submodules is not a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from tests.helpers import REPO

PACKAGES = {"chainkg": REPO / "graph" / "chainkg", "chainkg_viz": REPO / "viz" / "chainkg_viz"}


# The bottom layer: the data model and the rules every other module builds on; it imports
# nothing above it (test_no_import_goes_up_a_layer).
BOTTOM = frozenset(
    {
        "chainkg",
        "chainkg.errors",
        "chainkg.schema",
        "chainkg.vocab",
        "chainkg.config",
        "chainkg.report",
        "chainkg.bindings",
    }
)


def module_files(packages: dict[str, Path]) -> dict[str, Path]:
    """Every module of the packages by dotted name (a package by its `__init__.py`)."""
    modules = {}
    for name, root in packages.items():
        for path in sorted(root.rglob("*.py")):
            parts = [name, *path.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def import_graph(packages: dict[str, Path]) -> nx.DiGraph:
    """module -> module it imports, among the packages' own modules."""
    modules = module_files(packages)
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for module, path in modules.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets: list[str | None] = []
            if isinstance(node, ast.Import):
                targets = [known(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else known(base))
            graph.add_edges_from((module, t) for t in targets if t and t != module)
    return graph


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return import_graph(PACKAGES)


def test_the_reader_sees_lazy_and_type_checking_imports(tmp_path: Path) -> None:
    """A hand-made package whose cycle closes only inside a function and under TYPE_CHECKING."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg.sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("from . import b\n")
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import f\n"
    )
    cycles = list(nx.simple_cycles(import_graph({"pkg": pkg})))
    assert sorted(map(sorted, cycles)) == [["pkg.a", "pkg.sub.b"]]


def test_the_graph_holds_the_packages_imports(graph: nx.DiGraph) -> None:
    assert graph.has_edge("chainkg.pipeline", "chainkg.stream")
    assert graph.has_edge("chainkg.stream", "chainkg.validate")  # a function-level import
    assert graph.has_edge("chainkg.pipeline", "chainkg_viz.site")
    assert graph.number_of_nodes() > 40


def test_no_import_cycle(graph: nx.DiGraph) -> None:
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def layer(module: str) -> int:
    """0 model, 1 stages, analysis and views, 2 orchestrators, 3 interfaces."""
    if module in BOTTOM:
        return 0
    if module in ORCHESTRATORS:
        return 2
    if module in INTERFACES or module.startswith(tuple(f"{p}." for p in INTERFACES)):
        return 3
    return 1


# chainkg.ingest.accept (and the package that exports it) checks accepted rows with the normal
# build before it writes them.
ORCHESTRATORS = frozenset(
    {"chainkg.pipeline", "chainkg.stream", "chainkg.ingest", "chainkg.ingest.accept"}
)
INTERFACES = frozenset({"chainkg.cli", "chainkg.server", "chainkg.remote"})


def test_no_import_goes_up_a_layer(graph: nx.DiGraph) -> None:
    upward = sorted((m, t) for m, t in graph.edges if layer(t) > layer(m))
    assert upward == []
