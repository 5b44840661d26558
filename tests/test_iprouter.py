"""configs/iprouter.click end to end: pcap in, pcap out, checked byte for byte.

Each test writes one pcap per interface (scapy), runs the configuration
under simulated time with IN0/IN1/OUT0/OUT1 overridden, as ``clickpy run
--simtime configs/iprouter.click IN0=... OUT0=...`` would, and compares
every frame of the output pcaps with the frame an RFC 1812 router must
send, built here independently of the router (header fields, both
checksums, MAC addresses).

Packet order across the two interfaces. Both FromDump elements are tasks
and the driver runs its tasks round after round in the order the
configuration declares them: from0, ToDump(OUT0), from1, ToDump(OUT1).
Each FromDump task emits one batch of up to 64 packets, and the batch is
pushed through the whole push path (classifier, routing, ARPQuerier, into
an output Queue) before the next task runs. The packets of interest here
are fewer than 64 a file, so all of in0 is handled before any of in1: in1
sees the ARP state in0 left. The tests use that: a packet from net 0
waits in ARPQuerier 1 for its next hop, and the ARP reply that releases
it sits in in1. Where one file must be handled in two steps, 64 frames
that the classifier discards (FILLER) push the rest into the next round.

Within one batch, the Classifier hands its outputs on in port order (ARP
queries, then ARP replies, then IP), so an ARP reply in a file is learned
before that file's IP packets whatever its position. Tests therefore put
a host's ARP reply (or gratuitous ARP) *before* the IP packets of the same
file that need it, where Click, one packet at a time, gives the same
result; where a test wants to see the router's ARP query, the reply is
left out, sits in the other interface's file, or follows FILLER.

ICMPError takes its IP identifier from a process-wide counter shared by
all ICMPError elements (as Click's static counter), so expected ICMP
errors take the identifier from the output; everything else is exact.
"""
from __future__ import annotations

import struct

import pytest
from harness import ROOT, cli, run
from scapy.layers.inet import ICMP, IP, UDP, IPOption_RR
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw
from scapy.utils import rdpcap, wrpcap

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONFIG = ROOT / "configs" / "iprouter.click"

# the configuration's defaults
R0_IP, R0_MAC = "10.0.0.1", "00:00:c0:ae:67:ef"      # interface 0, net 10.0.0.0/24
R1_IP, R1_MAC = "10.0.1.1", "00:00:c0:4f:71:ef"      # interface 1, net 10.0.1.0/24
GW_IP = "10.0.0.254"                                 # default route, via interface 0
MTU = 1500
# hosts
A_IP, A_MAC = "10.0.0.2", "02:00:00:00:00:0a"        # on net 0
B_IP, B_MAC = "10.0.1.2", "02:00:00:00:00:0b"        # on net 1
GW_MAC = "02:00:00:00:00:fe"
FAR_IP = "192.0.2.7"                                 # beyond the gateway
BCAST = "ff:ff:ff:ff:ff:ff"


# -- helpers -----------------------------------------------------------------------------

def cksum(data: bytes) -> int:
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac(text: str) -> bytes:
    return bytes.fromhex(text.replace(":", ""))


def ether(dst: str, src: str, ip: bytes) -> bytes:
    return mac(dst) + mac(src) + b"\x08\x00" + ip


def ip_header_ok(ip: bytes) -> bool:
    return cksum(ip[:(ip[0] & 15) * 4]) == 0


def forwarded(frame, src_mac: str, dst_mac: str) -> bytes:
    """The frame a router sends on: TTL - 1, header checksum redone, new MACs."""
    ip = bytearray(bytes(frame[IP]))
    ip[8] -= 1
    ip[10:12] = b"\0\0"
    hl = (ip[0] & 15) * 4
    ip[10:12] = struct.pack("!H", cksum(bytes(ip[:hl])))
    return ether(dst_mac, src_mac, bytes(ip))


