"""Notifiers: queues wake the tasks that wait on them, as Click's do.

A pusher (InfiniteSource) sleeps while the queues downstream are full; a
puller (Unqueue, RatedUnqueue) sleeps while the queues upstream are empty.
Counts below follow from that rule, and match Click 2.1 on the same
configurations.
"""
from harness import ints, run


def calls(r, name):
    """RatedUnqueue's calls handler as {'calls to run_task()': n, ...}."""
    out = {}
    for line in r.read(f"{name}.calls").splitlines():
        n, _, what = line.partition(" ")
        out[what] = int(n)
    return out


def test_source_sleeps_while_queue_is_full():
    r = run("""s :: InfiniteSource(LIMIT 1000) -> q :: Queue(10)
                 -> RatedUnqueue(100) -> c :: Counter -> Discard;
               DriverManager(wait 1s, stop);""")
    # 100 tokens a second plus one at the start leave the queue; the source
    # refills it as room appears and never overflows it
    assert ints(r, "s.count", "q.drops", "c.count", "q.length") == [111, 0, 101, 10]


def test_queue_without_full_notifier_overflows():
    r = run("""s :: InfiniteSource(LIMIT 1000) -> q :: SimpleQueue(10)
                 -> RatedUnqueue(100) -> c :: Counter -> Discard;
               DriverManager(wait 1s, stop);""")
    sent, drops, passed, length = ints(r, "s.count", "q.drops", "c.count", "q.length")
    assert sent == 1000 and drops > 0
    assert sent == drops + passed + length


def test_growing_capacity_wakes_the_source():
    r = run("""s :: InfiniteSource -> q :: Queue(5) -> Idle;
               Script(wait 1, write q.capacity 12, wait 1, stop);""")
    assert ints(r, "s.count", "q.length", "q.drops") == [12, 12, 0]


def test_puller_sleeps_on_an_empty_queue():
    # RatedSource's timer makes the driver run rounds 100 times; a puller
    # without a notifier would run in each
    r = run("""RatedSource(RATE 100, LIMIT 100) -> Discard;
               Idle -> q :: Queue -> u :: RatedUnqueue(1000) -> Discard;
               DriverManager(wait 1s, stop);""")
    assert calls(r, "u") == {"calls to run_task()": 1, "empty runs": 1,
                             "pushes": 0, "failed pulls": 1}


def test_signal_passes_through_agnostic_elements():
    r = run("""RatedSource(RATE 100, LIMIT 100) -> Discard;
               Idle -> q :: Queue -> Null -> Strip(0) -> u :: RatedUnqueue(1000) -> Discard;
               DriverManager(wait 1s, stop);""")
    assert calls(r, "u")["calls to run_task()"] == 1


def test_idle_upstream_puts_the_puller_to_sleep():
    r = run("""RatedSource(RATE 100, LIMIT 100) -> Discard;
               Idle -> u :: RatedUnqueue(1000) -> Discard;
               DriverManager(wait 1s, stop);""")
    assert calls(r, "u")["calls to run_task()"] == 1


def test_puller_without_notifier_keeps_polling():
    # a pull-mode InfiniteSource has no empty notifier here: the signal is
    # busy, so RatedUnqueue runs in every round
    r = run("""RatedSource(RATE 100, LIMIT 100) -> Discard;
               InfiniteSource(LIMIT 0) -> u :: RatedUnqueue(1000) -> Discard;
               DriverManager(wait 1s, stop);""")
    assert calls(r, "u")["calls to run_task()"] > 50


def test_each_arrival_wakes_the_puller_once():
    r = run("""RatedSource(RATE 100, LIMIT 100) -> Discard;
               RatedSource(RATE 10, LIMIT 5) -> q :: Queue
                 -> u :: RatedUnqueue(1000) -> c :: Counter -> Discard;
               DriverManager(wait 1s, stop);""")
    # every run forwards a packet or finds the queue empty and sleeps until
    # the next arrival wakes it: never two failed pulls in a row
    runs = calls(r, "u")
    assert ints(r, "c.count") == [5] and runs["pushes"] == 5
    assert 1 <= runs["failed pulls"] <= 5
    assert runs["calls to run_task()"] == runs["pushes"] + runs["failed pulls"]


def test_push_to_a_full_notifier_through_a_tee():
    # both queues must be full before the source sleeps
    r = run("""s :: InfiniteSource(LIMIT 100) -> t :: Tee;
               t[0] -> a :: Queue(3) -> Idle;
               t[1] -> b :: Queue(6) -> Idle;
               DriverManager(wait 1s, stop);""")
    assert ints(r, "s.count", "a.length", "a.drops", "b.length", "b.drops") == [6, 3, 3, 6, 0]
