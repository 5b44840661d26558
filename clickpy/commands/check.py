"""check -- ``clickpy check``: the graph checks, then every element's argument parsing."""
from __future__ import annotations

import sys

from clickpy.graph.check import declaration


def check_configuration(loaded, warnings: bool = True) -> None:
    """Configures every runnable element without initializing it, so bad
    arguments fail here with Click's messages (raises ClickError); warns
    once per class that has no run-time code, since such a router cannot run."""
    try:
        from clickpy.runtime.router import Router
    except ImportError as err:          # not built yet: the graph checks were all we can do
        if warnings:
            print(f"warning: element arguments not checked: the runtime is not built ({err})",
                  file=sys.stderr)
        return
    router = Router(loaded.checked, loaded.registry, loaded.text)
    declared = router.check_arguments()
    if not warnings:
        return
    for class_name in declared:
        first = next(ge for ge in loaded.graph.elements if ge.class_name == class_name)
        print(f"{first.coord}: warning: '{declaration(first)}' cannot run: "
              f"{class_name} has no run-time code in clickpy yet", file=sys.stderr)
