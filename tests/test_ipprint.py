"""IPPrint: Click's exact tcpdump-like lines on standard error (or OUTFILE)."""
from __future__ import annotations

import pytest
from harness import Chain, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_NOP
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from test_ip_misc import config_error

import clickpy

A, B = "10.0.0.1", "10.0.0.2"


def ip(**kw):
    fields = dict(src=A, dst=B)
    fields.update(kw)
    return IP(**fields)


def lines(capfd):
    return capfd.readouterr().err.splitlines()


def show(capfd, *packets, conf="TIMESTAMP false", setup=None):
    """The lines IPPrint(CONF) prints for packets marked by MarkIPHeader."""
    c = Chain(f"MarkIPHeader -> e :: IPPrint({conf})")
    warnings = capfd.readouterr().err      # configuration warnings come before any packet
    assert ("argument deprecated" in warnings) == ("NBYTES" in conf)
    for p in packets:
        pkt = clickpy.Packet(bytes(p))
        if setup:
            setup(pkt)
        c.push(pkt, into="MarkIPHeader@2")
    assert len(c.out()) == len(packets)
    return lines(capfd)


# -- TCP ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tcp, payload, line", [
    (TCP(sport=1234, dport=80, flags="S", seq=0, window=8192), b"",
     "10.0.0.1.1234 > 10.0.0.2.80: S 0:1(1,40,40) win 8192"),
    (TCP(sport=80, dport=1234, flags="SA", seq=7, ack=1, window=65535,
         options=[("MSS", 1460), ("NOP", None), ("WScale", 7)]), b"",
     "10.0.0.1.80 > 10.0.0.2.1234: S 7:8(1,48,48) ack 1 win 65535"),
    (TCP(sport=1, dport=2, flags="A", seq=100, ack=200, window=5), b"",
     "10.0.0.1.1 > 10.0.0.2.2: . 100:100(0,40,40) ack 200 win 5"),
    (TCP(sport=1, dport=2, flags="PA", seq=4294967290, ack=9, window=5), b"0123456789",
     "10.0.0.1.1 > 10.0.0.2.2: P 4294967290:4(10,50,50) ack 9 win 5"),
    (TCP(sport=1, dport=2, flags="FA", seq=10, ack=9, window=1), b"xy",
     "10.0.0.1.1 > 10.0.0.2.2: F 10:13(3,42,42) ack 9 win 1"),
    (TCP(sport=1, dport=2, flags="R", seq=10, window=0), b"",
     "10.0.0.1.1 > 10.0.0.2.2: R 10:10(0,40,40) win 0"),
    (TCP(sport=1, dport=2, flags="SFRPU", seq=1, window=3), b"",
     "10.0.0.1.1 > 10.0.0.2.2: SFRP 1:3(2,40,40) win 3"),
])
def test_tcp_lines(capfd, tcp, payload, line):
    assert show(capfd, ip() / tcp / Raw(payload)) == [line]


def test_tcp_packet_length_counts_link_header(capfd):
    frame = bytes(Ether() / ip() / TCP(sport=5, dport=6, flags="S", window=9))
    c = Chain("e :: MarkIPHeader(14) -> IPPrint(eth, TIMESTAMP false)").push(frame)
    assert c.out() == [frame]
    assert lines(capfd) == ["eth: 10.0.0.1.5 > 10.0.0.2.6: S 0:1(1,54,40) win 9"]


@pytest.mark.parametrize("cut, line", [
    (23, "10.0.0.1 > 10.0.0.2: truncated-tcp"),
    (24, "10.0.0.1.1 > 10.0.0.2.2: truncated-tcp"),
    (33, "10.0.0.1.1 > 10.0.0.2.2: truncated-tcp"),
    (34, "10.0.0.1.1 > 10.0.0.2.2: . 5:5(0,34,40) ack 6truncated-tcp"),
    (36, "10.0.0.1.1 > 10.0.0.2.2: . 5:5(0,36,40) ack 6 win 7"),
])
def test_truncated_tcp(capfd, cut, line):
    raw = bytes(ip() / TCP(sport=1, dport=2, seq=5, ack=6, flags="A", window=7))
    assert show(capfd, raw[:cut]) == [line]


def test_ip_length_limits_transport_bytes(capfd):
    raw = bytearray(bytes(ip() / TCP(sport=1, dport=2)))
    raw[2:4] = (30).to_bytes(2, "big")                    # IP says 10 transport bytes
    assert show(capfd, bytes(raw)) == ["10.0.0.1.1 > 10.0.0.2.2: truncated-tcp"]


# -- UDP, other protocols, fragments ---------------------------------------------------------

