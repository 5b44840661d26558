"""bench_lookup -- IP lookup elements on 100,000 random routes: build time, lookups/s, packets/s.

Run with ``pytest bench/bench_lookup.py --benchmark-enable`` (benchmarks are
disabled by default; disabled, each runs once as a plain test). Nothing here
asserts on time; the asserts check that every element finds the same routes.

- build: configure and initialize a router holding the table (route text
  parsing included), per element;
- lookups: ``bench_lookups`` runs the element's C lookup over an array of
  random addresses, no packets involved;
- packets: ``InfiniteSource(BURST 64)`` -> the lookup element -> Discard;
  the packets carry destination annotation 0.0.0.0, so each takes the
  default route (one table walk each; the annotation is never set without
  GetIPAddress).
"""
from __future__ import annotations

import array
import os
import random
import time

import pytest

from clickpy.runtime.router import Router

ROUTES = int(os.environ.get("CLICKPY_BENCH_ROUTES", "100000"))
LOOKUPS = 1_000_000
LINEAR_ROUTES = 1000            # LinearIPLookup and StaticIPLookup scan every route
PACKETS = 200_000
ELEMENTS = ("RadixIPLookup", "DirectIPLookup", "RangeIPLookup", "LinearIPLookup",
            "StaticIPLookup")

# prefix lengths, weighted roughly like a BGP table (most routes /16-/24)
LENGTHS = [8] * 1 + [12] * 2 + [16] * 10 + [18] * 5 + [20] * 10 + [22] * 15 + [24] * 50 \
    + [28] * 4 + [32] * 3


def random_routes(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    seen = set()
    out = ["0.0.0.0/0 10.0.0.1 0"]
    while len(out) < n:
        plen = rng.choice(LENGTHS)
        net = rng.getrandbits(32) & ((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF)
        if (net, plen) in seen:
            continue
        seen.add((net, plen))
        gw = f" 10.0.{rng.randrange(256)}.{rng.randrange(1, 255)}" if rng.random() < 0.5 else ""
        a = f"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}.{net & 255}"
        out.append(f"{a}/{plen}{gw} {rng.randrange(4)}")
    return out


def config(cls: str, routes: list[str], source: bool = False) -> str:
    head = (f"InfiniteSource(LENGTH 64, LIMIT {PACKETS}, BURST 64, STOP true)"
            if source else "InfiniteSource(ACTIVE false)")
    return (f"{head} -> rt :: {cls}({', '.join(routes)});"
            " rt[0] -> Discard; rt[1] -> Discard; rt[2] -> Discard; rt[3] -> Discard;")


def table_size(cls: str) -> int:
    return LINEAR_ROUTES if cls in ("LinearIPLookup", "StaticIPLookup") else ROUTES


@pytest.fixture(scope="module")
def routes():
    return random_routes(ROUTES)


@pytest.fixture(scope="module")
def addresses():
    rng = random.Random(2)
    return array.array("I", (rng.getrandbits(32) for _ in range(LOOKUPS)))


@pytest.mark.parametrize("cls", ELEMENTS)
def test_build(benchmark, cls, routes):
    text = config(cls, routes[:table_size(cls)])
    r = benchmark.pedantic(Router.from_text, args=(text,), rounds=1, iterations=1)
    assert len(r.read("rt.table").splitlines()) == table_size(cls)


@pytest.mark.parametrize("cls", ELEMENTS)
def test_lookups(benchmark, cls, routes, addresses):
    r = Router.from_text(config(cls, routes[:table_size(cls)]))
    rt = r.element("rt")
    addrs = addresses if table_size(cls) == ROUTES else addresses[:LOOKUPS // 100]
    total = benchmark(rt.bench_lookups, addrs)
    benchmark.extra_info["lookups"] = len(addrs)
    # every element finds the same routes (sum of output ports)
    ref = Router.from_text(config("RadixIPLookup", routes[:table_size(cls)]))
    assert total == ref.element("rt").bench_lookups(addrs)


@pytest.mark.parametrize("cls", ELEMENTS)
def test_packets(benchmark, cls, routes):
    text = config(cls, routes[:table_size(cls)], source=True)

    def run():
        r = Router.from_text(text)
        t0 = time.perf_counter()
        r.run()
        return time.perf_counter() - t0

    elapsed = benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["packets_per_s"] = round(PACKETS / elapsed)
