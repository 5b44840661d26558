"""stack -- how deep a router's data path recurses, and a thread with a stack to hold it.

A push goes from element to element as nested C calls (Click's model), so a
chain of N elements needs N stack frames: an action element's frame holds
one 64-packet run, about 620 bytes measured, and the main thread's 8 MB
stack ends near 13,500 of them. A router whose longest chain needs more
runs its driver on a thread whose stack is sized for that chain.
"""
from __future__ import annotations

import resource
import threading

HOP_BYTES = 1024                # a compiled element's frame, rounded up from ~620 bytes
PYTHON_HOP_BYTES = 64 * 1024    # a Python element: interpreter frames between C frames
RESERVE_BYTES = 2 << 20         # the interpreter's own frames below the driver
STACK_MAX = 1 << 30             # the largest stack a driver thread asks for


def chain_bytes(nelements: int, connections, is_python) -> int:
    """Stack the deepest chain of connected elements needs, in bytes.

    ``connections`` are (from, to) element indices; ``is_python(i)`` tells
    Python elements. Cycles count once around (the walk skips back edges).
    Iterative, so a 100,000-element chain costs no Python recursion.
    """
    succ: list[list[int]] = [[] for _ in range(nelements)]
    for a, b in connections:
        succ[a].append(b)
    weight = [PYTHON_HOP_BYTES if is_python(i) else HOP_BYTES for i in range(nelements)]
    depth = [0] * nelements
    state = [0] * nelements         # 0 new, 1 on the walk's stack, 2 done
    best = 0
    for root in range(nelements):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]
        while stack:
            v, i = stack[-1]
            if i < len(succ[v]):
                stack[-1] = (v, i + 1)
                u = succ[v][i]
                if state[u] == 0:
                    state[u] = 1
                    stack.append((u, 0))
                continue
            stack.pop()
            state[v] = 2
            # successors still on the walk's stack are back edges: not counted
            depth[v] = weight[v] + max((depth[u] for u in succ[v] if state[u] == 2), default=0)
            best = max(best, depth[v])
    return best


def main_thread_stack_bytes() -> int:
    """The main thread's stack limit (RLIMIT_STACK); unlimited counts as 8 MB,
    since the kernel may still place other mappings below it."""
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return 8 << 20 if soft == resource.RLIM_INFINITY else soft


def needs_own_stack(need: int) -> int:
    """0 when the main thread's stack holds ``need`` bytes of chain, else the
    stack size (bytes, page-rounded) a driver thread should have."""
    if need + RESERVE_BYTES <= main_thread_stack_bytes():
        return 0
    size = min(need * 2 + RESERVE_BYTES, STACK_MAX)
    return (size + 0xFFFF) & ~0xFFFF


def run_on_own_stack(run, size: int, driver) -> None:
    """Runs ``run()`` on a thread with a ``size``-byte stack; the main thread
    turns SIGINT/SIGTERM into stop requests meanwhile. Exceptions in ``run``
    are raised here."""
    failure: list[BaseException] = []

    def target():
        try:
            run()
        except BaseException as err:    # handed to the main thread
            failure.append(err)

    old = threading.stack_size(size)
    try:
        thread = threading.Thread(target=target, name="clickpy-driver", daemon=True)
        thread.start()
    finally:
        threading.stack_size(old)
    with driver.handling_signals():
        while thread.is_alive():
            thread.join(0.1)
    if failure:
        raise failure[0]
