"""test_tcpudp -- CheckTCPHeader, CheckUDPHeader, SetTCPChecksum, SetUDPChecksum, UDPIPEncap."""
import pytest
from harness import IPChain, as_packet, click_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, TCP, UDP, IPOption_NOP
from scapy.packet import Raw

import clickpy
from clickpy.runtime.handlers import HandlerError


def tcp_packet(payload=b"tcp payload bytes", **kw):
    tcp = {k: kw.pop(k) for k in ("sport", "dport", "flags", "options", "dataofs") if k in kw}
    fields = dict(src="10.0.0.2", dst="10.0.1.2")
    fields.update(kw)
    return bytes(IP(**fields) / TCP(**tcp) / Raw(payload))


def udp_packet(payload=b"udp payload", **kw):
    udp = {k: kw.pop(k) for k in ("sport", "dport", "chksum", "len") if k in kw}
    fields = dict(src="10.0.0.2", dst="10.0.1.2")
    fields.update(kw)
    return bytes(IP(**fields) / UDP(**udp) / Raw(payload))


def corrupt(raw, at, value):
    b = bytearray(raw)
    b[at:at + len(value)] = value
    return bytes(b)


def details(counts, proto):
    reasons = (f"not {proto}", "bad packet length", f"bad {proto} checksum")
    return "".join(f"{n}\t{r}\n" for n, r in zip(counts, reasons, strict=True))


# -- CheckTCPHeader -------------------------------------------------------------------

GOOD_TCP = [tcp_packet(), tcp_packet(b""), tcp_packet(b"odd"),
            tcp_packet(options=[("MSS", 1460), ("NOP", None), ("WScale", 7)]),
            tcp_packet(options=[IPOption_NOP()] and [("NOP", None)] * 4, payload=b"x" * 99),
            bytes(IP(src="1.2.3.4", dst="5.6.7.8", options=[IPOption_NOP()] * 4) / TCP())]

BAD_TCP = {
    "udp": (udp_packet(), 0),
    "no ip header": (clickpy.Packet(tcp_packet()), 0),
    "offset below 20": (corrupt(tcp_packet(), 32, b"\x40"), 1),
    "offset past segment": (corrupt(tcp_packet(b""), 32, b"\x60"), 1),
    "truncated": (tcp_packet()[:-1], 1),
    "checksum": (corrupt(tcp_packet(), 36, b"\x00\x01"), 2),
    "payload bit": (corrupt(tcp_packet(), 45, b"X"), 2),
    "address bit": (corrupt(tcp_packet(), 12, b"\x0b"), 2),
}


def test_checktcpheader_good():
    c = IPChain("e :: CheckTCPHeader", outputs=2).push(*GOOD_TCP)
    assert c.out(0) == GOOD_TCP and c.read("e.drops") == "0"


@pytest.mark.parametrize("case", BAD_TCP, ids=str)
def test_checktcpheader_bad(case, capsys):
    raw, reason = BAD_TCP[case]
    data = bytes(raw)
    c = IPChain("e :: CheckTCPHeader(DETAILS true)", outputs=2).push(GOOD_TCP[0], raw)
    assert c.out(0) == [GOOD_TCP[0]] and c.out(1) == [data]
    counts = [0, 0, 0]
    counts[reason] = 1
    assert c.read("e.drops") == "1" and c.read("e.drop_details") == details(counts, "TCP")
    reasons = ("not TCP", "bad packet length", "bad TCP checksum")
    assert capsys.readouterr().err == f"e: TCP header check failed: {reasons[reason]}\n"
    c = IPChain("e :: CheckTCPHeader").push(data if reason else udp_packet())
    assert c.out(0) == [] and c.read("e.drops") == "1"
    with pytest.raises(HandlerError):
        c.read("e.drop_details")


# -- CheckUDPHeader -------------------------------------------------------------------

GOOD_UDP = [udp_packet(), udp_packet(b""), udp_packet(b"odd"), udp_packet(chksum=0),
            udp_packet(options=[IPOption_NOP()] * 4)]

