"""bench_forward -- forwarding throughput: source to sink, forward chain, pcap chain, C ceiling.

Run with ``pytest bench/bench_forward.py --benchmark-enable`` (disabled,
each benchmark runs once as a plain test). Scenarios and the ceiling loop
are clickpy.commands.bench's, the same ones ``clickpy bench`` runs:

  a        InfiniteSource(DATA frame, LIMIT N, BURST 64, STOP true) -> Discard
  b        InfiniteSource(...) -> Counter -> Strip(14) -> CheckIPHeader
             -> DecIPTTL -> Unstrip(14) -> Discard
  c        FromDump(N-packet pcap) -> Strip(14) -> CheckIPHeader
             [-> IPClassifier(udp, -)] -> Unstrip(14) -> ToDump | Discard
  ceiling  bench/ceiling.c, b's per-packet work as one C function

at 64-byte and 1500-byte frames. Each test prints packets/s and Gbit/s;
the forward chain also prints its ratio to the ceiling, the two run
alternately (target: 0.5 or more). Only ``router.run()`` is timed.
Times are the thread's CPU time (clickpy.commands.bench.CPU_CLOCK), so
that other work on a shared machine does not count. Nothing asserts on
time: the asserts check that every packet arrived.

CLICKPY_BENCH_PACKETS (default 1000000) sets N; CLICKPY_BENCH_PCAP_PACKETS
(default 1000000) the pcap's size.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402

from clickpy.commands import bench as cb  # noqa: E402

N = int(os.environ.get("CLICKPY_BENCH_PACKETS", "1000000"))
PCAP_N = int(os.environ.get("CLICKPY_BENCH_PCAP_PACKETS", "1000000"))
ROUNDS = 5
SIZES = (64, 1500)


def _report(capsys, label, size, packets, secs, extra=""):
    pps = packets / secs
    with capsys.disabled():
        print(f"\n  {label} {size} B: {pps:,.0f} packets/s, "
              f"{pps * size * 8 / 1e9:.2f} Gbit/s{extra}")
    return pps


def _bench_router(benchmark, text, rounds=ROUNDS, beside=None):
    """Times ``router.run()`` over fresh routers; (best seconds, last router).

    ``beside()``, when given, runs untimed before each round (the ceiling,
    so that both see the same machine load)."""
    from clickpy.runtime import clock
    from clickpy.runtime.router import Router
    clock.use_simulated_time(False)
    times, routers = [], []

    def setup():
        if beside is not None:
            beside()
        routers.append(Router.from_text(text, filename="bench.click"))
        return (routers[-1],), {}

    def target(router):
        t0 = cb.now()
        router.run()
        times.append(cb.now() - t0)

    benchmark.pedantic(target, setup=setup, rounds=rounds, iterations=1, warmup_rounds=0)
    return min(times), routers[-1]


@pytest.fixture(scope="module")
def ceiling_built():
    try:
        cb.load_ceiling()
    except cb.BenchError as e:
        pytest.skip(str(e))


@pytest.mark.parametrize("size", SIZES)
def test_ceiling(benchmark, capsys, ceiling_built, size):
    frame = cb.forward_frame(size)
    times = []
    benchmark.pedantic(lambda: times.append(cb.time_ceiling(frame, N)),
                       rounds=ROUNDS, iterations=1)
    pps = _report(capsys, "ceiling", size, N, min(times))
    benchmark.extra_info.update(packets=N, pps=pps)


@pytest.mark.parametrize("size", SIZES)
def test_source_to_sink(benchmark, capsys, size):
    secs, r = _bench_router(benchmark, cb.config_a(cb.forward_frame(size), N))
    assert r.read("d.count") == str(N)
    benchmark.extra_info.update(packets=N, pps=_report(capsys, "a: source -> sink", size,
                                                       N, secs))


@pytest.mark.parametrize("size", SIZES)
def test_forward_chain(benchmark, capsys, ceiling_built, size):
    frame = cb.forward_frame(size)
    ceiling_times = []
    secs, r = _bench_router(benchmark, cb.config_b(frame, N),
                            beside=lambda: ceiling_times.append(cb.time_ceiling(frame, N)))
    assert (r.read("c.count"), r.read("d.count")) == (str(N), str(N))
    ceiling = N / min(ceiling_times)
    ratio = N / secs / ceiling
    pps = _report(capsys, "b: forward chain", size, N, secs,
                  f", {ratio:.2f} of the C ceiling ({ceiling:,.0f} packets/s)")
    benchmark.extra_info.update(packets=N, pps=pps, ceiling_pps=ceiling, ratio=ratio)


@pytest.fixture(scope="module")
def pcap_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pcap")


@pytest.mark.parametrize("size", SIZES)
def test_pcap_chain(benchmark, capsys, pcap_dir, size):
    if not cb._runnable("FromDump"):
        pytest.skip("FromDump is not built yet")
    pcap = pcap_dir / f"forward-{size}.pcap"
    cb.write_pcap(pcap, cb.forward_frame(size), PCAP_N)
    try:
        text, desc = cb.config_c(pcap, pcap_dir / "out.pcap")
        secs, r = _bench_router(benchmark, text, rounds=3)
    finally:
        pcap.unlink(missing_ok=True)
    if r.element("d").class_name == "Discard":
        assert r.read("d.count") == str(PCAP_N)
    else:
        assert (pcap_dir / "out.pcap").stat().st_size == 24 + PCAP_N * (16 + size)
    (pcap_dir / "out.pcap").unlink(missing_ok=True)
    pps = _report(capsys, f"c: {desc}", size, PCAP_N, secs)
    benchmark.extra_info.update(packets=PCAP_N, pps=pps, chain=desc)
