"""clickpy.lang -- the Click language front end: text in, flat Graph out."""
from __future__ import annotations

from collections.abc import Callable

from clickpy.errors import ErrorHandler

__all__ = ["read_config"]


def read_config(text: str, filename: str = "config", defines: dict[str, str] | None = None,
                is_class: Callable[[str], bool] | None = None,
                errh: ErrorHandler | None = None,
                load_elements: Callable[[str], object] | None = None):
    """Parses, builds and flattens one configuration.

    ``defines`` are ``NAME=value`` overrides from the command line;
    ``is_class`` says which primitive element classes exist (the element
    registry by default); ``load_elements(path)`` registers element
    classes named by ``require(library FILE.py)``. Raises ClickError
    carrying every message when anything is wrong; warnings stay in ``errh``.
    """
    from clickpy.lang.build import Builder
    from clickpy.lang.expand import Expander
    from clickpy.lang.parser import Parser

    if is_class is None:
        from clickpy.graph.registry import default_registry
        is_class = default_registry().has
    errh = errh if errh is not None else ErrorHandler()
    parser = Parser(text, filename, errh)
    stmts = parser.parse()
    builder = Builder(is_class, errh, load_elements)
    top = builder.build_file(stmts, parser.lexer.coord, filename)
    # as Click's lexer, expansion goes on after the builder's errors, so the
    # errors that follow from them are reported in the same run
    graph = Expander(top, errh).run(dict(defines or {}), builder.requirements)
    errh.raise_if_errors()
    return graph
