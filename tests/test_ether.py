"""test_ether -- Ethernet framing and VLAN elements byte for byte, handlers, errors, fuzz."""
from __future__ import annotations

import pytest
from harness import Chain, click_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import Dot1Q, Ether
from scapy.packet import Raw

import clickpy

VLAN_TCI = 20                           # annotation offset (Click's VLAN_TCI_ANNO)
HOST, BROADCAST, MULTICAST, OTHERHOST = 0, 1, 2, 3
ME = "00:00:c0:ae:67:ef"


def ip_packet(**kw):
    return IP(src="10.0.0.2", dst="10.0.1.2", **kw) / UDP(sport=1, dport=2) / Raw(b"payload")


def frame(src="00:11:22:33:44:55", dst=ME, **kw):
    return Ether(src=src, dst=dst) / ip_packet(**kw)


# -- EtherEncap, EtherRewrite, EtherMirror ----------------------------------------------

def test_etherencap_prepends_header():
    ip = bytes(ip_packet())
    g = Chain("e :: EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2)").push(ip, b"")
    assert g.out() == [bytes(Ether(src="01:01:01:01:01:01", dst="02:02:02:02:02:02",
                                   type=0x0800) / IP(ip)),
                       bytes(Ether(src="01:01:01:01:01:01", dst="02:02:02:02:02:02",
                                   type=0x0800))]


def test_etherencap_handlers_and_keywords():
    g = Chain("e :: EtherEncap(ETHERTYPE 0x86dd, SRC 0-1-2-3-4-5, DST 00:a0:c9:9c:fd:9c)")
    assert g.read("e.src") == "00-01-02-03-04-05"
    assert g.read("e.dst") == "00-A0-C9-9C-FD-9C"
    assert g.read("e.ethertype") == "34525" and g.read("e.etht") == "34525"
    g.write("e.src", "0a:0b:0c:0d:0e:0f")
    g.write("e.dst", "ff:ff:ff:ff:ff:ff")
    g.write("e.ethertype", "0x0806")
    g.push(b"xyz")
    assert g.out() == [bytes.fromhex("ffffffffffff0a0b0c0d0e0f0806") + b"xyz"]
    with pytest.raises(ValueError):
        g.write("e.src", "not-an-address")


def test_etherencap_shared_packet_is_copied():
    p = clickpy.Packet(b"data")
    q = p.clone()
    g = Chain("e :: EtherEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2)").push(p)
    assert bytes(q) == b"data" and len(g.out()[0]) == 18


@pytest.mark.parametrize("conf", ["0x10000, 1:1:1:1:1:1, 2:2:2:2:2:2",
                                  "0x800, 1:1:1:1:1, 2:2:2:2:2:2",
                                  "0x800, 1:1:1:1:1:1", "0x800, 1:1:1:1:1:1, 2:2:2:2:2:2, 3"])
def test_etherencap_bad_arguments(conf):
    assert "While configuring 'e :: EtherEncap'" in str(click_error(Chain, f"e :: EtherEncap({conf})"))


def test_etherrewrite_and_ethermirror():
    f = bytes(frame())
    g = Chain("e :: EtherRewrite(1:1:1:1:1:1, 2:2:2:2:2:2)").push(f, b"short")
    assert g.out() == [bytes(Ether(src="01:01:01:01:01:01", dst="02:02:02:02:02:02")
                             / ip_packet())]
    assert g.read("e.src") == "01-01-01-01-01-01" and g.read("e.dst") == "02-02-02-02-02-02"
    g.write("e.dst", "3:3:3:3:3:3")
    g.push(f)
    assert g.out()[-1][:6] == b"\x03" * 6
    p = clickpy.Packet(f)
    q = p.clone()
    g = Chain("e :: EtherMirror").push(p, b"x" * 11)
    assert g.out() == [bytes(Ether(src=ME, dst="00:11:22:33:44:55") / ip_packet())]
    assert bytes(q) == f


# -- EnsureEther ------------------------------------------------------------------------

def test_ensureether_cases():
    ip = bytes(ip_packet())
    f = bytes(frame())
    # headroom of zeros, not whatever an earlier packet left in the pool
    # buffer: a 0x0800 there would (as in Click) count as a stripped header
    bare = clickpy.Packet(bytes(14) + ip)
    bare.pull(14)
    bare.set_network_header(0, 20)
    framed = clickpy.Packet(f)
    framed.set_network_header(14, 20)
    stripped = clickpy.Packet(f)
    stripped.pull(14)
    stripped.set_network_header(0, 20)
    unmarked = clickpy.Packet(b"no network header")
    arp = clickpy.Packet(bytes(Ether(src=ME, type=0x0806) / ip_packet()))
    arp.set_network_header(14, 20)
    g = Chain("e :: EnsureEther").push(bare, framed, stripped, unmarked, arp)
    default = bytes.fromhex("020202020202010101010101") + b"\x08\x00"
    assert g.out() == [default + ip, f, f, b"no network header", default + ip]
    g = Chain("e :: EnsureEther(0x86dd, 5:5:5:5:5:5, 6:6:6:6:6:6)")
    bare = clickpy.Packet(b"\xaa\xbb" + ip)
    bare.set_network_header(2, 20)
    g.push(bare)
    assert g.out() == [bytes.fromhex("060606060606050505050505") + b"\x86\xdd" + ip]


