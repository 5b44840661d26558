"""bench_iprouter -- the IP router's forwarding path against the C ceiling.

Run with ``pytest bench/bench_iprouter.py --benchmark-enable -s`` (without
--benchmark-enable each benchmark runs once as a plain test). The chain is
configs/iprouter.click's path for a packet arriving on interface 0 for a
host on net 1, fed by a generator instead of FromDump:

  InfiniteSource(DATA frame, LIMIT N, BURST 64, STOP true)
    -> Classifier(ARP query, ARP reply, IP, -) -> Paint(1) -> Strip(14)
    -> CheckIPHeader(INTERFACES ...) -> GetIPAddress(16) -> RadixIPLookup(...)
    -> DropBroadcasts -> PaintTee(2) -> IPGWOptions -> FixIPSrc -> DecIPTTL
    -> IPFragmenter(1500) -> ARPQuerier -> d :: Discard
  (the error outputs of PaintTee, IPGWOptions, DecIPTTL and IPFragmenter
  feed a Counter that must stay at zero, in place of the ICMPErrors)

with the next hop's Ethernet address written into the ARPQuerier through
its ``insert`` handler before the run, so every packet is encapsulated and
none waits. The frame is clickpy.commands.bench's forward frame (10.0.0.2
to 10.0.1.2, 64 or 1500 bytes). The ceiling is bench/ceiling.c, built and
timed the same way as bench_forward.py and ``clickpy bench`` do, run
before each round so both see the same machine load; its loop does less
work per packet (no classification, lookup or re-encapsulation), so the
ratio is a floor for the structure's cost. Target: at least 0.25.

Only ``router.run()`` is timed, on the running thread's CPU clock
(clickpy.commands.bench.CPU_CLOCK). Nothing asserts on time: the asserts
check that every packet was forwarded, with the right headers.
CLICKPY_BENCH_PACKETS (default 1000000) sets N.
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402

from clickpy.commands import bench as cb  # noqa: E402

N = int(os.environ.get("CLICKPY_BENCH_PACKETS", "1000000"))
ROUNDS = 5
SIZES = (64, 1500)

R0_IP, R0_MAC = "10.0.0.1", "00:00:c0:ae:67:ef"
R1_IP, R1_MAC = "10.0.1.1", "00:00:c0:4f:71:ef"
HOST_IP, HOST_MAC = "10.0.1.2", "02:00:00:00:00:0b"      # the frame's destination


def config(frame: bytes, n: int) -> str:
    """The forwarding path of configs/iprouter.click, interface 0 to 1."""
    return f"""
src :: InfiniteSource(DATA {cb._hex(frame)}, LIMIT {n}, BURST 64, STOP true);
c0 :: Classifier(12/0806 20/0001, 12/0806 20/0002, 12/0800, -);
rt :: RadixIPLookup({R0_IP}/32 0, 10.0.0.255/32 0, {R1_IP}/32 0, 10.0.1.255/32 0,
                    255.255.255.255/32 0, 0.0.0.0/32 0,
                    10.0.0.0/24 1, 10.0.1.0/24 2, 0.0.0.0/0 10.0.0.254 1);
arpq1 :: ARPQuerier({R1_IP}, {R1_MAC});
d :: Discard;
src -> c0;
c0[0], c0[1], c0[3] => Discard, Discard, Discard;
c0[2] -> Paint(1) -> Strip(14) -> CheckIPHeader(INTERFACES {R0_IP}/24 {R1_IP}/24)
      -> GetIPAddress(16) -> rt;
rt[0], rt[1] => Discard, Discard;
rt[2] -> DropBroadcasts -> pt :: PaintTee(2) -> gio :: IPGWOptions({R1_IP})
      -> FixIPSrc({R1_IP}) -> dt :: DecIPTTL -> fr :: IPFragmenter(1500) -> arpq1 -> d;
pt[1], gio[1], dt[1], fr[1] -> errors :: Counter -> Discard;
Idle -> [1]arpq1;
"""


def expected_frame(frame: bytes) -> bytes:
    """What the router sends: new MACs, TTL - 1, checksum patched."""
    ip = bytearray(frame[14:])
    ip[8] -= 1
    ip[10:12] = b"\0\0"
    ip[10:12] = cb._inet_checksum(bytes(ip[:20])).to_bytes(2, "big")
    mac = bytes.fromhex
    return mac(HOST_MAC.replace(":", "")) + mac(R1_MAC.replace(":", "")) + b"\x08\x00" + ip


def make_router(text: str):
    from clickpy.runtime.router import Router
    r = Router.from_text(text, filename="bench_iprouter.click")
    r.write("arpq1.insert", f"{HOST_IP} {HOST_MAC}")
    return r


@pytest.fixture(scope="module")
def ceiling_built():
    try:
        cb.load_ceiling()
    except cb.BenchError as e:
        pytest.skip(str(e))


@pytest.mark.parametrize("size", SIZES)
def test_path_forwards_correctly(tmp_path, size):
    """The benchmarked chain really forwards: three frames, checked byte for byte."""
    from scapy.layers.l2 import Ether  # registers the Ethernet link type for rdpcap
    from scapy.utils import rdpcap

    from clickpy.runtime import clock
    frame = cb.forward_frame(size)
    out = tmp_path / "out.pcap"
    clock.use_simulated_time(True)
    try:
        r = make_router(config(frame, 3).replace("-> arpq1 -> d;",
                                                 f"-> arpq1 -> ToDump({out}) -> d;"))
        r.run()
    finally:
        clock.use_simulated_time(False)
    got = rdpcap(str(out))
    assert all(isinstance(p, Ether) for p in got)
    assert [bytes(p) for p in got] == [expected_frame(frame)] * 3
    assert r.read("d.count") == "3" and r.read("arpq1.queries") == "0"
    assert r.read("errors.count") == "0"


@pytest.mark.parametrize("size", SIZES)
def test_iprouter_forwarding(benchmark, capsys, ceiling_built, size):
    from clickpy.runtime import clock
    clock.use_simulated_time(False)
    frame = cb.forward_frame(size)
    text = config(frame, N)
    times, ceiling_times, routers = [], [], []

    def setup():
        ceiling_times.append(cb.time_ceiling(frame, N))
        routers.append(make_router(text))
        return (routers[-1],), {}

    def target(router):
        t0 = cb.now()
        router.run()
        times.append(cb.now() - t0)

    benchmark.pedantic(target, setup=setup, rounds=ROUNDS, iterations=1, warmup_rounds=0)
    r = routers[-1]
    assert r.read("d.count") == str(N)
    assert r.read("arpq1.queries") == "0" and r.read("arpq1.drops") == "0"
    assert r.read("errors.count") == "0"
    pps = N / min(times)
    ceiling = N / min(ceiling_times)
    ratio = pps / ceiling
    with capsys.disabled():
        print(f"\n  iprouter path {size} B: {pps:,.0f} packets/s, "
              f"{pps * size * 8 / 1e9:.2f} Gbit/s, {ratio:.2f} of the C ceiling "
              f"({ceiling:,.0f} packets/s)")
    benchmark.extra_info.update(packets=N, pps=pps, ceiling_pps=ceiling, ratio=ratio)
