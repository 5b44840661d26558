"""setup.py -- builds clickpy's Cython extensions and its element map."""
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

CYTHON_RANGE = ((3, 0), (3, 4))     # [min, max) Cython versions we build with
# -O3 rather than -O2: it inlines each element's action into the batch loop
# (forwarding chain 0.72 -> 0.78 of the C ceiling, `clickpy bench`)
CFLAGS = ["-O3", "-Wall", "-Wsign-compare", "-Wno-unused-function"]


def _cython_version_ok(version):
    parts = tuple(int(p) for p in version.split(".")[:2])
    return CYTHON_RANGE[0] <= parts < CYTHON_RANGE[1]


def _pyx_sources():
    """Every .pyx under clickpy/ and elements/, one extension per file.

    CLICKPY_ONLY=a.pyx,b.pyx limits a build to those files (quick rebuilds
    while developing one element); CLICKPY_NO_EXTENSIONS=1 builds none (the
    Makefile installs the package that way, then compiles in place, so an
    edited .pyx is recompiled by the next ``make``).
    """
    if os.environ.get("CLICKPY_NO_EXTENSIONS"):
        return []
    only = {str((ROOT / f).resolve()) for f in os.environ.get("CLICKPY_ONLY", "").split(",") if f}
    found = []
    for top, package in (("clickpy", "clickpy"), ("elements", "clickpy.elements")):
        for pyx in sorted((ROOT / top).rglob("*.pyx")):
            if only and str(pyx.resolve()) not in only:
                continue
            rel = pyx.relative_to(ROOT / top).with_suffix("")
            module = ".".join((package, *rel.parts))
            found.append((module, str(pyx.relative_to(ROOT))))
    return found


def _cython_include_dir():
    """A folder where ``clickpy.elements`` names the elements/ tree, for Cython.

    Installed, elements/ is the package clickpy.elements, but in the source
    tree it sits beside clickpy/, so ``cimport clickpy.elements.ip.x`` would
    not find ``elements/ip/x.pxd``. This folder holds ``clickpy/__init__.pxd``
    and a link ``clickpy/elements -> elements``: with it on the include path,
    elements of a family cimport their shared base by its installed name.
    """
    top = ROOT / "build" / "cython-include" / "clickpy"
    top.mkdir(parents=True, exist_ok=True)
    (top / "__init__.pxd").touch()
    link = top / "elements"
    if not link.is_symlink():
        link.symlink_to(ROOT / "elements", target_is_directory=True)
    return str(top.parent)


def _extensions():
    sources = _pyx_sources()
    if not sources:
        return []
    import Cython
    from Cython.Build import cythonize
    from setuptools import Extension

    if not _cython_version_ok(Cython.__version__):
        raise SystemExit(f"clickpy needs Cython in {CYTHON_RANGE}, found {Cython.__version__}")
    exts = [Extension(mod, [src], extra_compile_args=CFLAGS,
                      include_dirs=[str(ROOT / "clickpy" / "runtime" / "includes")])
            for mod, src in sources]
    return cythonize(
        exts,
        include_path=[str(ROOT), _cython_include_dir()],
        compiler_directives={"language_level": 3, "boundscheck": False,
                             "wraparound": False, "cdivision": True},
        annotate=bool(os.environ.get("CLICKPY_CYTHON_ANNOTATE")),
        nthreads=os.cpu_count() or 1,
    )


class ParallelBuildExt(build_ext):
    """Compiles the extensions on every core (about 80 of them)."""

    def finalize_options(self):
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1


class BuildPyWithElementMap(build_py):
    """Writes the element map (class name -> module) before packaging."""

    def run(self):
        from clickpy.graph.elemmap import write_element_map
        write_element_map(ROOT / "elements", ROOT / "elements" / "elementmap.json")
        super().run()


def _packages():
    """clickpy's own packages, plus elements/ and its groups as clickpy.elements.*"""
    found = []
    for top, package in (("clickpy", "clickpy"), ("elements", "clickpy.elements")):
        for init in sorted((ROOT / top).rglob("__init__.py")):
            rel = init.parent.relative_to(ROOT / top)
            found.append(".".join((package, *rel.parts)))
    return found


setup(
    packages=_packages(),
    package_dir={"clickpy.elements": "elements"},
    package_data={"clickpy.elements": ["elementmap.json", "*/*.pxd", "*/*.pyx",
                                       "*/*/*.pxd", "*/*/*.pyx"],
                  "clickpy": ["*/*.pxd"]},
    ext_modules=_extensions(),
    cmdclass={"build_py": BuildPyWithElementMap, "build_ext": ParallelBuildExt},
)
