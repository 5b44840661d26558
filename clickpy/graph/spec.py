"""spec -- what the graph needs to know about an element class, as data."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """An element class as the graph checks see it, in Click's notation.

    ``port_count`` is Click's port count code ("1/1-2", "-/=", ...),
    ``processing`` its processing code ("a/ah", "h/lh", ...), ``flow_code``
    how packets flow from inputs to outputs ("x/x" unless stated), all read
    without running element code.
    """

    name: str
    port_count: str
    processing: str = "a/a"
    flow_code: str = "x/x"
    group: str = "standard"
    summary: str = ""
    runnable: bool = False          # has run-time code in elements/
    module: str | None = None       # module that defines the class, when runnable
    doc: str | None = None          # the manual page, when there is one
    python: bool = False            # a plain-Python element (runs under the GIL)
    python_name: str | None = None  # the class's name in ``module``, when it differs
