"""simtime -- simulated time for tests: the clock start, a context, jumps and timers"""
from __future__ import annotations

import contextlib

from clickpy.runtime import clock

SIM_START = clock.SIMTIME_START_NS      # --simtime's clock start: 1000000000 s, in ns


@contextlib.contextmanager
def simulated_time(on: bool = True):
    """Runs the block on the simulated clock (from SIM_START), real time after."""
    clock.use_simulated_time(on)
    try:
        yield
    finally:
        clock.use_simulated_time(False)


def at(seconds: float):
    """Moves the simulated clock to SIM_START + ``seconds`` (to the nanosecond)."""
    clock.use_simulated_time(True, SIM_START + round(seconds * 10**9))


def fire_timers(router, n: int):
    """Jumps the simulated clock to the router's next timer and fires it, ``n`` times."""
    for _ in range(n):
        nxt = router.driver._next_timer()
        if nxt is None:
            return
        clock.use_simulated_time(True, nxt)
        router.driver._run_timers()