def icmp_error(src: str, dst: str, ident: int, type_: int, code: int, quote: bytes,
               rest: bytes = b"\0\0\0\0", ttl: int = 199) -> bytes:
    """An ICMP error as an IP packet (ICMPError: TOS 0, TTL 200 less one hop)."""
    icmp = struct.pack("!BBH", type_, code, 0) + rest + quote
    icmp = icmp[:2] + struct.pack("!H", cksum(icmp)) + icmp[4:]
    return bytes(IP(src=src, dst=dst, id=ident, ttl=ttl, proto=1, tos=0, flags=0) / icmp)


def arp_query(src_mac: str, src_ip: str, target_ip: str) -> bytes:
    """ARPQuerier's query: broadcast, target hardware address zero."""
    return bytes(Ether(src=src_mac, dst=BCAST) /
                 ARP(op=1, hwsrc=src_mac, psrc=src_ip, hwdst="00:00:00:00:00:00",
                     pdst=target_ip))


def arp_reply(src_mac: str, src_ip: str, dst_mac: str, dst_ip: str):
    return Ether(src=src_mac, dst=dst_mac) / ARP(op=2, hwsrc=src_mac, psrc=src_ip,
                                                 hwdst=dst_mac, pdst=dst_ip)


def udp(src_ip, dst_ip, src_mac, dst_mac, payload=b"clickpy iprouter test", **ip):
    return Ether(src=src_mac, dst=dst_mac) / IP(src=src_ip, dst=dst_ip, **ip) / \
        UDP(sport=4000, dport=5000) / payload


# Frames that c0/c1 discard (LLDP): appended to in1 so that from1 ends a
# driver round after from0 (see route()).
FILLER = [Ether(src=B_MAC, dst="01:80:c2:00:00:0e", type=0x88CC) / b"filler"] * 64


def route(tmp_path, in0, in1=(), fill=True, **defines):
    """Runs iprouter.click on the two inputs; (router, out0 frames, out1 frames).

    With ``fill``, 64 discarded frames follow in1's packets, so from1 reads
    its file in two rounds and its stop event comes one round after from0's.
    When both FromDumps stop in the same round, the DriverManager is stepped
    only once for the two stop events and the router stops at once, before
    ToDump(OUT0), which runs before from1, drains what from1's last batch put
    in out0 (see test_both_inputs_ending_in_one_round_drain_the_queues).
    """
    files = {}
    for name, pkts in (("IN0", in0), ("IN1", [*in1, *FILLER] if fill else in1)):
        pkts = [p.copy() for p in pkts]
        for i, p in enumerate(pkts):
            p.time = 1_000_000 + i
        files[name] = str(tmp_path / f"{name.lower()}.pcap")
        wrpcap(files[name], pkts, linktype=1)
    files["OUT0"] = str(tmp_path / "out0.pcap")
    files["OUT1"] = str(tmp_path / "out1.pcap")
    files.update({k: str(v) for k, v in defines.items()})
    r = run(CONFIG.read_text(), files, filename=str(CONFIG))
    outs = [[bytes(p) for p in rdpcap(files[k])] for k in ("OUT0", "OUT1")]
    return r, outs[0], outs[1]


# -- ARP ----------------------------------------------------------------------------------

def test_arp_queries_for_the_router_are_answered_on_their_interface(tmp_path):
    q0 = Ether(src=A_MAC, dst=BCAST) / ARP(op=1, hwsrc=A_MAC, psrc=A_IP, pdst=R0_IP)
    q1 = Ether(src=B_MAC, dst=BCAST) / ARP(op=1, hwsrc=B_MAC, psrc=B_IP, pdst=R1_IP)
    other = Ether(src=A_MAC, dst=BCAST) / ARP(op=1, hwsrc=A_MAC, psrc=A_IP, pdst="10.0.0.77")
    wrong_if = Ether(src=A_MAC, dst=BCAST) / ARP(op=1, hwsrc=A_MAC, psrc=A_IP, pdst=R1_IP)
    _, out0, out1 = route(tmp_path, [q0, other, wrong_if], [q1])
    assert out0 == [bytes(arp_reply(R0_MAC, R0_IP, A_MAC, A_IP))]
    assert out1 == [bytes(arp_reply(R1_MAC, R1_IP, B_MAC, B_IP))]
    assert len(out0[0]) == 42


