"""configs/firewall.click end to end: a pcap of allowed and denied traffic.

One pcap (scapy) holds a packet for every rule of the firewall and one
or more it must refuse; the configuration runs under simulated time with
IN and OUT overridden, as ``clickpy run --simtime configs/firewall.click
IN=... OUT=...`` would. The output pcap must hold exactly the allowed
frames, byte for byte, and 'denied' must count exactly the denied ones.

Order: FromDump emits the file in batches of up to 64 frames, and the
Ethernet classifier hands its outputs on in port order (IP, then ARP),
so within one batch ARP frames leave after that batch's IP packets. The
IP packets keep their order; ARP frames are checked separately.
"""
from __future__ import annotations

import struct

import pytest
from harness import ROOT, run
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw
from scapy.utils import rdpcap, wrpcap

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONFIG = ROOT / "configs" / "firewall.click"

CLIENT, SERVER, OTHER = "10.0.0.9", "10.0.1.5", "10.0.2.5"     # SERVERS is 10.0.1.0/24
C_MAC, S_MAC = "02:00:00:00:00:09", "02:00:00:00:00:05"


def ip(src, dst, l4, **kw):
    return Ether(src=C_MAC, dst=S_MAC) / IP(src=src, dst=dst, **kw) / l4


def syn(dst, dport, **kw):
    return ip(CLIENT, dst, TCP(sport=40000, dport=dport, flags="S", seq=1000) / b"", **kw)


# (name, frame): every rule, its boundaries, and what falls through to "deny"
ALLOWED = [
    ("established: ACK from a server", ip(SERVER, CLIENT, TCP(sport=80, dport=40000,
                                                                flags="SA") / b"hello")),
    ("established: ACK to anywhere", ip(CLIENT, OTHER, TCP(sport=40001, dport=9999,
                                                          flags="A") / b"data")),
    ("established: PSH ACK", ip(CLIENT, SERVER, TCP(sport=40001, dport=8080, flags="PA"))),
    ("established: RST", ip(CLIENT, OTHER, TCP(sport=40002, dport=1234, flags="R"))),
    ("ssh to a server", syn(SERVER, 22)),
    ("http to a server", syn(SERVER, 80)),
    ("https to a server", syn("10.0.1.254", 443)),
    ("http first fragment", syn(SERVER, 80, flags="MF", id=77)),
    ("ping", ip(CLIENT, OTHER, ICMP(type=8, id=1, seq=1) / b"ping")),
    ("ping reply", ip(OTHER, CLIENT, ICMP(type=0, id=1, seq=1) / b"ping")),
    ("unreachable (path MTU)", ip(OTHER, CLIENT, ICMP(type=3, code=4, nexthopmtu=1400) /
                                 bytes(IP(src=CLIENT, dst=OTHER) / UDP()))),
    ("dns query", ip(CLIENT, "192.0.2.53", UDP(sport=5353, dport=53) / b"q")),
    ("dns reply", ip("192.0.2.53", CLIENT, UDP(sport=53, dport=5353) / b"a")),
]
DENIED = [
    ("syn to a server's other port", syn(SERVER, 8080)),
    ("syn to port 80 outside the server net", syn(OTHER, 80)),
    ("syn to port 22 outside the server net", syn("10.0.0.1", 22)),
    ("udp to port 80 of a server", ip(CLIENT, SERVER, UDP(sport=1, dport=80))),
    ("tcp syn to port 53", syn(OTHER, 53)),
    ("tcp without flags", ip(CLIENT, OTHER, TCP(sport=1, dport=2, flags=0))),
    ("fin alone", ip(CLIENT, OTHER, TCP(sport=1, dport=2, flags="F"))),
    ("later fragment to port 80", ip(CLIENT, SERVER, Raw(b"\0" * 16), proto=6, frag=100)),
    ("later fragment of a dns query", ip(CLIENT, OTHER, Raw(b"\0" * 16), proto=17, frag=3)),
    ("icmp time exceeded", ip(OTHER, CLIENT, ICMP(type=11) / bytes(IP() / UDP()))),
    ("icmp timestamp", ip(CLIENT, OTHER, ICMP(type=13))),
    ("icmp redirect", ip(OTHER, CLIENT, ICMP(type=5, code=1, gw="10.0.0.254") /
                         bytes(IP() / UDP()))),
    ("ntp", ip(CLIENT, OTHER, UDP(sport=123, dport=123))),
    ("gre", ip(CLIENT, OTHER, Raw(b"\0" * 8), proto=47)),
]


def bad_header():
    raw = bytearray(bytes(syn(SERVER, 80)))
    raw[24:26] = b"\xde\xad"                            # IP header checksum
    return Ether(bytes(raw))


