"""describe -- text for ``clickpy elements`` and ``check -v``: classes, manuals, what runs."""
from __future__ import annotations

from clickpy.graph.registry import Registry, default_registry


def _status(spec) -> str:
    if not spec.runnable:
        return "declared"
    return "runs (python)" if spec.python else "runs"


def element_list(registry: Registry | None = None) -> str:
    """One line per class: name, group, ports, processing, and whether it runs."""
    registry = registry or default_registry()
    specs = [registry.get(n) for n in registry.names()]
    width = max(len(s.name) for s in specs)
    lines = [f"{'CLASS':<{width}}  {'GROUP':<10} {'PORTS':<8} {'PROC':<6} STATUS    SUMMARY"]
    for s in specs:
        lines.append(f"{s.name:<{width}}  {s.group:<10} {s.port_count:<8} {s.processing:<6} "
                     f"{_status(s):<9} {s.summary}")
    nrun = sum(1 for s in specs if s.runnable)
    lines.append("")
    lines.append(f"{len(specs)} classes: {nrun} run in clickpy now; the others are declared "
                 "(ports and processing known, so 'clickpy check' accepts them) "
                 "and cannot run yet.")
    return "\n".join(lines)


def element_manual(name: str, registry: Registry | None = None) -> str | None:
    """The class's manual page, or a short page built from its declaration."""
    spec = (registry or default_registry()).get(name)
    if spec is None:
        return None
    head = (f"{spec.name} ({spec.group}): {spec.summary}\n"
            f"ports {spec.port_count}, processing {spec.processing}, flow {spec.flow_code}; "
            f"status: {_status(spec)}")
    if spec.doc:
        return f"{head}\n\n{spec.doc}"
    return (f"{head}\n\nNo run-time code in clickpy yet: configurations using {spec.name} "
            "pass 'clickpy check' and 'clickpy flatten' but cannot run.")


def not_runnable(loaded) -> list[str]:
    """Classes in a loaded configuration that have no run-time code."""
    return sorted({s.name for s in loaded.checked.specs if s is not None and not s.runnable})


def describe_runnability(loaded) -> str:
    specs = [s for s in loaded.checked.specs if s is not None]
    python = sorted({s.name for s in specs if s.python})
    missing = not_runnable(loaded)
    lines = [f"{len(loaded.graph.elements)} elements, {len(loaded.graph.connections)} connections"]
    if python:
        lines.append(f"Python elements (run under the GIL): {', '.join(python)}")
    if missing:
        lines.append(f"classes without run-time code yet: {', '.join(missing)}")
    return "\n".join(lines)