# -- pings to the router -------------------------------------------------------------------

def echo_reply(request, router_ip: str, ttl: int = 254) -> bytes:
    """ICMPPingResponder's reply (TTL 255), after one DecIPTTL on the way out."""
    req = request[IP]
    icmp = bytearray(bytes(req[ICMP]))
    icmp[0] = 0
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", cksum(bytes(icmp)))
    return bytes(IP(src=router_ip, dst=req.src, id=req.id, ttl=ttl, proto=1, flags=0,
                    tos=req.tos) / bytes(icmp))


def test_ping_reply_waits_for_arp_and_the_router_asks(tmp_path):
    ping = Ether(src=A_MAC, dst=R0_MAC) / IP(src=A_IP, dst=R0_IP, id=77) / \
        ICMP(type=8, id=0x1234, seq=1) / b"ping payload"
    r, out0, out1 = route(tmp_path, [ping])
    # the reply is held in arpq0 until 10.0.0.2 answers
    assert out0 == [arp_query(R0_MAC, R0_IP, A_IP)]
    assert out1 == []
    assert r.read("arpq0.length") == "1"
    assert r.read("arpq0.queries") == "1"


def test_ping_reply_is_released_by_the_pingers_arp_reply(tmp_path):
    ping = Ether(src=A_MAC, dst=R0_MAC) / IP(src=A_IP, dst=R0_IP, id=78) / \
        ICMP(type=8, id=0x1234, seq=2) / b"ping payload"
    answer = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    # the answer comes in the next round, after the router's query
    r, out0, out1 = route(tmp_path, [ping, *FILLER, answer], fill=False)
    assert out0 == [arp_query(R0_MAC, R0_IP, A_IP), ether(A_MAC, R0_MAC, echo_reply(ping, R0_IP))]
    assert out1 == []
    assert r.read("arpq0.length") == "0"


@pytest.mark.parametrize("target", [R0_IP, R1_IP])
def test_ping_to_either_router_address_is_answered_exactly(tmp_path, target):
    learn = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    ping = Ether(src=A_MAC, dst=R0_MAC) / IP(src=A_IP, dst=target, id=77, flags="DF") / \
        ICMP(type=8, id=0x1234, seq=1) / (b"0123456789abcdef" * 3)
    r, out0, out1 = route(tmp_path, [learn, ping])
    assert out0 == [ether(A_MAC, R0_MAC, echo_reply(ping, target))]
    assert out1 == []
    assert r.read("arpq0.queries") == "0" and r.read("arpq0.length") == "0"


# -- forwarding ----------------------------------------------------------------------------

def test_udp_from_net0_to_net1_arps_then_forwards(tmp_path):
    pkts = [udp(A_IP, B_IP, A_MAC, R0_MAC, payload=b"first %d" % i, id=100 + i, ttl=64)
            for i in range(3)]
    b_answers = arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)
    r, out0, out1 = route(tmp_path, pkts, [b_answers])
    # one query for the three queued packets, then all three in order
    assert out1[0] == arp_query(R1_MAC, R1_IP, B_IP)
    assert out1[1:] == [forwarded(p, R1_MAC, B_MAC) for p in pkts]
    assert out0 == []
    for got, sent in zip(out1[1:], pkts, strict=True):
        e = Ether(got)
        assert (e.src, e.dst, e[IP].ttl) == (R1_MAC, B_MAC, 63)
        assert ip_header_ok(bytes(e[IP]))
        assert bytes(e[UDP]) == bytes(sent[UDP])          # payload and UDP checksum intact
    assert r.read("arpq1.queries") == "1" and r.read("arpq1.length") == "0"


def test_known_next_hop_forwards_at_once_and_padding_is_trimmed(tmp_path):
    a_known = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)         # gratuitous-style reply on net 0
    b_to_a = udp(B_IP, A_IP, B_MAC, R1_MAC, payload=b"x", ttl=9)
    padded = Ether(bytes(b_to_a) + b"\0" * (60 - len(b_to_a)))    # Ethernet minimum frame
    assert len(bytes(padded)) == 60
    r, out0, out1 = route(tmp_path, [a_known], [padded])
    assert out0 == [forwarded(b_to_a, R0_MAC, A_MAC)]       # no query, padding gone
    assert out1 == []
    assert r.read("arpq0.queries") == "0"