BAD_UDP = {
    "tcp": (tcp_packet(), 0),
    "no ip header": (clickpy.Packet(udp_packet()), 0),
    "length below 8": (corrupt(udp_packet(), 24, b"\x00\x07"), 1),
    "length past packet": (udp_packet(len=40), 1),
    "only 7 udp bytes": (udp_packet()[:27], 1),
    "checksum": (corrupt(udp_packet(), 26, b"\x12\x34"), 2),
    "payload bit": (corrupt(udp_packet(), 29, b"Z"), 2),
}


def test_checkudpheader_good():
    c = IPChain("e :: CheckUDPHeader", outputs=2).push(*GOOD_UDP)
    assert c.out(0) == GOOD_UDP and c.read("e.drops") == "0"


@pytest.mark.parametrize("case", BAD_UDP, ids=str)
def test_checkudpheader_bad(case, capsys):
    raw, reason = BAD_UDP[case]
    data = bytes(raw)
    c = IPChain("e :: CheckUDPHeader(DETAILS true, VERBOSE true)", outputs=2).push(GOOD_UDP[0], raw)
    assert c.out(0) == [GOOD_UDP[0]] and c.out(1) == [data]
    counts = [0, 0, 0]
    counts[reason] = 1
    assert c.read("e.drops") == "1" and c.read("e.drop_details") == details(counts, "UDP")
    reasons = ("not UDP", "bad packet length", "bad UDP checksum")
    assert capsys.readouterr().err == f"UDP header check failed: {reasons[reason]}\n"


@pytest.mark.parametrize("name", ["CheckTCPHeader", "CheckUDPHeader", "CheckICMPHeader"])
@pytest.mark.parametrize("conf", ["1", "VERBOSE maybe", "FOO true"])
def test_checker_argument_errors(name, conf):
    assert f"While configuring 'e :: {name}'" in str(
        click_error(IPChain, f"e :: {name}({conf})", outputs=2))


_FUZZ = {}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets=st.lists(st.binary(max_size=90), max_size=10), proto=st.sampled_from([6, 17]),
       hl=st.integers(0x45, 0x48), name=st.sampled_from(["CheckTCPHeader", "CheckUDPHeader"]))
def test_fuzz_checkers_accounting(packets, proto, hl, name):
    if name not in _FUZZ:
        _FUZZ[name] = IPChain(f"e :: {name}(DETAILS true)", outputs=2)
    c = _FUZZ[name]
    n0, n1, drops = len(c.out(0)), len(c.out(1)), int(c.read("e.drops"))
    for raw in packets:
        b = bytearray(raw)
        if len(b) >= 20:
            b[0], b[9] = hl, proto
        c.push(bytes(b))
    d0, d1 = len(c.out(0)) - n0, len(c.out(1)) - n1
    assert d0 + d1 == len(packets) and d1 == int(c.read("e.drops")) - drops
    for out in c.out(0)[n0:]:
        pkt = IP(out)
        layer = pkt[TCP] if proto == 6 else pkt[UDP]
        if layer.chksum:
            layer.chksum = None
            assert bytes(pkt) == out


# -- SetTCPChecksum / SetUDPChecksum ---------------------------------------------------

def zero_sum(raw, at):
    return corrupt(raw, at, b"\0\0")


@pytest.mark.parametrize("raw", GOOD_TCP)
def test_settcpchecksum_matches_scapy(raw):
    hlen = (raw[0] & 15) * 4
    c = IPChain("e :: SetTCPChecksum").push(zero_sum(raw, hlen + 16))
    assert c.out(0) == [raw]


def test_settcpchecksum_fixoff_and_bad_lengths(capsys):
    raw = tcp_packet(b"")
    low = zero_sum(corrupt(raw, 32, b"\x30"), 36)
    high = zero_sum(corrupt(raw, 32, b"\xf0"), 36)
    c = IPChain("e :: SetTCPChecksum(true)").push(low, high)
    assert c.out(0) == [raw, raw]
    c = IPChain("e :: SetTCPChecksum(FIXOFF false)").push(low)
    assert c.out(0)[0][32] == 0x30
    c = IPChain("e :: SetTCPChecksum").push(raw[:39], clickpy.Packet(raw))
    assert c.out(0) == []
    assert capsys.readouterr().err == "SetTCPChecksum: bad lengths\n" * 2


@pytest.mark.parametrize("raw", GOOD_UDP[:3] + GOOD_UDP[4:])
def test_setudpchecksum_matches_scapy(raw):
    hlen = (raw[0] & 15) * 4
    c = IPChain("e :: SetUDPChecksum", outputs=2).push(zero_sum(raw, hlen + 6))
    assert c.out(0) == [raw]


