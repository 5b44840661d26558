"""routers -- build, run and fail routers that know the test elements"""
from __future__ import annotations

import pytest

from clickpy.errors import ClickError
from clickpy.runtime.router import Router

from .elements import registry
from .simtime import simulated_time


def router(text: str, defines=None, *, classes=(), filename="test.click") -> Router:
    """An initialized router that has not run, knowing Rec, PullEnd and ``classes``."""
    return Router.from_text(text, defines, filename=filename, registry=registry(*classes))


def run(text: str, defines=None, *, classes=(), filename="test.click",
        simtime: bool = True) -> Router:
    """Builds and runs a router until it stops (on simulated time unless told);
    returns it for handler reads."""
    with simulated_time(simtime):
        r = router(text, defines, classes=classes, filename=filename)
        r.run()
    return r


def ints(r: Router, *handlers: str) -> list[int]:
    """The values of read handlers that hold integers."""
    return [int(r.read(h)) for h in handlers]


def click_error(build, *args, **kw) -> ClickError:
    """The ClickError that ``build(*args, **kw)`` raises; the test fails if none."""
    with pytest.raises(ClickError) as e:
        build(*args, **kw)
    return e.value


def config_error(text: str, filename="test.click") -> list[str]:
    """The messages of the ClickError that building ``text`` raises."""
    return click_error(router, text, filename=filename).messages


def pull_all(r: Router, name: str = "p") -> list:
    """Every packet the PullEnd ``name`` can pull, until one pull gives none."""
    out = []
    end = r.element(name)
    while (p := end.input_pull_packet(0)) is not None:
        out.append(p)
    return out


def hexdata(pkt) -> str:
    """A packet (scapy or bytes) as Click's \\<hex> data, for DATA arguments."""
    return "\\<" + bytes(pkt).hex() + ">"