def test_both_inputs_ending_in_one_round_drain_the_queues(tmp_path):
    # two stop requests in one round step the DriverManager twice (Click's check_driver)
    a_known = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    b_to_a = udp(B_IP, A_IP, B_MAC, R1_MAC)
    _, out0, _ = route(tmp_path, [a_known], [b_to_a], fill=False)
    assert out0 == [forwarded(b_to_a, R0_MAC, A_MAC)]


def test_default_route_goes_to_the_gateway(tmp_path):
    gw_known = arp_reply(GW_MAC, GW_IP, R0_MAC, R0_IP)
    out_bound = udp(B_IP, FAR_IP, B_MAC, R1_MAC, id=5)
    _, out0, out1 = route(tmp_path, [gw_known], [out_bound])
    assert out0 == [forwarded(out_bound, R0_MAC, GW_MAC)]
    assert out1 == []


def test_default_route_without_gateway_arp_asks_for_the_gateway(tmp_path):
    out_bound = udp(B_IP, FAR_IP, B_MAC, R1_MAC)
    r, out0, out1 = route(tmp_path, [], [out_bound])
    assert out0 == [arp_query(R0_MAC, R0_IP, GW_IP)]
    assert out1 == [] and r.read("arpq0.length") == "1"


def test_same_interface_forwarding_sends_a_redirect(tmp_path):
    # A sends to the Internet through the router although the gateway is on
    # its own net: forwarded to the gateway, and A gets a host redirect
    # naming the gateway (RFC 792, RFC 1812 5.2.7.2)
    learn = [arp_reply(A_MAC, A_IP, R0_MAC, R0_IP), arp_reply(GW_MAC, GW_IP, R0_MAC, R0_IP)]
    pkt = udp(A_IP, FAR_IP, A_MAC, R0_MAC, id=9)
    _, out0, out1 = route(tmp_path, [*learn, pkt])
    assert len(out0) == 2 and out1 == []
    fwd = forwarded(pkt, R0_MAC, GW_MAC)
    redirect = [f for f in out0 if f != fwd]
    assert len(redirect) == 1, "the forwarded packet is missing"
    ident = Ether(redirect[0])[IP].id
    want = icmp_error(R0_IP, A_IP, ident, 5, 1, bytes(pkt[IP]), rest=mac_ip(GW_IP))
    assert redirect[0] == ether(A_MAC, R0_MAC, want)
    # the order of the two is left open: Click's PaintTee pushes the copy to
    # the redirect path first, clickpy's batches pass output 0 on first
    assert sorted(out0) == sorted([fwd, redirect[0]])


def mac_ip(dotted: str) -> bytes:
    return bytes(int(x) for x in dotted.split("."))


# -- TTL -----------------------------------------------------------------------------------

def test_ttl_1_gets_time_exceeded_from_the_incoming_interface(tmp_path):
    learn = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    dying = udp(A_IP, B_IP, A_MAC, R0_MAC, ttl=1, id=42)
    dead = udp(A_IP, B_IP, A_MAC, R0_MAC, ttl=0, id=43)
    r, out0, out1 = route(tmp_path, [learn, dying, dead])
    assert out1 == [] and len(out0) == 2
    ids = [Ether(f)[IP].id for f in out0]
    assert ids[1] == ids[0] + 1
    for frame, sent, ident in zip(out0, (dying, dead), ids, strict=True):
        # ICMPError(10.0.1.1) on interface 1's path, routed back to net 0, where
        # FixIPSrc gives it interface 0's address (RFC 1812 4.3.2.4); quoted: the
        # whole original datagram, TTL as it arrived (RFC 1812 4.3.2.3)
        want = icmp_error(R0_IP, A_IP, ident, 11, 0, bytes(sent[IP]))
        assert frame == ether(A_MAC, R0_MAC, want)
        assert ip_header_ok(bytes(Ether(frame)[IP]))
    assert r.read("dt1.drops") == "2"