def test_setudpchecksum_fragments_and_short_packets(capsys):
    frag = udp_packet(flags="MF")
    short = udp_packet(len=40)
    c = IPChain("e :: SetUDPChecksum", outputs=2).push(frag, short)
    assert c.out(0) == [] and c.out(1) == [frag, short]
    assert capsys.readouterr().err == ""
    c = IPChain("e :: SetUDPChecksum").push(frag, short)
    assert c.out(0) == []
    assert capsys.readouterr().err == "e: fragment or short packet\n"


def test_setudpchecksum_zero_becomes_ffff():
    # a payload chosen so the checksum comes out as 0: scapy also writes 0xFFFF
    base = IP(src="10.0.0.2", dst="10.0.1.2") / UDP(sport=1, dport=2) / Raw(b"\0\0")
    raw = bytes(base)
    need = int.from_bytes(raw[26:28], "big")
    raw = corrupt(raw, 28, need.to_bytes(2, "big"))   # complement the sum away
    fixed = IP(raw)
    fixed[UDP].chksum = None
    expect = bytes(fixed)
    assert expect[26:28] == b"\xff\xff"
    assert IPChain("e :: SetUDPChecksum", outputs=2).push(zero_sum(raw, 26)).out(0) == [expect]


# -- UDPIPEncap -------------------------------------------------------------------------

def test_udpipencap_byte_for_byte():
    c = IPChain("e :: UDPIPEncap(1.0.0.1, 1234, 2.0.0.2, dns)")
    c.push(b"hello", b"", b"odd-length")
    outs = c.out(0)
    for i, (out, payload) in enumerate(zip(outs, [b"hello", b"", b"odd-length"], strict=True)):
        want = IP(src="1.0.0.1", dst="2.0.0.2", ttl=250, id=i) / UDP(sport=1234, dport=53) \
            / Raw(payload)
        assert out == bytes(want)
    p = c.packets(0)[0]
    assert p.dst_ip == "2.0.0.2" and p.network_header_offset == 0


def test_udpipencap_dst_anno_and_no_checksum():
    c = IPChain("e :: UDPIPEncap(1.0.0.1, 1, DST_ANNO, 2, false)")
    p = clickpy.Packet(b"data")
    p.dst_ip = "9.8.7.6"
    c.push(p)
    (out,) = c.out(0)
    want = bytes(IP(src="1.0.0.1", dst="9.8.7.6", ttl=250, id=0) / UDP(sport=1, dport=2,
                                                                        chksum=0) / Raw(b"data"))
    assert out == want
    assert c.read("e.dst") == "0.0.0.0"


def test_udpipencap_handlers():
    c = IPChain("e :: UDPIPEncap(1.0.0.1, 1, 2.0.0.2, 2)")
    assert (c.read("e.src"), c.read("e.sport"), c.read("e.dst"), c.read("e.dport")) == \
        ("1.0.0.1", "1", "2.0.0.2", "2")
    c.write("e.src", "3.3.3.3")
    c.write("e.sport", "99")
    c.write("e.dst", "4.4.4.4")
    c.write("e.dport", "ntp")
    c.push(b"x")
    pkt = IP(c.out(0)[0])
    assert (pkt.src, pkt.dst, pkt[UDP].sport, pkt[UDP].dport) == ("3.3.3.3", "4.4.4.4", 99, 123)


@pytest.mark.parametrize("conf", ["1.0.0.1, 1, 2.0.0.2", "1.0.0.1, 70000, 2.0.0.2, 1",
                                  "1.0.0.1, 1, 2.0.0, 1", "1.0.0.1, 1, 2.0.0.2, 1, maybe"])
def test_udpipencap_argument_errors(conf):
    assert "While configuring 'e :: UDPIPEncap'" in str(
        click_error(IPChain, f"e :: UDPIPEncap({conf})"))


def test_encap_then_check_round_trip():
    c = IPChain("e :: UDPIPEncap(1.0.0.1, 5, 2.0.0.2, 6) -> CheckIPHeader -> CheckUDPHeader")
    c.push(b"abc", b"")
    assert len(c.out(0)) == 2
    assert as_packet is not None
