"""bench_classify -- IPFilter with 10, 100 and 1000 rules on 64-byte packets.

Run with ``pytest bench/bench_classify.py --benchmark-enable`` (disabled,
each benchmark runs once as a plain test). Each round pushes PACKETS
Ethernet/IPv4/TCP frames of 64 bytes through

    InfiniteSource(DATA ..., LIMIT PACKETS, BURST 64, STOP true)
      -> MarkIPHeader(14) -> IPFilter(RULES) -> Discard

where rule i is ``allow src host 10.0.I/256.I%256 and dst port 1000+I``.
The packet matches the last rule (a linear scan's worst case), or none
("miss"). ``baseline`` is the same chain without the IPFilter; packets/s
are in each benchmark's extra_info. Nothing here asserts on time; the
asserts check that every packet went where it should.
"""
from __future__ import annotations

import pytest

PACKETS = 200_000
RULE_COUNTS = (10, 100, 1000)


def rules(n: int) -> list[str]:
    return [f"allow src host 10.0.{i // 256}.{i % 256} and dst port {1000 + i}"
            for i in range(n)]


def frame(src: str, dport: int) -> bytes:
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    pkt = Ether() / IP(src=src, dst="192.168.0.1") / TCP(sport=40000, dport=dport)
    data = bytes(pkt)
    return data + bytes(64 - len(data))                 # 64 bytes on the wire


def config(data: bytes, rule_list: list[str] | None) -> str:
    head = (f"src :: InfiniteSource(DATA \\<{data.hex()}>, LIMIT {PACKETS}, BURST 64, STOP true)"
            " -> MarkIPHeader(14)")
    if rule_list is None:
        return head + " -> c :: Counter -> Discard;"
    return head + f" -> f :: IPFilter({', '.join(rule_list)}) -> c :: Counter -> Discard;"


def _router(text):
    from clickpy.runtime import clock
    from clickpy.runtime.router import Router
    clock.use_simulated_time(False)
    return Router.from_text(text, filename="bench.click")


def _bench(benchmark, text, expect):
    """Times ``run()`` only: building the router (and compiling the rules)
    happens in the round's setup."""
    import time
    times, routers = [], []

    def setup():
        routers.append(_router(text))
        return (routers[-1],), {}

    def once(r):
        t0 = time.perf_counter()
        r.run()
        times.append(time.perf_counter() - t0)

    benchmark.pedantic(once, setup=setup, rounds=5, warmup_rounds=1)
    assert int(routers[-1].read("c.count")) == expect
    best = min(times)
    benchmark.extra_info["packets_per_s"] = round(PACKETS / best)
    print(f"\n{benchmark.name}: {PACKETS / best / 1e6:.2f} Mpps (best of {len(times)})")


def test_baseline(benchmark):
    _bench(benchmark, config(frame("10.0.0.1", 1000), None), PACKETS)


@pytest.mark.parametrize("n", RULE_COUNTS)
def test_ipfilter_last_rule(benchmark, n):
    i = n - 1
    _bench(benchmark, config(frame(f"10.0.{i // 256}.{i % 256}", 1000 + i), rules(n)), PACKETS)


@pytest.mark.parametrize("n", RULE_COUNTS)
def test_ipfilter_miss(benchmark, n):
    _bench(benchmark, config(frame("10.9.9.9", 80), rules(n)), 0)


@pytest.mark.parametrize("n", RULE_COUNTS)
def test_compile_time(benchmark, n):
    from clickpy.elements.standard.classification.ipfilter import parse_ipfilter
    program = benchmark.pedantic(parse_ipfilter, args=(rules(n), 1),
                                 rounds=3, iterations=1)
    assert program.nodes
