"""The layout holds: dependencies point one way between the apps, and no module imports itself back
through others. Every import counts, those inside functions too (they hide a cycle, not remove it)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["cite", "reception", "partners", "resources", "counselling", "stats"]

# Which apps each app may import (docs/architecture.md, "The dependency rule"). The kernel imports no
# app; only its wiring (settings, root URLs) names them.
ALLOWED = {
    "cite": set(),
    "reception": {"cite"},
    "partners": {"cite"},
    "resources": {"cite"},
    "counselling": {"cite", "reception", "partners", "resources"},
    "stats": {"cite", "reception", "partners", "resources", "counselling"},
}
WIRING = {"cite.urls", "cite.settings"}


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    modules = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imports_of(path, name, modules):
    """The project modules `path` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def graph():
    modules = project_modules()
    return {name: imports_of(path, name, modules) for name, path in modules.items()}


def test_apps_import_only_the_apps_below_them():
    wrong = sorted(
        f"{module} imports {target}"
        for module, targets in graph().items()
        if module not in WIRING
        for target in targets
        if (app := module.split(".")[0]) != (other := target.split(".")[0]) and other not in ALLOWED[app]
    )
    assert wrong == [], wrong


def test_no_module_imports_itself_back_through_others():
    edges = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == [], cycles