# -- MTU -----------------------------------------------------------------------------------

def big(df: bool, size: int = 1600, ident: int = 0x4242):
    payload = bytes(range(256)) * (size // 256 + 1)
    return udp(A_IP, B_IP, A_MAC, R0_MAC, payload=payload[:size - 28], id=ident,
               flags="DF" if df else 0)


def test_df_packet_over_the_mtu_gets_needfrag_with_the_mtu(tmp_path):
    learn = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    pkt = big(df=True)
    assert len(pkt[IP]) == 1600
    r, out0, out1 = route(tmp_path, [learn, pkt], [arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)])
    assert out1 == []
    assert len(out0) == 1
    ident = Ether(out0[0])[IP].id
    # quoted as it reached IPFragmenter (TTL already lowered), cut so the
    # message is 576 bytes (RFC 1812 4.3.2.3); next-hop MTU in bytes 6-7 (RFC 1191)
    quote = forwarded(pkt, R1_MAC, B_MAC)[14:14 + 576 - 28]
    want = icmp_error(R0_IP, A_IP, ident, 3, 4, quote, rest=struct.pack("!HH", 0, MTU))
    assert out0 == [ether(A_MAC, R0_MAC, want)]
    assert len(want) == 576
    assert r.read("fr1.drops") == "1"


def test_smaller_mtu_define_is_reported(tmp_path):
    learn = arp_reply(A_MAC, A_IP, R0_MAC, R0_IP)
    pkt = big(df=True, size=600)
    _, out0, _ = route(tmp_path, [learn, pkt], MTU=576)
    icmp = Ether(out0[0])[IP].payload
    assert bytes(icmp)[:8] == bytes(icmp)[:4] + struct.pack("!HH", 0, 576)
    assert (icmp.type, icmp.code) == (3, 4)


