"""registry -- every element class clickpy knows, runnable or declared only."""
from __future__ import annotations

import functools
from pathlib import Path

from clickpy.graph.spec import ElementSpec


class Registry:
    """Element classes by name.

    Classes found in elements/ declare themselves (ports, processing, flow,
    manual) and are runnable; Click's classes with no run-time code yet come
    from the catalog (so ``check`` works on real configurations); Python
    elements loaded by the user come last.
    """

    def __init__(self, specs: dict[str, ElementSpec] | None = None,
                 classes: dict[str, type] | None = None):
        self.specs: dict[str, ElementSpec] = dict(specs or {})
        self.classes: dict[str, type] = dict(classes or {})    # loaded Python elements

    def has(self, name: str) -> bool:
        return name in self.specs

    def get(self, name: str) -> ElementSpec | None:
        return self.specs.get(name)

    def add(self, spec: ElementSpec):
        self.specs[spec.name] = spec

    def names(self) -> list[str]:
        return sorted(self.specs)

    def copy(self) -> Registry:
        return Registry(self.specs, self.classes)

    def element_class(self, name: str) -> type | None:
        """The run-time class for ``name``, importing its module on first use."""
        cls = self.classes.get(name)
        if cls is not None:
            return cls
        spec = self.specs.get(name)
        if spec is None or not spec.runnable or spec.module is None:
            return None
        import importlib
        module = importlib.import_module(spec.module)
        cls = getattr(module, spec.python_name or name)
        self.classes[name] = cls
        return cls


def _elements_root() -> Path:
    """The element library's folder, found without importing it: the graph
    layer reads the element map as data and never runs element code."""
    import importlib.util
    spec = importlib.util.find_spec("clickpy.elements")
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def default_registry() -> Registry:
    from clickpy.graph.catalog import CATALOG
    from clickpy.graph.elemmap import load_element_map

    reg = Registry({spec.name: spec for spec in CATALOG})
    for name, e in load_element_map(_elements_root()).items():
        reg.add(ElementSpec(
            name=name, port_count=e["port_count"], processing=e["processing"],
            flow_code=e["flow_code"], group=e.get("group", ""), summary=e.get("summary", ""),
            runnable=True, module=e["module"], doc=e.get("doc"), python=e.get("python", False),
            python_name=e.get("python_name")))
    return reg
