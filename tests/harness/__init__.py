"""harness -- what the tests share: test elements, routers, chains, simulated time, the command

Imported by tests/conftest.py (fixtures) and by test modules (helpers they call
with arguments): ``from harness import Chain, Rec, run``. The front-end tests'
flat-graph views are in harness.lang.
"""
from .chain import SOURCE, Chain, IPChain, as_packet
from .command import CLICKPY, ROOT, cli, cli_process
from .elements import PullEnd, Rec, Record, registry
from .routers import click_error, config_error, hexdata, ints, pull_all, router, run
from .simtime import SIM_START, at, fire_timers, simulated_time

__all__ = [
    "SOURCE", "Chain", "IPChain", "as_packet",
    "CLICKPY", "ROOT", "cli", "cli_process",
    "PullEnd", "Rec", "Record", "registry",
    "click_error", "config_error", "hexdata", "ints", "pull_all", "router", "run",
    "SIM_START", "at", "fire_timers", "simulated_time",
]
