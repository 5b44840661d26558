"""runtime_util -- build and run routers in tests; packets from scapy."""
from __future__ import annotations

import contextlib

from clickpy.runtime import clock
from clickpy.runtime.router import Router


@contextlib.contextmanager
def simulated_time(on: bool = True):
    clock.use_simulated_time(on)
    try:
        yield
    finally:
        clock.use_simulated_time(False)


def router(text: str, defines=None) -> Router:
    """An initialized router that has not run yet."""
    return Router.from_text(text, defines, filename="test.click")


def run(text: str, defines=None, simtime: bool = True) -> Router:
    """Builds and runs a router until it stops; returns it for handler reads."""
    with simulated_time(simtime):
        r = router(text, defines)
        r.run()
    return r


def hexdata(pkt) -> str:
    """A packet (scapy or bytes) as Click's \\<hex> data, for DATA arguments."""
    return "\\<" + bytes(pkt).hex() + ">"