@pytest.mark.parametrize("size", [1501, 1600, 4000])
def test_packet_over_the_mtu_without_df_is_fragmented(tmp_path, size):
    pkt = big(df=False, size=size)
    r, out0, out1 = route(tmp_path, [pkt], [arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)])
    assert out0 == []
    assert out1[0] == arp_query(R1_MAC, R1_IP, B_IP)
    frags = [Ether(f) for f in out1[1:]]
    data = bytes(pkt[IP].payload)
    per = (MTU - 20) // 8 * 8                               # 1480 data bytes a fragment
    assert len(frags) == -(-len(data) // per)
    got = b""
    for i, f in enumerate(frags):
        last = i == len(frags) - 1
        ip = bytes(f[IP])
        chunk = data[i * per:(i + 1) * per]
        assert (f.src, f.dst, f.type) == (R1_MAC, B_MAC, 0x0800)
        assert len(bytes(f)) == 14 + 20 + len(chunk) <= 14 + MTU
        assert ip_header_ok(ip)
        assert f[IP].id == pkt[IP].id and f[IP].ttl == 63
        assert (f[IP].frag, int(f[IP].flags)) == (i * per // 8, 0 if last else 1)
        assert f[IP].len == 20 + len(chunk)
        # the rest of the header is the original's
        head = bytearray(forwarded(pkt, R1_MAC, B_MAC)[14:34])
        head[2:4] = struct.pack("!H", 20 + len(chunk))
        head[6:8] = struct.pack("!H", (0 if last else 0x2000) | (i * per // 8))
        head[10:12] = b"\0\0"
        head[10:12] = struct.pack("!H", cksum(bytes(head)))
        assert ip[:20] == bytes(head)
        got += ip[20:]
    assert got == data
    assert r.read("fr1.fragments") == str(len(frags))


# -- bad packets ---------------------------------------------------------------------------

def bad_packets():
    good = udp(A_IP, B_IP, A_MAC, R0_MAC, id=1)
    raw = bytes(good)

    def patch(offset, value: bytes, fix_sum=True):
        b = bytearray(raw)
        b[14 + offset:14 + offset + len(value)] = value
        if fix_sum:
            b[24:26] = b"\0\0"
            b[24:26] = struct.pack("!H", cksum(bytes(b[14:34])))
        return Ether(bytes(b))

    return good, [
        patch(10, b"\x12\x34", fix_sum=False),              # bad header checksum
        Ether(raw[:14 + 30]),                               # IP length beyond the frame
        Ether(raw[:14 + 12]),                               # shorter than an IP header
        patch(0, b"\x65"),                                  # version 6 in an IPv4 frame
        patch(0, b"\x44"),                                  # header length 16
        patch(2, struct.pack("!H", 19)),                    # total length below the header
        patch(12, mac_ip("10.0.0.255")),                    # directed-broadcast source
        patch(12, mac_ip("255.255.255.255")),               # limited-broadcast source
        patch(12, mac_ip("0.0.0.0")),                       # zero source
    ]


def test_bad_packets_are_dropped_and_counted(tmp_path):
    good, bad = bad_packets()
    r, out0, out1 = route(tmp_path, [*bad, good], [arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)])
    assert out0 == []
    assert out1 == [arp_query(R1_MAC, R1_IP, B_IP), forwarded(good, R1_MAC, B_MAC)]
    assert r.read("chk.drops") == str(len(bad))


def test_non_ip_non_arp_frames_are_discarded(tmp_path):
    junk = [Ether(src=A_MAC, dst=R0_MAC, type=0x86DD) / (b"\0" * 40),
            Ether(src=A_MAC, dst=R0_MAC, type=0x88CC) / b"lldp",
            Raw(bytes(Ether(src=A_MAC, dst=R0_MAC))[:10])]     # too short to classify
    r, out0, out1 = route(tmp_path, junk, junk)
    assert out0 == [] and out1 == []
    assert r.read("chk.drops") == "0"


# -- IP options ----------------------------------------------------------------------------

def test_record_route_option_gets_the_outgoing_address(tmp_path):
    # RFC 791: a router records the address of the interface it sends by
    # (IPGWOptions on interface 1's path records 10.0.1.1)
    learn = arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)
    pkt = Ether(src=A_MAC, dst=R0_MAC) / \
        IP(src=A_IP, dst=B_IP, id=3, options=[IPOption_RR(routers=["0.0.0.0"] * 2)]) / \
        UDP(sport=1, dport=2) / b"rr"
    _, out0, out1 = route(tmp_path, [pkt], [learn])
    sent = bytearray(bytes(pkt))
    rr = 14 + 20                                            # option type, length, pointer
    assert sent[rr:rr + 3] == bytes([7, 11, 4])
    sent[rr + 3:rr + 7] = mac_ip(R1_IP)
    sent[rr + 2] = 8
    assert out1[1] == forwarded(Ether(bytes(sent)), R1_MAC, B_MAC)
    assert ip_header_ok(bytes(Ether(out1[1])[IP]))
    assert out0 == []


# -- the command line ----------------------------------------------------------------------

def test_clickpy_run_simtime_matches(tmp_path):
    """The same run through ``clickpy run --simtime`` with NAME=value defines."""
    pkt = udp(A_IP, B_IP, A_MAC, R0_MAC)
    for i, (name, pkts) in enumerate((("in0", [pkt]),
                                      ("in1", [arp_reply(B_MAC, B_IP, R1_MAC, R1_IP)]))):
        pkts[0].time = 1_000_000 + i
        wrpcap(str(tmp_path / f"{name}.pcap"), pkts)
    res = cli("run", "--simtime", CONFIG,
              f"IN0={tmp_path / 'in0.pcap'}", f"IN1={tmp_path / 'in1.pcap'}",
              f"OUT0={tmp_path / 'out0.pcap'}", f"OUT1={tmp_path / 'out1.pcap'}",
              "-h", "chk.drops", timeout=60)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "0"
    assert [bytes(p) for p in rdpcap(str(tmp_path / "out1.pcap"))] == \
        [arp_query(R1_MAC, R1_IP, B_IP), forwarded(pkt, R1_MAC, B_MAC)]
    assert len(rdpcap(str(tmp_path / "out0.pcap"))) == 0
