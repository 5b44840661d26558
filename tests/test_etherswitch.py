"""test_etherswitch -- EtherSwitch: learning, forwarding, flooding, aging, handlers, fuzz."""
from __future__ import annotations

import pytest
from harness import Chain, click_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Ether

import clickpy
from clickpy.errors import ClickError

A, B, C = "02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0c"
BCAST = "ff:ff:ff:ff:ff:ff"
SEC = 10**9


def switch(conf="", ports=3):
    text = f"sw :: EtherSwitch({conf});"
    for i in range(ports):
        text += f" Idle -> [{i}]sw[{i}] -> [{i}]out;" if i else " Idle -> [0]sw[0] -> [0]out :: Rec;"
    return Chain(text=text)


def frame(src, dst, n=0, ts=0):
    p = clickpy.Packet(bytes(Ether(src=src, dst=dst) / IP() / UDP(sport=n)))
    p.timestamp_ns = ts
    return p


def data(src, dst, n=0):
    return bytes(Ether(src=src, dst=dst) / IP() / UDP(sport=n))


def sent(g, start=0):
    return [(r.port, r.data) for r in g.records()[start:]]


def test_unknown_and_broadcast_flood_highest_port_first():
    g = switch()
    g.push(frame(A, B), into="sw", port=0)
    g.push(frame(B, BCAST, 1), into="sw", port=1)
    assert sent(g) == [(2, data(A, B)), (1, data(A, B)),
                       (2, data(B, BCAST, 1)), (0, data(B, BCAST, 1))]
    assert g.read("sw.table") == "02-00-00-00-00-0A 0\n02-00-00-00-00-0B 1\n"


def test_learned_addresses_are_forwarded_or_dropped():
    g = switch()
    g.push(frame(A, BCAST), into="sw", port=0)
    g.push(frame(B, A, 1), into="sw", port=1)
    g.push(frame(C, A, 2), into="sw", port=0)       # A lives on LAN 0 already: dropped
    g.push(frame(A, B, 3), into="sw", port=0)
    g.push(frame(A, "01:00:5e:00:00:01", 4), into="sw", port=2)    # A moved; multicast floods
    assert sent(g, 2) == [(0, data(B, A, 1)), (1, data(A, B, 3)),
                          (1, data(A, "01:00:5e:00:00:01", 4)),
                          (0, data(A, "01:00:5e:00:00:01", 4))]
    assert "02-00-00-00-00-0A 2\n" in g.read("sw.table")


def test_entries_age_by_packet_timestamps():
    g = switch("TIMEOUT 10")
    g.push(frame(B, BCAST, ts=100 * SEC), into="sw", port=1)
    g.push(frame(A, B, 1, ts=109 * SEC), into="sw", port=0)
    assert sent(g, 2) == [(1, data(A, B, 1))]
    g.push(frame(A, B, 2, ts=110 * SEC), into="sw", port=0)   # stale: flooded, forgotten
    assert sent(g, 3) == [(2, data(A, B, 2)), (1, data(A, B, 2))]
    assert g.read("sw.table") == "02-00-00-00-00-0A 0\n"
    assert g.read("sw.timeout") == "10"
    g.write("sw.timeout", "2min")
    assert g.read("sw.timeout") == "120"
    with pytest.raises(ValueError, match="expected timeout"):
        g.write("sw.timeout", "soon")


def test_timeout_zero_is_a_hub():
    g = switch("TIMEOUT 0", ports=2)
    g.push(frame(A, B), into="sw", port=0)
    g.push(frame(B, A), into="sw", port=1)
    g.push(frame(A, B), into="sw", port=0)
    assert [p for p, _ in sent(g)] == [1, 0, 1] and g.read("sw.table") == ""


def test_clones_share_data_until_written():
    g = switch()
    g.push(frame(A, BCAST), into="sw", port=1)
    out = [bytes(d) for _, d in sent(g)]
    assert out == [data(A, BCAST)] * 2


def test_short_frames_dropped_and_bad_arguments():
    g = switch()
    g.push(b"short", into="sw", port=0)
    assert g.records() == []
    assert "While configuring 'sw :: EtherSwitch'" in str(click_error(switch, "TIMEOUT never"))
    with pytest.raises(ClickError):
        Chain(text="Idle -> sw :: EtherSwitch -> Discard;")     # needs two or more ports


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames=st.lists(st.tuples(st.integers(0, 3), st.binary(max_size=30),
                                 st.sampled_from([A, B, C, BCAST]),
                                 st.sampled_from([A, B, C]), st.integers(0, 400)),
                       max_size=15))
def test_fuzz_etherswitch_accounting(frames):
    g = switch("TIMEOUT 100", ports=4)
    for port, raw, dst, src, ts in frames:
        before = len(g.records())
        if len(raw) % 3 == 0:
            p = clickpy.Packet(raw)             # junk, maybe shorter than a header
        else:
            p = frame(src, dst, ts=ts * SEC)
        length = len(p)
        header = bytes(p)[:12]
        g.push(p, into="sw", port=port)
        out = sent(g, before)
        assert all(o != port for o, _ in out)
        if length < 14:
            assert out == []
        elif header[0] & 1:
            assert sorted(o for o, _ in out) == [o for o in range(4) if o != port]
        else:
            assert len(out) in (0, 1, 3)