def test_udp_lines(capfd):
    raw = bytes(ip() / UDP(sport=53, dport=1024) / Raw(b"x" * 12))
    assert show(capfd, raw, raw[:27], raw[:23]) == [
        "10.0.0.1.53 > 10.0.0.2.1024: udp 20",
        "10.0.0.1.53 > 10.0.0.2.1024: truncated-udp",
        "10.0.0.1 > 10.0.0.2: truncated-udp"]


def test_other_protocols_and_truncated_ip(capfd):
    assert show(capfd, ip(proto=47) / Raw(b"gre"), ip(proto=4) / ip(), bytes(ip())[:19]) == [
        "10.0.0.1 > 10.0.0.2: ip-proto-47",
        "10.0.0.1 > 10.0.0.2: ip-proto-4",
        "truncated-ip"]


def test_fragments(capfd):
    first = ip(id=321, flags="MF") / UDP(sport=7, dport=9) / Raw(b"a" * 24)
    later = ip(id=321, frag=4, proto=17) / Raw(b"b" * 16)
    last_tcp = ip(id=9, frag=185, proto=6) / Raw(b"c" * 8)
    icmp = ip(id=2, frag=1, proto=1, flags="MF") / Raw(b"d" * 8)
    assert show(capfd, first, later, last_tcp, icmp) == [
        "10.0.0.1.7 > 10.0.0.2.9: udp 32 (frag 321:32@0+)",
        "10.0.0.1 > 10.0.0.2: udp (frag 321:16@32)",
        "10.0.0.1 > 10.0.0.2: tcp (frag 9:8@1480)",
        "10.0.0.1 > 10.0.0.2: icmp (frag 2:8@8+)"]


# -- ICMP ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("icmp, line", [
    (ICMP(type=8, id=0x1234, seq=1), "icmp echo (4660, 1)"),
    (ICMP(type=0, id=77, seq=513), "icmp echo-reply (77, 513)"),
    (ICMP(type=3, code=1) / ip(src=B, dst="1.2.3.4") / UDP(dport=53),
     "icmp 1.2.3.4 unreachable host"),
    (ICMP(type=3, code=3) / ip(src=B, dst="1.2.3.4") / UDP(dport=53),
     "icmp 1.2.3.4 unreachable port udp/53"),
    (ICMP(type=3, code=3) / ip(src=B, dst="1.2.3.4", proto=99) / Raw(b"\0\1\0\x50"),
     "icmp 1.2.3.4 unreachable port protocol 99/80"),
    (ICMP(type=3, code=3) / ip(src=B, dst="1.2.3.4", proto=17) / Raw(b"\0\1\0"),
     "icmp 1.2.3.4 unreachable port udptruncated-icmp"),
    (ICMP(type=3, code=2) / ip(src=B, dst="1.2.3.4", proto=6),
     "icmp 1.2.3.4 unreachable protocol tcp"),
    (ICMP(type=3, code=2) / ip(src=B, dst="1.2.3.4", proto=200),
     "icmp 1.2.3.4 unreachable protocol 200"),
    (ICMP(type=3, code=4, nexthopmtu=1400) / ip(src=B, dst="9.9.9.9"),
     "icmp 9.9.9.9 unreachable needfrag (mtu 1400)"),
    (ICMP(type=3, code=4) / ip(src=B, dst="9.9.9.9"),
     "icmp 9.9.9.9 unreachable needfrag"),
    (ICMP(type=3, code=13) / ip(src=B, dst="9.9.9.9"),
     "icmp 9.9.9.9 unreachable filterprohibited"),
    (ICMP(type=3, code=77) / ip(src=B, dst="9.9.9.9"),
     "icmp 9.9.9.9 unreachable code 77"),
    (ICMP(type=3, code=3) / Raw(b"\x45" * 19), "icmp unreachable port truncated-icmp"),
    (ICMP(type=11, code=0) / ip(), "icmp timeexceeded transit"),
    (ICMP(type=11, code=1), "icmp timeexceeded reassembly"),
    (ICMP(type=5, code=1), "icmp redirect host"),
    (ICMP(type=12, code=0), "icmp parameterproblem erroratptr"),
    (ICMP(type=4), "icmp sourcequench"),
    (ICMP(type=4, code=2), "icmp sourcequench code 2"),
    (ICMP(type=13), "icmp timestamp"),
    (ICMP(type=42, code=0), "icmp type 42"),
    (ICMP(type=42, code=6), "icmp type 42 code 6"),
])
def test_icmp_lines(capfd, icmp, line):
    assert show(capfd, ip() / icmp) == [f"10.0.0.1 > 10.0.0.2: {line}"]


def test_icmp_unreachable_quotes_protocol_name(capfd):
    pkt = ip() / ICMP(type=3, code=3) / ip(src=B, dst="1.2.3.4", proto=4) / Raw(b"\0\1\0\2")
    assert show(capfd, pkt) == ["10.0.0.1 > 10.0.0.2: icmp 1.2.3.4 unreachable port ipip/2"]