# -- HostEtherFilter --------------------------------------------------------------------

def test_hostetherfilter_packet_types():
    to_me = bytes(frame())
    bcast = bytes(frame(dst="ff:ff:ff:ff:ff:ff"))
    mcast = bytes(frame(dst="01:00:5e:00:00:01"))
    other = bytes(frame(dst="00:00:00:00:00:09"))
    from_me = bytes(frame(src=ME, dst="ff:ff:ff:ff:ff:ff"))
    g = Chain(f"e :: HostEtherFilter({ME})", outputs=2)
    g.push(to_me, bcast, mcast, other, from_me, b"tiny")
    assert [(r.port, r.data, r.packet_type) for r in g.records()] == [
        (0, to_me, HOST), (0, bcast, BROADCAST), (0, mcast, MULTICAST),
        (1, other, OTHERHOST), (0, from_me, BROADCAST)]
    g = Chain(f"e :: HostEtherFilter({ME}, true, false)", outputs=2)
    g.push(to_me, other, from_me)
    assert [(r.port, r.packet_type) for r in g.records()] == [(0, HOST), (0, OTHERHOST), (1, 0)]
    g = Chain(f"e :: HostEtherFilter({ME}, DROP_OTHER true, OFFSET 2)")
    g.push(b"\0\0" + to_me, b"\0\0" + other)
    assert g.out() == [b"\0\0" + to_me]
    assert g.read("e.ether") == "00-00-C0-AE-67-EF"
    g.write("e.ether", "00:00:00:00:00:09")
    g.push(b"\0\0" + other)
    assert g.out()[-1] == b"\0\0" + other


# -- VLANs --------------------------------------------------------------------------------

def test_vlanencap_tags_with_pcp_and_id():
    f = frame()
    g = Chain("e :: VLANEncap(VLAN_ID 12, VLAN_PCP 5)").push(bytes(f))
    expect = Ether(src=f.src, dst=f.dst) / Dot1Q(prio=5, vlan=12) / ip_packet()
    assert g.out() == [bytes(expect)]
    assert g.read("e.vlan_tci") == str(5 << 13 | 12)
    assert g.read("e.config") == "VLAN_ID 12, VLAN_PCP 5"
    g = Chain("e :: VLANEncap(0x2064, NATIVE_VLAN -1, ETHERTYPE 0x88a8)").push(bytes(f))
    tag = bytes(g.out()[0][12:16])
    assert tag == b"\x88\xa8\x20\x64"
    assert g.read("e.config") == "VLAN_ID 100, VLAN_PCP 1, NATIVE_VLAN -1"


def test_vlanencap_native_vlan_and_anno():
    f = bytes(frame())
    g = Chain("e :: VLANEncap(VLAN_ID 0)").push(f)
    assert g.out() == [f]                       # VLAN 0 is native by default
    p = clickpy.Packet(f)
    p.set_anno(VLAN_TCI, b"\x60\x07")
    g = Chain("e :: VLANEncap(ANNO)").push(p)
    assert g.out()[0][12:16] == b"\x81\x00\x60\x07"
    assert g.read("e.vlan_tci") == "ANNO" and g.read("e.config") == "ANNO"
    g.write("e.vlan_id", "7")
    g.write("e.vlan_tci", "300")
    assert g.read("e.vlan_id") == "7" and g.read("e.vlan_tci") == "300"
    g.push(f)
    assert g.out()[-1][12:16] == b"\x81\x00\x01\x2c"


def test_vlandecap_strips_and_annotates():
    plain = frame()
    tagged = Ether(src=plain.src, dst=plain.dst) / Dot1Q(prio=3, vlan=42) / ip_packet()
    stale = clickpy.Packet(bytes(plain))
    stale.set_anno(VLAN_TCI, b"\x12\x34")
    g = Chain("e :: VLANDecap").push(bytes(tagged), stale)
    assert g.out() == [bytes(plain), bytes(plain)]
    annos = [r.anno[VLAN_TCI:VLAN_TCI + 2] for r in g.records()]
    assert annos == [(3 << 13 | 42).to_bytes(2, "big"), b"\0\0"]
    g = Chain("e :: VLANDecap(false)").push(bytes(tagged))
    assert g.anno(0)[VLAN_TCI:VLAN_TCI + 2] == b"\0\0"
    g = Chain("e :: VLANDecap(ETHERTYPE 0x88a8)").push(bytes(tagged))
    assert g.out() == [bytes(tagged)]


def test_vlan_round_trip_keeps_clones_intact():
    f = bytes(frame())
    p = clickpy.Packet(f)
    q = p.clone()
    g = Chain("VLANEncap(VLAN_ID 5) -> e :: VLANDecap").push(p, into="VLANEncap@2")
    assert g.out() == [f] and bytes(q) == f


