"""test_queues -- SimpleQueue, Queue, ThreadSafeQueue, FrontDropQueue and Unqueue."""
import pytest
from harness import ints, router, run

import clickpy

QUEUES = ("SimpleQueue", "Queue", "ThreadSafeQueue", "FrontDropQueue")


def push_bytes(element, values):
    for v in values:
        element.push(0, clickpy.Packet(bytes([v])))


def drain(q):
    out = []
    while (p := q.pull(0)) is not None:
        out.append(bytes(p.data))
    return out


# -- overflow accounting -------------------------------------------------------

@pytest.mark.parametrize("cls", QUEUES)
def test_overflow_counts_without_output_1(cls):
    r = run(f"InfiniteSource(LIMIT 25, BURST 25) -> q :: {cls}(10) -> Idle;")
    assert ints(r, "q.length", "q.drops", "q.highwater_length", "q.capacity") == [10, 15, 10, 10]


@pytest.mark.parametrize("cls", QUEUES)
def test_overflow_goes_to_output_1(cls):
    r = run(f"""s :: InfiniteSource(LIMIT 25, BURST 7) -> q :: {cls}(10) -> Idle;
                q[1] -> c :: Counter -> Discard;""")
    sent, length, drops, over = ints(r, "s.count", "q.length", "q.drops", "c.count")
    # Queue and ThreadSafeQueue have full notifiers: the source sleeps after
    # the run that filled the queue (7 + 7 pushed, 4 over), as in Click.
    # SimpleQueue has none and FrontDropQueue is never full to a pusher.
    expected_drops = 4 if cls in ("Queue", "ThreadSafeQueue") else 15
    assert (length, drops, over) == (10, expected_drops, expected_drops)
    assert length + over == sent                     # nothing lost from the accounting


def test_default_capacity_is_1000():
    r = run("InfiniteSource(LIMIT 1200, BURST 1200) -> q :: Queue -> Idle;")
    assert ints(r, "q.capacity", "q.length", "q.drops") == [1000, 1000, 200]


def test_capacity_zero_refuses_everything():
    r = run("InfiniteSource(LIMIT 5) -> q :: Queue(0) -> Idle; q[1] -> c :: Counter -> Discard;")
    assert ints(r, "q.length", "q.drops", "c.count", "q.highwater_length") == [0, 5, 5, 0]


def test_unqueue_drains_and_accounts_for_every_packet():
    r = run("""InfiniteSource(LIMIT 100, BURST 100) -> q :: Queue(30)
                 -> u :: Unqueue(BURST 8) -> c :: Counter -> Discard;""")
    forwarded, dropped = ints(r, "c.count", "q.drops")
    assert (forwarded, dropped) == (30, 70)
    assert forwarded + dropped == 100
    assert ints(r, "u.count", "q.length", "q.highwater_length") == [30, 0, 30]


def test_discard_pulls_a_queue_empty():
    r = run("InfiniteSource(LIMIT 500, BURST 50) -> q :: Queue(64) -> d :: Discard(BURST 64);")
    assert ints(r, "d.count", "q.drops", "q.length") == [500, 0, 0]


# -- order: who survives ----------------------------------------------------