def test_truncated_icmp(capfd):
    raw = bytes(ip() / ICMP(type=8, id=1, seq=2))
    assert show(capfd, raw[:21], raw[:22], raw[:27]) == [
        "10.0.0.1 > 10.0.0.2: truncated-icmp",
        "10.0.0.1 > 10.0.0.2: icmp echo truncated-icmp",
        "10.0.0.1 > 10.0.0.2: icmp echo truncated-icmp"]


def test_swap_false_prints_little_endian_reading(capfd):
    pkt = ip() / ICMP(type=8, id=0x1234, seq=1)
    assert show(capfd, pkt, conf="TIMESTAMP false, SWAP false") == [
        "10.0.0.1 > 10.0.0.2: icmp echo (13330, 256)"]


# -- the line's prefix -------------------------------------------------------------------------

UDPPKT = ip(id=4660, ttl=33, tos=0x2E) / UDP(sport=1, dport=2)


@pytest.mark.parametrize("conf, prefix", [
    ("x, TIMESTAMP false", "x: "),
    ("\"a b, c\", TIMESTAMP false", "a b, c: "),
    ("", "1.250000: "),
    ("x", "x: 1.250000: "),
    ("TIMESTAMP false, ID true", "id 4660 "),
    ("TIMESTAMP false, TTL true", "ttl 33 "),
    ("TIMESTAMP false, TOS true", "tos 46 "),
    ("TIMESTAMP false, LENGTH true", "length 28 "),
    ("TIMESTAMP false, ID 1, TTL 1, TOS 1, LENGTH 1", "id 4660 ttl 33 tos 46 length 28 "),
    ("TIMESTAMP false, PAINT true", "paint 7: "),
    ("TIMESTAMP false, AGGREGATE true", "#258: "),
    ("l, TIMESTAMP false, AGGREGATE true, PAINT true, ID true", "l: #258.7: id 4660 "),
])
def test_prefixes(capfd, conf, prefix):
    def setup(p):
        p.paint = 7
        p.set_anno(12, (258).to_bytes(4, "little"))
        p.timestamp_ns = 1_250_000_000
    assert show(capfd, UDPPKT, conf=conf, setup=setup) == [
        prefix + "10.0.0.1.1 > 10.0.0.2.2: udp 8"]


def test_timestamp_nanoseconds(capfd):
    def setup(p):
        p.timestamp_ns = 1_000_000_000_000_000_001
    assert show(capfd, UDPPKT, conf="", setup=setup) == [
        "1000000000.000000001: 10.0.0.1.1 > 10.0.0.2.2: udp 8"]


# -- contents and payload ---------------------------------------------------------------------

def test_contents_hex_and_ascii(capfd):
    pkt = ip(id=1) / UDP(sport=1, dport=2) / Raw(b"Hello, world! 0123456789 ABCDEFGHIJ\x00\x7f")
    raw = bytes(pkt)
    h = raw.hex()
    hexlines = ["  " + " ".join(h[i:i + 8] for i in range(j, min(j + 48, len(h)), 8))
                for j in range(0, len(h), 48)]
    assert show(capfd, pkt, conf="TIMESTAMP false, CONTENTS HEX") == [
        "10.0.0.1.1 > 10.0.0.2.2: udp 45"] + hexlines
    text = "".join(chr(c) if 32 <= c <= 126 else "." for c in raw)
    asc = ["  " + " ".join(text[i:i + 8] for i in range(j, min(j + 48, len(text)), 8))
           for j in range(0, len(text), 48)]
    assert show(capfd, pkt, conf="TIMESTAMP false, CONTENTS ascii") == [
        "10.0.0.1.1 > 10.0.0.2.2: udp 45"] + asc
    assert show(capfd, pkt, conf="TIMESTAMP false, CONTENTS true, MAXLENGTH 6") == [
        "10.0.0.1.1 > 10.0.0.2.2: udp 45", "  45000041 0001"]
    assert show(capfd, pkt, conf="TIMESTAMP false, CONTENTS true, MAXLENGTH 9, NBYTES 2") == [
        "10.0.0.1.1 > 10.0.0.2.2: udp 45", "  4500"]


def test_payload(capfd):
    tcp = ip() / TCP(sport=1, dport=2, flags="A", options=[("NOP", None)] * 4) / Raw(b"tcpdata")
    udp = ip() / UDP(sport=1, dport=2) / Raw(b"udpdata")
    other = ip(proto=99) / Raw(b"raw")
    frag = ip(proto=6, frag=2) / Raw(b"later")
    out = show(capfd, tcp, udp, other, frag, conf="TIMESTAMP false, PAYLOAD ascii")
    assert out[1::2] == ["  tcpdata", "  udpdata", "  raw", "  later"]
    assert show(capfd, udp, conf="TIMESTAMP false, PAYLOAD true, MAXLENGTH -1") == [
        "10.0.0.1.1 > 10.0.0.2.2: udp 15", "  75647064 617461"]
    assert show(capfd, ip() / UDP(), conf="TIMESTAMP false, PAYLOAD hex") == [
        "10.0.0.1.53 > 10.0.0.2.53: udp 8"]


