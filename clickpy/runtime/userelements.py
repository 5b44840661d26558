"""userelements -- loads element classes from user files: Python, or Cython compiled once."""
from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
from pathlib import Path

from clickpy.errors import ClickError
from clickpy.graph.registry import Registry
from clickpy.graph.spec import ElementSpec

CACHE = Path(os.environ.get("CLICKPY_CACHE", Path.home() / ".cache" / "clickpy"))


def load_element_file(path: str, registry: Registry) -> list[str]:
    """Registers every element class defined in ``path`` (.py or .pyx); returns their names."""
    p = Path(path)
    if not p.is_file():
        raise ClickError(f"element file '{path}' not found", None, [f"{path}: no such file"])
    module = _import_pyx(p) if p.suffix == ".pyx" else _import_py(p)
    from clickpy.runtime.element import Element
    names = []
    for obj in vars(module).values():
        if (inspect.isclass(obj) and issubclass(obj, Element) and obj.__module__ == module.__name__
                and "port_count" in vars(obj)):
            name = getattr(obj, "class_name_", None) or obj.__name__
            registry.add(ElementSpec(
                name=name, port_count=obj.port_count, processing=getattr(obj, "processing", "a/a"),
                flow_code=getattr(obj, "flow_code", "x/x"), group="user",
                summary=(inspect.getdoc(obj) or "").split("\n")[0], runnable=True,
                module=module.__name__, doc=inspect.getdoc(obj),
                python=bool(getattr(obj, "python_element", False))))
            registry.classes[name] = obj
            names.append(name)
    return names


def _import_py(p: Path):
    name = f"clickpy_user_{p.stem}_{hashlib.sha1(str(p.resolve()).encode()).hexdigest()[:8]}"
    spec = importlib.util.spec_from_file_location(name, p)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as e:      # the user's file: report, no traceback
        raise ClickError(f"cannot load '{p}': {type(e).__name__}: {e}", None,
                         [f"{p}: cannot load: {type(e).__name__}: {e}"]) from None
    return module


def _import_pyx(p: Path):
    """Compiles a .pyx once per content (cached by hash) and imports it."""
    source = p.read_bytes()
    digest = hashlib.sha1(source).hexdigest()[:16]
    name = f"clickpy_user_{p.stem}_{digest}"
    build = CACHE / name
    built = list(build.glob(f"{name}*.so")) if build.exists() else []
    if not built:
        built = [_compile_pyx(p, name, build)]
    spec = importlib.util.spec_from_file_location(name, built[0])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _compile_pyx(p: Path, name: str, build: Path) -> Path:
    from Cython.Build import cythonize
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    build.mkdir(parents=True, exist_ok=True)
    src = build / f"{name}.pyx"
    src.write_bytes(p.read_bytes())
    root = Path(__file__).resolve().parents[2]
    ext = Extension(name, [str(src)], extra_compile_args=["-O2"])
    try:
        exts = cythonize([ext], compiler_directives={"language_level": 3}, quiet=True,
                         include_path=[str(root)])
        dist = Distribution({"ext_modules": exts})
        cmd = build_ext(dist)
        cmd.build_lib = str(build)
        cmd.build_temp = str(build / "tmp")
        cmd.ensure_finalized()
        cmd.run()
    except Exception as e:
        raise ClickError(f"cannot compile '{p}': {e}", None,
                         [f"{p}: cannot compile: {e}"]) from None
    return next(build.glob(f"{name}*.so"))
