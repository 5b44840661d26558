"""test_rates -- RatedSource, TimedSource, RatedUnqueue, BandwidthRatedUnqueue under simulated time.

Expected instants follow Click's token bucket (include/click/tokenbucket.hh):
1 ms ticks, a 32-bit token fraction, a bucket that starts full. For RATE 10
the bucket holds 2 tokens and a tick adds 21474836 of the 2147483647
fractional units a token needs, so after the initial two packets the next
token takes ceil(2147483646 / 21474836) = 101 ticks, then 100 ticks each.
"""
import pytest
from harness import SIM_START, at, config_error, router, simulated_time

from clickpy.errors import ClickError
from clickpy.runtime import clock

T0 = SIM_START                          # simulated time starts at 1000000000 s
MS = 1_000_000


def arrivals_ms(sink):
    """When each packet reached ``sink``, in ms since T0."""
    return [(x.arrival - T0) / MS for x in sink.records]


def run(text):
    """Runs under simulated time; returns the router and the instant it stopped."""
    with simulated_time():
        r = router(text)
        r.run()
        end = clock.now_nanoseconds()
    return r, end


# -- RatedSource ----------------------------------------------------------------

def test_ratedsource_rate_10_matches_click_instants():
    r, end = run("RatedSource(RATE 10, LIMIT 20, STOP true) -> c :: Counter -> s :: Rec;")
    s = r.element("s")
    expected = [0, 0] + [101 + 100 * k for k in range(18)]
    assert arrivals_ms(s) == expected
    assert [x.timestamp for x in s.records] == [T0 + ms * MS for ms in expected]
    assert r.read("c.count") == "20"
    assert end == T0 + 1801 * MS                    # stops right after the 20th packet


def test_ratedsource_rate_1000_one_per_tick_after_burst():
    # RATE >= 200: the bucket holds RATE / 100 = 10 tokens, one token per tick
    r, _ = run("RatedSource(RATE 1000, LIMIT 100, STOP true) -> s :: Rec;")
    assert arrivals_ms(r.element("s")) == [0] * 10 + list(range(1, 91))


def test_ratedsource_count_after_one_simulated_second():
    # TimedSource with LIMIT 0 and STOP fires once, at +1 s, and stops the router
    r, end = run("""RatedSource(RATE 10) -> s :: Rec;
                    TimedSource(1s, LIMIT 0, STOP true) -> Discard;""")
    assert end == T0 + 1000 * MS
    assert arrivals_ms(r.element("s")) == [0, 0] + [101 + 100 * k for k in range(9)]


def test_ratedsource_data_length_and_handlers():
    r, _ = run(r"RatedSource(\<0a0b0c>, 50, 3, LENGTH 7, STOP true) -> s :: Rec;")
    assert r.element("s").data == [bytes.fromhex("0a0b0c0a0b0c0a")] * 3
    assert [r.read(f"RatedSource@1.{h}") for h in ("count", "rate", "limit", "length")] \
        == ["3", "50", "3", "7"]
    r.write("RatedSource@1.rate", "1000")
    r.write("RatedSource@1.limit", "-5")
    assert (r.read("RatedSource@1.rate"), r.read("RatedSource@1.limit")) == ("1000", "-1")


def test_sources_default_packet_is_clicks():
    click_data = b"Random bullshit in a packet, at least 64 bytes long. Well, now it is."
    for source in ("RatedSource(LIMIT 1, STOP true)", "InfiniteSource(LIMIT 1, STOP true)",
                   "TimedSource(0.001, LIMIT 1, STOP true)"):
        r, _ = run(f"{source} -> s :: Rec;")
        assert r.element("s").data[0] == click_data, source


def test_ratedsource_inactive_sends_nothing():
    r, end = run("src :: RatedSource(ACTIVE false, LIMIT 5, STOP true) -> s :: Rec;")
    assert (r.element("s").records, end, r.read("src.count")) == ([], T0, "0")


def test_ratedsource_reset_sends_limit_again():
    with simulated_time():
        r = router("src :: RatedSource(RATE 1000, LIMIT 3) -> s :: Rec;")
        r.run()
        r.write("src.reset")
        assert r.read("src.scheduled") == "true"
    assert len(r.element("s").records) == 3


def test_ratedsource_bandwidth_sets_rate():
    with simulated_time():
        r = router("src :: RatedSource(LENGTH 64, BANDWIDTH 6400Bps, LIMIT 1) -> Discard;")
    assert r.read("src.rate") == "100"


def test_ratedsource_bandwidth_needs_a_length():
    with pytest.raises(ClickError), simulated_time():
        router('RatedSource("", BANDWIDTH 1kBps) -> Discard;')


def test_ratedsource_pull_gives_what_the_bucket_allows():
    with simulated_time():
        r = router("src :: RatedSource(RATE 1000, LIMIT 20) -> u :: Unqueue(BURST 64) -> s :: Rec;")
        src = r.element("src")
        got = []
        while (p := src.pull(0)) is not None:
            got.append(p)
        assert len(got) == 10                        # the full bucket at the start
        at(0.003)
        while (p := src.pull(0)) is not None:
            got.append(p)
        assert len(got) == 13                        # one token per elapsed tick
        assert [p.timestamp_ns for p in got[-3:]] == [T0 + 3 * MS] * 3
        at(0.1)
        while (p := src.pull(0)) is not None:
            got.append(p)
        assert len(got) == 20 and r.read("src.count") == "20"   # LIMIT


