"""The project's modules import each other without cycles, and services/ keeps its shape.

The layers themselves are checked by `lint-imports` (contracts in pyproject.toml); these
tests add what a layers contract cannot see: cycles between modules of one layer, and
modules placed at the top of services/ instead of in the package that owns them.
"""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cms", "home", "publishing", "services", "scripts")
SERVICES_TOP_LEVEL = {"__init__", "apps", "urls", "wagtail_hooks"}


def strongly_connected_components(graph):
    """Tarjan's algorithm, iterative; yields each component of more than one module
    (or one module that imports itself)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index, low, on_stack, stack = {}, {}, set(), []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    yield sorted(component)


def describe_cycle(graph, component):
    """One concrete cycle through the component, with the import lines that make it."""
    start = component[0]
    members = set(component)
    following = next(m for m in graph.find_modules_directly_imported_by(start) if m in members)
    chain = [start, *graph.find_shortest_chain(importer=following, imported=start)]
    lines = []
    for importer, imported in zip(chain, chain[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = ", ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details)
        lines.append(f"  {importer} -> {imported} ({where})")
    return f"cycle among {', '.join(component)}:\n" + "\n".join(lines)


def test_graph_covers_the_project():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    for module in (
        "cms.settings.base",
        "home.models",
        "publishing.models",
        "services.core.roles",
        "services.tickets.models",
        "scripts.po_fill",
    ):
        assert module in graph.modules
    assert graph.direct_import_exists(
        importer="services.tickets.models", imported="services.core.clock"
    )


def test_no_import_cycles():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    cycles = [describe_cycle(graph, c) for c in strongly_connected_components(graph)]
    assert not cycles, "import cycles (function-level imports count too):\n" + "\n".join(cycles)


def test_cycle_finder_finds_a_planted_cycle():
    """The check above can fail: a cycle added to the real graph is found and described."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    graph.add_import(
        importer="services.core.clock",
        imported="services.tickets.models",
        line_number=1,
        line_contents="import services.tickets.models",
    )
    found = list(strongly_connected_components(graph))
    assert any({"services.core.clock", "services.tickets.models"} <= set(c) for c in found)
    text = "\n".join(describe_cycle(graph, c) for c in found)
    assert "services.core.clock -> services.tickets.models" in text


def test_services_top_level_holds_only_the_app_glue():
    services = ROOT / "services"
    modules = {p.stem for p in services.glob("*.py")}
    assert modules <= SERVICES_TOP_LEVEL, (
        f"move into a package: {sorted(modules - SERVICES_TOP_LEVEL)}"
    )
    for folder in services.iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            assert (folder / "__init__.py").exists(), f"services/{folder.name} is not a package"


def test_each_services_package_says_what_it_holds_and_may_import():
    for folder in sorted((ROOT / "services").iterdir()):
        if not (folder / "__init__.py").exists() or folder.name == "migrations":
            continue
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"services/{folder.name}/__init__.py has no docstring"
        assert "May import:" in doc, f"services/{folder.name}/__init__.py: say what it may import"