NOT_IP = [Ether(src=C_MAC, dst=S_MAC, type=0x86DD) / (b"\0" * 40)]
ARPS = [Ether(src=C_MAC, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=C_MAC, psrc=CLIENT,
                                                       pdst=SERVER),
        Ether(src=S_MAC, dst=C_MAC) / ARP(op=2, hwsrc=S_MAC, psrc=SERVER, hwdst=C_MAC,
                                          pdst=CLIENT)]


def run_firewall(tmp_path, frames, **defines):
    frames = [f.copy() for f in frames]
    for i, f in enumerate(frames):
        f.time = 1_000_000 + i
    wrpcap(str(tmp_path / "in.pcap"), frames, linktype=1)
    names = {"IN": str(tmp_path / "in.pcap"), "OUT": str(tmp_path / "out.pcap")}
    names.update(defines)
    r = run(CONFIG.read_text(), names, filename=str(CONFIG))
    return r, [bytes(p) for p in rdpcap(names["OUT"])]


def interleave(allowed, denied):
    """Allowed and denied frames mixed, each list's order kept."""
    out, a, d = [], list(allowed), list(denied)
    while a or d:
        for src in (a, d):
            if src:
                out.append(src.pop(0))
    return out


def test_every_frame_is_valid_before_filtering():
    # the denied ones must be refused for their rule, not for a broken header
    for _, f in ALLOWED + DENIED:
        h = bytes(f[IP])[:20]
        s = sum(struct.unpack("!10H", h))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        assert s == 0xFFFF


def test_only_allowed_packets_pass_unchanged_and_in_order(tmp_path):
    allowed = [f for _, f in ALLOWED]
    denied = [f for _, f in DENIED]
    frames = interleave(allowed, denied) + [bad_header(), *NOT_IP]
    r, out = run_firewall(tmp_path, frames)
    assert out == [bytes(f) for f in allowed]
    assert r.read("denied.count") == str(len(denied))
    assert r.read("bad.count") == "1"
    assert r.read("chk.drops") == "1"


@pytest.mark.parametrize("name,frame", ALLOWED, ids=[n for n, _ in ALLOWED])
def test_each_allowed_rule(tmp_path, name, frame):
    r, out = run_firewall(tmp_path, [frame])
    assert out == [bytes(frame)]
    assert r.read("denied.count") == "0"


@pytest.mark.parametrize("name,frame", DENIED, ids=[n for n, _ in DENIED])
def test_each_denied_packet(tmp_path, name, frame):
    r, out = run_firewall(tmp_path, [frame])
    assert out == []
    assert r.read("denied.count") == "1" and r.read("bad.count") == "0"


def test_arp_passes_and_other_link_types_are_dropped_uncounted(tmp_path):
    allowed = [f for _, f in ALLOWED[:3]]
    frames = [ARPS[0], allowed[0], *NOT_IP, allowed[1], ARPS[1], allowed[2]]
    r, out = run_firewall(tmp_path, frames)
    # IP packets in order; ARP frames unchanged and in order (after the IP
    # packets of their batch, see the module docstring)
    assert [f for f in out if f[12:14] == b"\x08\x00"] == [bytes(f) for f in allowed]
    assert [f for f in out if f[12:14] == b"\x08\x06"] == [bytes(f) for f in ARPS]
    assert len(out) == 5
    assert r.read("denied.count") == "0" and r.read("bad.count") == "0"


def test_servers_define_moves_the_server_rules(tmp_path):
    frames = [syn(SERVER, 22), syn(OTHER, 22), syn(OTHER, 443)]
    r, out = run_firewall(tmp_path, frames, SERVERS="10.0.2.0/24")
    assert out == [bytes(frames[1]), bytes(frames[2])]
    assert r.read("denied.count") == "1"


def test_many_batches_keep_order_and_counts(tmp_path):
    # 300 frames: several FromDump batches of 64
    frames = []
    for i in range(300):
        frames.append(ALLOWED[i % len(ALLOWED)][1] if i % 3 else DENIED[i % len(DENIED)][1])
    r, out = run_firewall(tmp_path, frames)
    assert out == [bytes(f) for i, f in enumerate(frames) if i % 3]
    assert r.read("denied.count") == "100"


def test_ethernet_padding_is_trimmed_as_in_click(tmp_path):
    # CheckIPHeader drops bytes past the IP total length (Click does too),
    # so a padded minimum-size frame leaves without its padding
    frame = syn(SERVER, 22)
    padded = Ether(bytes(frame) + b"\0" * (60 - len(frame)))
    _, out = run_firewall(tmp_path, [padded])
    assert out == [bytes(frame)]