# -- TimedSource ----------------------------------------------------------------

def test_timedsource_interval_limit_stop():
    r, end = run(r"t :: TimedSource(100ms, \<aa>, LIMIT 5, STOP true) -> s :: Rec;")
    s = r.element("s")
    assert arrivals_ms(s) == [100, 200, 300, 400, 500]
    assert [x.timestamp for x in s.records] == [T0 + k * 100 * MS for k in range(1, 6)]
    assert s.data == [b"\xaa"] * 5
    assert end == T0 + 600 * MS                      # one interval after the last packet
    assert [r.read(f"t.{h}") for h in ("count", "interval", "limit")] == ["5", "100ms", "5"]


def test_timedsource_default_interval_and_no_stop():
    r, end = run("TimedSource(LIMIT 3) -> s :: Rec;")
    assert arrivals_ms(r.element("s")) == [500, 1000, 1500]
    assert end == T0 + 2000 * MS                     # the last firing finds LIMIT reached


def test_timedsource_odd_interval_does_not_drift():
    r, _ = run("TimedSource(0.333, LIMIT 4, STOP true) -> s :: Rec;")
    assert [x.arrival - T0 for x in r.element("s").records] == [333 * k * MS for k in range(1, 5)]


def test_timedsource_bad_interval_write():
    with simulated_time():
        r = router("t :: TimedSource(1s) -> Discard;")
        with pytest.raises(ValueError):
            r.write("t.interval", "0")
        r.write("t.interval", "250ms")
        assert r.read("t.interval") == "250ms"


# -- RatedUnqueue ---------------------------------------------------------------

def test_ratedunqueue_rate_10_is_101_ms_apart():
    # 20 ms of RATE 10 is no whole token: the bucket holds 1, and 100 ticks of
    # 42949672 fall 95 units short of a token, so each takes 101 ticks
    r, _ = run("InfiniteSource(LIMIT 10) -> q :: Queue -> r :: RatedUnqueue(10) -> s :: Rec;")
    assert arrivals_ms(r.element("s")) == [101 * k for k in range(10)]
    assert r.read("r.rate") == "10"
    assert r.read("r.calls").splitlines()[2] == "10 pushes"


@pytest.mark.parametrize("extra, burst", [("", 20), (", BURST_SIZE 5", 5),
                                          (", BURST_DURATION 10ms", 10)])
def test_ratedunqueue_burst_then_one_per_tick(extra, burst):
    r, _ = run(f"InfiniteSource(LIMIT 30) -> Queue -> RatedUnqueue(1000{extra}) -> s :: Rec;")
    assert arrivals_ms(r.element("s")) == [0] * burst + list(range(1, 31 - burst))


def test_ratedunqueue_rejects_both_burst_settings():
    assert "cannot specify both BURST_DURATION and BURST_SIZE" in str(
        config_error("Idle -> Queue -> RatedUnqueue(10, BURST_SIZE 2, BURST_DURATION 1s) -> Discard;"))


def test_ratedunqueue_rate_write_and_active():
    with simulated_time():
        r = router("Idle -> Queue -> r :: RatedUnqueue(10) -> Discard;")
        r.write("r.rate", "5000")
        # Click reads the rate back as (ticks * 1000 + half a tick) / scale:
        # 214748360 units a tick over 42949672 a token reads 5002, as in Click
        assert r.read("r.rate") == "5002"
        r.write("r.active", "false")
        assert r.read("r.active") == "false"
        with pytest.raises(ValueError):
            r.write("r.rate", "fast")


def test_ratedsource_through_queue_and_unqueue():
    r, end = run("""RatedSource(RATE 1000, LIMIT 30, STOP true) -> q :: Queue
                    -> Unqueue -> s :: Rec;""")
    assert arrivals_ms(r.element("s")) == [0] * 10 + list(range(1, 21))
    assert end == T0 + 20 * MS and r.read("q.drops") == "0"


# -- BandwidthRatedUnqueue ----------------------------------------------------

def test_bandwidthratedunqueue_bytes_per_second():
    # 100000 B/s: 2000 bytes of burst plus the 131072 threshold; 1000-byte
    # packets pass while 131072 remain, then one per 10 ticks
    r, _ = run("""InfiniteSource(LIMIT 10, LENGTH 1000) -> Queue
                  -> b :: BandwidthRatedUnqueue(100kBps) -> s :: Rec;""")
    assert arrivals_ms(r.element("s")) == [0, 0, 0] + [10 * k for k in range(1, 8)]
    assert r.read("b.rate") == "800.4kbps"           # what the bucket realizes, as Click's


def test_bandwidthratedunqueue_burst_bytes():
    r, _ = run("""InfiniteSource(LIMIT 6, LENGTH 500) -> Queue
                  -> BandwidthRatedUnqueue(1MBps, BURST_BYTES 1000) -> s :: Rec;""")
    # capacity 132072 bytes: a full bucket passes 3 packets of 500 before
    # fewer than 131072 remain; a tick adds 1000 bytes, enough for 2 more
    assert arrivals_ms(r.element("s")) == [0, 0, 0, 1, 1, 2]
