"""router_handlers -- the handlers every element and every router has (Click's names)."""
from __future__ import annotations

from clickpy.graph.processing import AGNOSTIC, ProcessingCode
from clickpy.lang.unparse import unparse
from clickpy.version import VERSION


def _ports_text(router, e) -> str:
    """Click's ``ports`` handler: port counts, then each port's mode (with ~
    when its declared processing is agnostic), a packet count column (-:
    not kept) and its peers."""
    checked = router.checked
    i = e.eindex
    names = [x.name for x in router.elements]
    spec = checked.specs[i]
    try:
        ins, outs = ProcessingCode.parse(spec.processing).vectors(e.ninputs, e.noutputs)
    except (ValueError, AttributeError):
        ins, outs = [None] * e.ninputs, [None] * e.noutputs
    conns = sorted(checked.connections,
                   key=lambda c: (c.to_element, c.to_port, c.from_element, c.from_port))
    lines = [f"{e.ninputs} input{'' if e.ninputs == 1 else 's'}"]
    for port in range(e.ninputs):
        mode = _mode(e.input_is_push(port), ins[port])
        peers = [f"{names[c.from_element]} [{c.from_port}]"
                 for c in conns if c.to_element == i and c.to_port == port]
        lines.append(f"{mode}\t-\t" + ", ".join(peers))
    lines.append(f"{e.noutputs} output{'' if e.noutputs == 1 else 's'}")
    for port in range(e.noutputs):
        mode = _mode(e.output_is_push(port), outs[port])
        peers = [f"[{c.to_port}] {names[c.to_element]}"
                 for c in conns if c.from_element == i and c.from_port == port]
        lines.append(f"{mode}\t-\t" + ", ".join(peers))
    return "\n".join(lines) + "\n"


def _mode(push: bool, declared) -> str:
    return ("push" if push else "pull") + ("~" if declared == AGNOSTIC else "")


def add_element_handlers(router, e):
    table = router._handlers
    table.add_read(e, "name", lambda: e.name, calm=True)
    table.add_read(e, "class", lambda: e.class_name, calm=True)
    table.add_read(e, "config", lambda: e.configuration, calm=True)
    table.add_read(e, "ports", lambda: _ports_text(router, e), calm=True)
    table.add_read(e, "handlers", lambda: table.listing(e), calm=True)
    if getattr(e, "python_element", False):
        # errors its Python code raised on the data path (only the first are printed)
        table.add_read(e, "errors", lambda: getattr(e, "errors", 0))


def add_task_handlers(router, e):
    table = router._handlers
    table.add_read(e, "scheduled", lambda: e.task_scheduled)
    table.add_read(e, "tickets", lambda: e.tickets)
    table.add_read(e, "home_thread", lambda: 0)


def add_router_handlers(router):
    # in Click's order (its handlers listing shows them so)
    table = router._handlers
    table.add_read(None, "version", lambda: VERSION)
    table.add_read(None, "driver", lambda: "userlevel")
    table.add_read(None, "config", lambda: router.config_text)
    table.add_read(None, "flatconfig", lambda: unparse(router.graph))
    table.add_read(None, "requirements", lambda: "\n".join(
        v or k for k, v in router.graph.requirements))
    table.add_read(None, "handlers", lambda: table.listing(None))
    table.add_read(None, "list", lambda: "\n".join(
        [str(len(router.elements))] + [e.name for e in router.elements]))
    table.add_write(None, "stop", lambda value: _stop(router))
    table.add_read(None, "classes", lambda: "\n".join(sorted(router.registry.specs)))
    table.add_read(None, "packages", lambda: "")     # clickpy loads no Click packages


def _stop(router):
    router.driver.set_runcount(0)
    router.driver.stop_hook = None
    router.please_stop()