def test_ethervlanencap():
    ip = bytes(ip_packet())
    g = Chain("e :: EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, 0x6001)").push(ip)
    expect = Ether(src="01:01:01:01:01:01", dst="02:02:02:02:02:02") \
        / Dot1Q(prio=3, vlan=1, type=0x0800) / IP(ip)
    assert g.out() == [bytes(expect)]
    assert g.read("e.config") == ("01-01-01-01-01-01, 02-02-02-02-02-02, 2048, "
                                  "VLAN_ID 1, VLAN_PCP 3")
    g = Chain("e :: EtherVLANEncap(0x0800, 1:1:1:1:1:1, 2:2:2:2:2:2, VLAN_ID 9, "
              "NATIVE_VLAN 9)").push(ip)
    assert g.out() == [bytes(Ether(src="01:01:01:01:01:01", dst="02:02:02:02:02:02") / IP(ip))]
    g.write("e.native_vlan", "-1")
    g.write("e.ethertype", "0x86dd")
    g.push(b"z")
    assert g.out()[-1] == bytes.fromhex("020202020202 010101010101 8100 0009 86dd") + b"z"
    assert g.read("e.native_vlan") == "-1" and g.read("e.vlan_tci") == "9"


@pytest.mark.parametrize("conf", ["VLANEncap(VLAN_PCP 8)", "VLANEncap(VLAN_ID 4096)",
                                  "VLANEncap(0x10000)", "VLANEncap(anno)",
                                  "VLANDecap(maybe)", "HostEtherFilter()",
                                  "HostEtherFilter(1:2:3, true)",
                                  "EtherVLANEncap(0x800, 1:1:1:1:1:1)",
                                  "EtherVLANEncap(0x800, 1:1:1:1:1:1, 2:2:2:2:2:2, NATIVE_VLAN -2)",
                                  "EnsureEther(0x800, bad)", "EtherRewrite(1:1:1:1:1:1)"])
def test_bad_arguments_are_click_errors(conf):
    cls = conf.split("(")[0]
    assert f"While configuring 'e :: {cls}'" in str(click_error(Chain, f"e :: {conf}"))


def test_addressinfo_names_resolve():
    g = Chain(text="AddressInfo(me 10.0.0.1 00:00:c0:ae:67:ef, gw 02:02:02:02:02:02);"
                   "InfiniteSource(ACTIVE false) -> e :: EtherEncap(0x0800, me, gw) -> out :: Rec;"
                   "h :: HostEtherFilter(me); Idle -> h -> Discard;")
    assert g.read("e.src") == "00-00-C0-AE-67-EF" and g.read("e.dst") == "02-02-02-02-02-02"
    assert g.read("h.ether") == "00-00-C0-AE-67-EF"


# -- fuzz: random bytes through every parsing element --------------------------------------

FUZZ_BODIES = {
    "EtherMirror": ("e :: EtherMirror", 1),
    "EtherRewrite": ("e :: EtherRewrite(1:1:1:1:1:1, 2:2:2:2:2:2)", 1),
    "EnsureEther": ("e :: EnsureEther", 1),
    "HostEtherFilter": (f"e :: HostEtherFilter({ME}, true, OFFSET 2)", 2),
    "VLANEncap": ("e :: VLANEncap(ANNO)", 1),
    "VLANDecap": ("e :: VLANDecap", 1),
    "EtherVLANEncap": ("e :: EtherVLANEncap(0x800, 1:1:1:1:1:1, 2:2:2:2:2:2, ANNO)", 1),
    "ARPPrint": ("e :: ARPPrint(TIMESTAMP false, ETHER true, OUTFILE /dev/null)", 1),
}
_FUZZ = {}


def _frames():
    vlan = st.builds(lambda b, t: b[:12] + t + b[12:], st.binary(max_size=40),
                     st.sampled_from([b"\x81\x00", b"\x88\xa8", b"\x08\x00"]))
    return st.one_of(st.binary(max_size=80), vlan)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(FUZZ_BODIES)), packets=st.lists(_frames(), max_size=12),
       nh=st.lists(st.integers(-1, 40), min_size=12, max_size=12),
       anno=st.binary(min_size=2, max_size=2))
def test_fuzz_ethernet_elements(name, packets, nh, anno):
    if name not in _FUZZ:
        body, outs = FUZZ_BODIES[name]
        _FUZZ[name] = Chain(body, outputs=outs)
    g = _FUZZ[name]
    before = len(g.records())
    sent = []
    for data, off in zip(packets, nh, strict=False):
        p = clickpy.Packet(data)
        if 0 <= off <= len(data):
            p.set_network_header(off, 0)
        p.set_anno(VLAN_TCI, anno)
        sent.append(data)
        g.push(p)
    out = g.records()[before:]
    # accounting: what passes is exactly what each element's rules let through
    native = int.from_bytes(anno, "big") & 0xFFF == 0
    if name in ("EtherMirror", "EtherRewrite") or (name == "VLANEncap" and not native):
        assert len(out) == len([d for d in sent if len(d) >= 12])
    elif name == "HostEtherFilter":
        assert len(out) == len([d for d in sent if len(d) >= 16])
    else:
        assert len(out) == len(sent)
