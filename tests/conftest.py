"""conftest -- shared fixtures; the helpers tests call with arguments live in harness/"""
import signal
import subprocess

import pytest
from harness import cli_process, simulated_time


@pytest.fixture
def simtime():
    """The whole test on the simulated clock (from harness.SIM_START)."""
    with simulated_time():
        yield


@pytest.fixture
def running():
    """Starts ``clickpy run ARGS`` in the background; SIGINT (then SIGKILL) at the end."""
    procs = []

    def start(*args):
        p = cli_process("run", *args)
        procs.append(p)
        return p
    yield start
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
