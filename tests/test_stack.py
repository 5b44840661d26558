"""test_stack -- deep chains run: the data path gets a stack as deep as the graph's chains."""
import os
import resource
import signal
import time

from harness import cli, cli_process

from clickpy.runtime.stack import HOP_BYTES, PYTHON_HOP_BYTES, chain_bytes, needs_own_stack


def test_chain_bytes_follows_the_longest_path():
    # 0 -> 1 -> 2 -> 3 and 0 -> 4: the long branch counts
    assert chain_bytes(5, [(0, 1), (1, 2), (2, 3), (0, 4)], lambda i: False) == 4 * HOP_BYTES
    # a cycle counts once around: 0 -> 1 -> 2 -> 0
    assert chain_bytes(3, [(0, 1), (1, 2), (2, 0)], lambda i: False) == 3 * HOP_BYTES
    # Python elements cost more stack
    assert chain_bytes(2, [(0, 1)], lambda i: i == 1) == HOP_BYTES + PYTHON_HOP_BYTES
    # no recursion in the walk itself: a chain far deeper than Python's limit
    n = 200_000
    assert chain_bytes(n, [(i, i + 1) for i in range(n - 1)], lambda i: False) == n * HOP_BYTES


def test_small_graphs_stay_on_the_main_thread():
    assert needs_own_stack(1000 * HOP_BYTES) == 0
    size = needs_own_stack(50_000 * HOP_BYTES)
    assert size >= 50_000 * HOP_BYTES and size % 4096 == 0


def _deep(n, source):
    return f"{source} -> " + " -> ".join(["Paint(1)"] * n) + " -> c :: Counter -> Discard;"


def test_a_chain_deeper_than_the_main_stack_runs(tmp_path):
    """15,000 action elements overflowed the 8 MB main stack (SIGSEGV)."""
    config = tmp_path / "deep.click"
    config.write_text(_deep(15_000, "InfiniteSource(LIMIT 10, STOP true)"))
    r = cli("run", config, "-h", "c.count", timeout=300)
    assert (r.returncode, r.stdout, r.stderr) == (0, "10\n", "")


def _small_stack():
    resource.setrlimit(resource.RLIMIT_STACK, (1 << 20, resource.getrlimit(resource.RLIMIT_STACK)[1]))


def test_sigint_stops_a_driver_on_its_own_stack(tmp_path):
    # a 1 MB main stack: 3,000 elements are too deep for it
    config = tmp_path / "deep.click"
    config.write_text(_deep(3_000, "InfiniteSource") + 'Script(print "ready");')
    p = cli_process("run", config, "-h", "c.count", env={**os.environ, "PYTHONUNBUFFERED": "1"},
                    preexec_fn=_small_stack)
    assert p.stdout.readline() == "ready\n"        # initialized, running
    time.sleep(0.5)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0 and err == ""
    assert int(out) > 0
