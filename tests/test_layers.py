"""test_layers -- imports point one way: each layer uses only those below it, and no file
imports itself back through others.

The layers, bottom to top, as docs/architecture.md draws them. Every import
counts, also one inside a function: a lazy import is still a dependency.
"""
import ast
import re
from pathlib import Path

from harness import ROOT

# bottom first; a module may import its own layer's modules and any layer below
LAYERS = (
    ("clickpy.errors", "clickpy.version"),
    ("clickpy.graph",),
    ("clickpy.lang",),
    ("clickpy.runtime",),
    ("clickpy.io",),
    ("clickpy.control",),
    ("clickpy.elements",),
    ("clickpy.image",),
    ("clickpy.commands",),
    ("clickpy.cli", "clickpy.__main__", "clickpy"),
)

_CIMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+cimport\s+([\w, ()]+)|cimport\s+([\w.]+))", re.M)


def _modules():
    """module name -> source path, for clickpy/ and elements/ (clickpy.elements)."""
    found = {}
    for top, package in ((ROOT / "clickpy", "clickpy"), (ROOT / "elements", "clickpy.elements")):
        for path in top.rglob("*"):
            if path.suffix not in (".py", ".pyx", ".pxd") or "includes" in path.parts:
                continue
            rel = path.relative_to(top).with_suffix("")
            parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
            found.setdefault(".".join((package, *parts)), []).append(path)
    return found


def _imports(path: Path, modules) -> set[str]:
    """Every clickpy module ``path`` imports or cimports."""
    text = path.read_text(encoding="utf-8")
    named = []
    if path.suffix == ".py":
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                named += [(a.name, None) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                named += [(node.module, a.name) for a in node.names]
    else:
        # Cython: plain Python imports and cimports, read line by line
        for m in re.finditer(r"^\s*from\s+([\w.]+)\s+import\s+\(?([\w, ]+)", text, re.M):
            named += [(m.group(1), n.strip()) for n in m.group(2).split(",") if n.strip()]
        for m in re.finditer(r"^\s*import\s+([\w.]+)", text, re.M):
            named.append((m.group(1), None))
        for m in _CIMPORT.finditer(text):
            if m.group(3):
                named.append((m.group(3), None))
            else:
                named += [(m.group(1), n.strip(" ()")) for n in m.group(2).split(",")
                          if n.strip(" ()")]
    out = set()
    for module, name in named:
        if not module.startswith("clickpy"):
            continue
        if name and f"{module}.{name}" in modules:
            out.add(f"{module}.{name}")
        else:
            out.add(module)
    return out


def _layer(module: str) -> int:
    best, rank = -1, None
    for i, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > best:
                best, rank = len(name), i
    assert rank is not None, f"{module} belongs to no layer: add it to LAYERS"
    return rank


def _graph():
    modules = _modules()
    return {m: set().union(*(_imports(p, modules) for p in paths)) - {m}
            for m, paths in modules.items()}


def test_each_layer_imports_only_layers_below():
    wrong = []
    for module, deps in sorted(_graph().items()):
        for dep in sorted(deps):
            if _layer(dep) > _layer(module):
                wrong.append(f"{module} imports {dep}")
    assert wrong == []


def test_no_import_cycles():
    graph = _graph()
    cycles = []
    state = {}                      # module -> 1 visiting, 2 done

    def visit(m, stack):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph.get(m, ())):
            if d.startswith("clickpy.") and d.count(".") and d not in graph:
                continue            # a name inside a module, not a module
            if state.get(d) == 1:
                cycles.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d in graph and d not in state:
                visit(d, stack)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert cycles == []


def test_runtime_does_not_reach_up():
    """The runtime knows nothing of the commands, the CLI or the ControlSocket."""
    offenders = [f"{m} -> {d}" for m, deps in _graph().items() if m.startswith("clickpy.runtime")
                 for d in deps
                 if re.match(r"clickpy\.(cli|commands|control|io|elements|image)\b", d)]
    assert offenders == []