def test_options_in_ip_header(capfd):
    pkt = ip(options=[IPOption_NOP()] * 4) / TCP(sport=3, dport=4, flags="S", window=1)
    assert show(capfd, pkt) == ["10.0.0.1.3 > 10.0.0.2.4: S 0:1(1,44,44) win 1"]


# -- when it prints, where, and arguments -------------------------------------------------------

def test_packets_without_network_header_pass_silently(capfd):
    c = Chain("e :: IPPrint(x)").push(bytes(UDPPKT))
    assert c.out() == [bytes(UDPPKT)] and lines(capfd) == []


def test_active_handler(capfd):
    c = Chain("MarkIPHeader -> e :: IPPrint(x, TIMESTAMP false, ACTIVE false)")
    c.push(bytes(UDPPKT), into="MarkIPHeader@2")
    assert lines(capfd) == [] and c.read("e.active") == "false"
    c.router.write("e.active", "true")
    c.push(bytes(UDPPKT), into="MarkIPHeader@2")
    assert lines(capfd) == ["x: 10.0.0.1.1 > 10.0.0.2.2: udp 8"]
    assert len(c.out()) == 2


def test_outfile(tmp_path, capfd):
    out = tmp_path / "ipprint.txt"
    c = Chain(f"MarkIPHeader -> e :: IPPrint(f, TIMESTAMP false, OUTFILE {out})")
    c.push(bytes(UDPPKT), bytes(UDPPKT)[:10], into="MarkIPHeader@2")
    c.router.cleanup()
    assert out.read_text() == ("f: 10.0.0.1.1 > 10.0.0.2.2: udp 8\n"
                               "f: truncated-ip\n")
    assert lines(capfd) == []


def test_outfile_that_cannot_be_opened(tmp_path):
    from clickpy.errors import ClickError
    with pytest.raises((ClickError, OSError)):
        Chain(f"e :: IPPrint(OUTFILE {tmp_path}/no/such/dir/f)")


def test_pull_context(capfd):
    run(f"InfiniteSource(\\<{bytes(UDPPKT).hex()}>, LIMIT 2, STOP true) -> Queue "
        f"-> MarkIPHeader -> IPPrint(q, TIMESTAMP false) -> Unqueue -> Discard;")
    assert lines(capfd) == ["q: 10.0.0.1.1 > 10.0.0.2.2: udp 8"] * 2


@pytest.mark.parametrize("conf, reason", [
    ("IPPrint(x, CONTENTS foo)", "bad contents value 'FOO'; should be 'NONE', 'HEX', or 'ASCII'"),
    ("IPPrint(x, PAYLOAD foo)", "bad payload value 'foo'; should be 'false', 'hex', or 'ascii'"),
    ("IPPrint(CONTENTS hex, PAYLOAD hex)", "specify at most one of PAYLOAD and CONTENTS"),
    ("IPPrint(x, MAXLENGTH lots)", "MAXLENGTH: expected integer"),
    ("IPPrint(x, SWAP maybe)", "SWAP: expected boolean"),
    ("IPPrint(x, y)", "too many arguments"),
    ("IPPrint(x, COLOR red)", "COLOR: unknown argument"),
])
def test_bad_arguments(conf, reason):
    assert config_error(conf) == ["test.click:1: While configuring 'x :: IPPrint':",
                                  f"  {reason}"]


# -- fuzz: random bytes, random header marks: never crashes, always passes -------------------

_FUZZ = {}


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(packets=st.lists(st.tuples(st.binary(max_size=100), st.integers(0, 30),
                                  st.integers(0, 80)), max_size=10),
       payload=st.booleans())
def test_fuzz_ipprint(capfd, packets, payload):
    key = payload
    if key not in _FUZZ:
        conf = "z, PAYLOAD hex" if payload else "z, CONTENTS ascii, AGGREGATE true"
        _FUZZ[key] = Chain(f"e :: IPPrint({conf})")
    c = _FUZZ[key]
    before = len(c.out())
    marks = 0
    for data, nh, hl in packets:
        p = clickpy.Packet(data)
        if nh + hl <= len(data):
            p.set_network_header(nh, hl)
            marks += 1
        c.push(p)
    assert [bytes(d) for d in c.out()[before:]] == [d for d, _, _ in packets]
    printed = [ln for ln in lines(capfd) if ln.startswith("z: ")]
    assert len(printed) == marks
