"""router_handlers -- the handlers every element and every router has (Click's names)."""
from __future__ import annotations

from clickpy.lang.unparse import unparse
from clickpy.version import VERSION


def _ports_text(router, e) -> str:
    """Click's ``ports`` handler: port counts, then each port's mode and peers."""
    checked = router.checked
    i = e.eindex
    names = [x.name for x in router.elements]
    lines = [f"{e.ninputs} input{'' if e.ninputs == 1 else 's'}"]
    for port in range(e.ninputs):
        mode = "push" if e.input_is_push(port) else "pull"
        peers = [f"{names[c.from_element]} [{c.from_port}]"
                 for c in checked.connections if c.to_element == i and c.to_port == port]
        lines.append(f"{mode}\t" + (", ".join(peers) or "-"))
    lines.append(f"{e.noutputs} output{'' if e.noutputs == 1 else 's'}")
    for port in range(e.noutputs):
        mode = "push" if e.output_is_push(port) else "pull"
        peers = [f"[{c.to_port}] {names[c.to_element]}"
                 for c in checked.connections if c.from_element == i and c.from_port == port]
        lines.append(f"{mode}\t" + (", ".join(peers) or "-"))
    return "\n".join(lines) + "\n"


def add_element_handlers(router, e):
    table = router._handlers
    table.add_read(e, "name", lambda: e.name)
    table.add_read(e, "class", lambda: e.class_name)
    table.add_read(e, "config", lambda: e.configuration)
    table.add_read(e, "ports", lambda: _ports_text(router, e), raw=True)
    table.add_read(e, "handlers", lambda: "\n".join(
        f"{name}\t{table.find(e, name).flags()}" for name in table.names(e)))
    if getattr(e, "python_element", False):
        # errors its Python code raised on the data path (only the first are printed)
        table.add_read(e, "errors", lambda: getattr(e, "errors", 0))


def add_task_handlers(router, e):
    table = router._handlers
    table.add_read(e, "scheduled", lambda: e.task_scheduled)
    table.add_read(e, "tickets", lambda: e.tickets)
    table.add_read(e, "home_thread", lambda: 0)


def add_router_handlers(router):
    table = router._handlers
    table.add_read(None, "version", lambda: VERSION)
    table.add_read(None, "driver", lambda: "userlevel")
    table.add_read(None, "config", lambda: router.config_text, raw=True)
    table.add_read(None, "flatconfig", lambda: unparse(router.graph), raw=True)
    table.add_read(None, "list", lambda: "\n".join(
        [str(len(router.elements))] + [e.name for e in router.elements]))
    table.add_read(None, "classes", lambda: "\n".join(sorted(router.registry.specs)))
    table.add_read(None, "requirements", lambda: "\n".join(
        v or k for k, v in router.graph.requirements))
    table.add_read(None, "handlers", lambda: "\n".join(
        f"{name}\t{table.find(None, name).flags()}" for name in table.names(None)))
    table.add_write(None, "stop", lambda value: _stop(router), button=True)


def _stop(router):
    router.driver.set_runcount(0)
    router.driver.stop_hook = None
    router.please_stop()
