"""loader -- reads a configuration as Click's driver does: file, -e, NAME=value, libraries."""
from __future__ import annotations

import sys
from dataclasses import dataclass

from clickpy.errors import ClickError, ErrorHandler
from clickpy.graph.check import CheckedGraph, check_graph
from clickpy.graph.graph import Graph
from clickpy.graph.registry import Registry, default_registry
from clickpy.lang import read_config


@dataclass
class Loaded:
    graph: Graph
    checked: CheckedGraph
    errh: ErrorHandler          # warnings (errors raise)
    registry: Registry
    text: str = ""


def read_source(file: str | None, expr: str | None,
                filename: str | None = None) -> tuple[str, str]:
    """Text and file name of a configuration: ``-e`` text, a file, or ``-`` for stdin."""
    if expr is not None:
        return expr, filename or "config"     # Click names -e text "config"
    if file is None or file == "-":
        return sys.stdin.read(), "<stdin>"
    try:
        with open(file, encoding="utf-8", errors="surrogateescape") as f:
            return f.read(), file
    except OSError as e:
        raise ClickError(f"{e.strerror.lower() if e.strerror else e}", None,
                         [f"{file}: {e.strerror or e}"]) from None


def load(file: str | None = None, expr: str | None = None,
         defines: dict[str, str] | None = None, registry: Registry | None = None,
         filename: str | None = None, element_files: list[str] | None = None) -> Loaded:
    """Parses, flattens and checks; raises ClickError with every message on failure.

    ``element_files`` (``--load``) and ``require(library X.py)`` add user
    element classes to a copy of the registry.
    """
    registry = (registry or default_registry()).copy()
    text, filename = read_source(file, expr, filename)

    def load_elements(path):
        from clickpy.runtime.userelements import load_element_file
        return load_element_file(path, registry)
    for path in element_files or ():
        load_elements(path)
    errh = ErrorHandler()
    graph = read_config(text, filename, defines, registry.has, errh, load_elements)
    checked = check_graph(graph, registry.get, errh)
    try:
        errh.raise_if_errors()
    except ClickError as err:
        err.initializing = checked.elements_ok
        raise
    return Loaded(graph, checked, errh, registry, text)


def split_defines(args: list[str]) -> tuple[list[str], dict[str, str]]:
    """Separates ``NAME=value`` words (Click's driver) from other arguments."""
    rest, defines = [], {}
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq and name and (name[0].isalpha() or name[0] == "_") \
                and all(c.isalnum() or c == "_" for c in name):
            defines[name] = value
        else:
            rest.append(arg)
    return rest, defines