def test_fifo_keeps_first_and_refuses_later():
    r = router("Idle -> q :: SimpleQueue(4) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(10))
    assert r.element("s").data == [bytes([i]) for i in range(4, 10)]
    assert drain(q) == [bytes([i]) for i in range(4)]
    assert ints(r, "q.drops", "q.highwater_length", "q.length") == [6, 4, 0]


def test_frontdropqueue_pushes_out_oldest():
    r = router("Idle -> q :: FrontDropQueue(4) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(10))
    assert r.element("s").data == [bytes([i]) for i in range(6)]
    assert drain(q) == [bytes([i]) for i in range(6, 10)]
    assert ints(r, "q.drops", "q.highwater_length", "q.length") == [6, 4, 0]


def test_frontdropqueue_interleaved_pulls_keep_order():
    r = router("Idle -> q :: FrontDropQueue(3) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, [1, 2, 3])
    assert bytes(q.pull(0).data) == b"\x01"
    push_bytes(q, [4, 5])                            # 2 is pushed out by 5
    assert r.element("s").data == [b"\x02"]
    assert drain(q) == [b"\x03", b"\x04", b"\x05"]


def test_frontdropqueue_capacity_zero_refuses():
    r = router("Idle -> q :: FrontDropQueue(0) -> Idle; q[1] -> s :: Rec;")
    push_bytes(r.element("q"), [7, 8])
    assert r.element("s").data == [b"\x07", b"\x08"]
    assert ints(r, "q.drops", "q.length") == [2, 0]


def test_ring_wraps_many_times():
    r = router("Idle -> q :: Queue(5) -> Idle;")
    q = r.element("q")
    out = []
    for start in range(0, 200, 3):
        push_bytes(q, [start % 256, (start + 1) % 256, (start + 2) % 256])
        out += drain(q)[:3]
    assert out == [bytes([i % 256]) for i in range(0, 201 // 3 * 3)]
    assert ints(r, "q.drops", "q.highwater_length") == [0, 3]


# -- handlers -----------------------------------------------------------------

def test_highwater_and_reset_counts():
    r = router("Idle -> q :: Queue(10) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(6))
    for _ in range(4):
        q.pull(0)
    push_bytes(q, range(2))
    assert ints(r, "q.length", "q.highwater_length") == [4, 6]
    push_bytes(q, range(9))                          # 6 fit, 3 refused
    assert ints(r, "q.length", "q.highwater_length", "q.drops") == [10, 10, 3]
    r.write("q.reset_counts")
    assert ints(r, "q.drops", "q.highwater_length", "q.length") == [0, 10, 10]


def test_reset_empties_to_output_1():
    r = router("Idle -> q :: Queue(10) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(5))
    r.write("q.reset")
    assert r.element("s").data == [bytes([i]) for i in range(5)]
    assert ints(r, "q.length", "q.drops", "q.highwater_length") == [0, 0, 5]
    assert q.pull(0) is None


def test_reset_without_output_1_frees():
    r = router("Idle -> q :: Queue(10) -> Idle;")
    push_bytes(r.element("q"), range(5))
    r.write("q.reset")
    assert ints(r, "q.length", "q.drops") == [0, 0]


@pytest.mark.parametrize("cls, kept", [("Queue", range(5)), ("SimpleQueue", range(5)),
                                       ("FrontDropQueue", range(3, 8))])
def test_capacity_write_shrinks(cls, kept):
    r = router(f"Idle -> q :: {cls}(10) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(8))
    r.write("q.capacity", "5")
    assert ints(r, "q.capacity", "q.length", "q.drops") == [5, 5, 0]
    assert r.element("s").data == []                 # shrinking frees, it does not emit
    assert drain(q) == [bytes([i]) for i in kept]


def test_capacity_write_grows_and_keeps_packets():
    r = router("Idle -> q :: Queue(3) -> Idle; q[1] -> s :: Rec;")
    q = r.element("q")
    push_bytes(q, range(3))
    r.write("q.capacity", "6")
    push_bytes(q, range(3, 8))                       # 3 more fit, 2 refused
    assert ints(r, "q.capacity", "q.length", "q.drops") == [6, 6, 2]
    assert r.element("s").data == [b"\x06", b"\x07"]
    assert drain(q) == [bytes([i]) for i in range(6)]


def test_capacity_write_rejects_bad_values():
    r = router("Idle -> q :: Queue(3) -> Idle;")
    for bad in ("abc", "-1", "99999999999"):
        with pytest.raises(ValueError):
            r.write("q.capacity", bad)
    assert r.read("q.capacity") == "3"


def test_bad_capacity_argument():
    with pytest.raises(Exception, match="CAPACITY"):
        router("Idle -> q :: Queue(-4) -> Idle;")


def test_overflow_is_reported_once(capfd):
    run("InfiniteSource(LIMIT 20, BURST 20) -> q :: Queue(5) -> Idle;")
    err = capfd.readouterr().err
    assert err.count("q :: Queue: overflow") == 1


# -- Unqueue ------------------------------------------------------------------

def test_unqueue_burst_per_run():
    r = router("""s :: InfiniteSource(LIMIT 50, BURST 50) -> q :: Queue
                 -> u :: Unqueue(BURST 8) -> c :: Counter -> Discard;""")
    r.element("s").run_task_once()
    u = r.element("u")
    assert u.run_task_once() is True
    assert ints(r, "c.count", "q.length") == [8, 42]
    for _ in range(5):
        u.run_task_once()
    assert ints(r, "c.count", "u.count") == [48, 48]
    assert u.run_task_once() is True                 # the last 2
    assert u.run_task_once() is False                # empty
    assert ints(r, "c.count", "u.count") == [50, 50]


def test_unqueue_default_burst_is_one():
    r = router("s :: InfiniteSource(LIMIT 5, BURST 5) -> Queue -> u :: Unqueue -> c :: Counter -> Discard;")
    r.element("s").run_task_once()
    r.element("u").run_task_once()
    assert ints(r, "c.count", "u.burst") == [1, 1]


def test_unqueue_negative_burst_takes_everything():
    r = router("""s :: InfiniteSource(LIMIT 300, BURST 300) -> Queue
                 -> u :: Unqueue(-1) -> c :: Counter -> Discard;""")
    r.element("s").run_task_once()
    r.element("u").run_task_once()
    assert ints(r, "c.count", "u.burst") == [300, 2147483647]


def test_unqueue_limit_and_handlers():
    r = run("""InfiniteSource(LIMIT 50, BURST 50) -> q :: Queue
               -> u :: Unqueue(BURST 8, LIMIT 20) -> c :: Counter -> Discard;""")
    assert ints(r, "c.count", "u.count", "q.length", "u.limit") == [20, 20, 30, 20]
    assert r.read("u.scheduled") == "false"          # asleep at its limit
    u = r.element("u")
    r.write("u.limit", "25")
    assert r.read("u.scheduled") == "true"
    assert u.run_task_once() is True                 # 5 more, not 8
    assert u.run_task_once() is False
    assert ints(r, "c.count", "u.count") == [25, 25]
    r.write("u.reset")                               # LIMIT more may pass
    for _ in range(4):
        u.run_task_once()
    assert ints(r, "c.count", "u.count", "q.length") == [50, 25, 0]


def test_unqueue_inactive_then_activated():
    r = run("""InfiniteSource(LIMIT 10, BURST 10) -> q :: Queue
               -> u :: Unqueue(BURST 4, ACTIVE false) -> c :: Counter -> Discard;""")
    assert ints(r, "c.count", "q.length") == [0, 10]
    assert r.read("u.active") == "false"
    r.write("u.active", "true")
    r.write("u.burst", "-5")
    assert r.read("u.burst") == "2147483647"
    r.element("u").run_task_once()
    assert ints(r, "c.count", "q.length") == [10, 0]


def test_unqueue_pushes_batches_to_a_python_sink():
    r = router("""s :: InfiniteSource(LIMIT 9, BURST 9) -> q :: Queue(4)
                 -> u :: Unqueue(BURST 64) -> k :: Rec;""")
    r.element("s").run_task_once()
    r.element("u").run_task_once()
    assert len(r.element("k").records) == 4
    assert ints(r, "q.drops", "u.count") == [5, 4]
