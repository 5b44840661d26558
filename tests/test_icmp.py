"""test_icmp -- ICMPError, ICMPPingResponder, ICMPPingSource, CheckICMPHeader byte for byte."""
import pytest
from harness import IPChain, as_packet, at, click_error, fire_timers, run, simulated_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_LSRR, IPOption_NOP
from scapy.packet import Raw

import clickpy
from clickpy.runtime.handlers import HandlerError

ANNO_PARAMPROB, ANNO_FIX_IP_SRC = 17, 18


def udp_packet(**kw):
    payload = kw.pop("payload", b"clickpy icmp test payload")
    fields = dict(src="10.0.0.2", dst="10.0.1.2", ttl=64)
    fields.update(kw)
    return bytes(IP(**fields) / UDP(sport=1234, dport=5678) / Raw(payload))


# -- ICMPError ---------------------------------------------------------------------------

def expected_error(orig, out, icmp_type, code, quote=None, src="18.26.4.24", **icmp_fields):
    """What scapy builds for the error answering ``orig``, with ``out``'s IP id."""
    quote = orig[:548] if quote is None else quote
    pkt = IP(src=src, dst=IP(orig).src, ttl=200, id=IP(out).id, proto=1) \
        / ICMP(type=icmp_type, code=code, **icmp_fields) / Raw(quote)
    return bytes(pkt)


@pytest.mark.parametrize("conf, icmp_type, code", [
    ("unreachable", 3, 0), ("unreachable, net", 3, 0), ("unreachable, host", 3, 1),
    ("unreachable, protocol", 3, 2), ("unreachable, port", 3, 3),
    ("unreachable, srcroutefail", 3, 5), ("unreachable, filterprohibited", 3, 13),
    ("3, 10", 3, 10), ("sourcequench", 4, 0), ("timeexceeded", 11, 0),
    ("timeexceeded, transit", 11, 0), ("timeexceeded, reassembly", 11, 1),
    ("parameterproblem, missingopt", 12, 1), ("parameterproblem, length", 12, 2),
    ("12, 2", 12, 2),
])
def test_icmperror_types_and_codes_byte_for_byte(conf, icmp_type, code):
    orig = udp_packet()
    c = IPChain(f"e :: ICMPError(18.26.4.24, {conf})").push(orig)
    (out,) = c.out(0)
    assert out == expected_error(orig, out, icmp_type, code)
    assert IP(out).ttl == 200 and IP(out).tos == 0
    p = c.packets(0)[0]
    assert p.network_header_offset == 0
    assert p.dst_ip == "10.0.0.2"
    assert p.anno[ANNO_FIX_IP_SRC] == 1
    assert p.timestamp_ns != 0


def test_icmperror_ip_ids_count_up():
    c = IPChain("e :: ICMPError(1.2.3.4, unreachable)")
    c.push(udp_packet(), udp_packet())
    a, b = (IP(x).id for x in c.out(0))
    assert b == (a + 1) & 0xFFFF


def test_icmperror_parameter_problem_pointer_from_annotation():
    orig = udp_packet()
    p = as_packet(orig)
    p.set_anno(ANNO_PARAMPROB, bytes([22]))
    c = IPChain("e :: ICMPError(18.26.4.24, parameterproblem)").push(p)
    (out,) = c.out(0)
    assert out == expected_error(orig, out, 12, 0, ptr=22)


def test_icmperror_redirect_gateway_from_dst_annotation():
    orig = udp_packet()
    p = as_packet(orig)
    p.dst_ip = "10.0.0.254"
    c = IPChain("e :: ICMPError(18.26.4.24, redirect, host)").push(p)
    (out,) = c.out(0)
    assert out == expected_error(orig, out, 5, 1, gw="10.0.0.254")


def test_icmperror_needfrag_carries_pmtu():
    orig = udp_packet(flags="DF")
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable, needfrag, PMTU 1400)")
    (out,) = c.push(orig).out(0)
    assert out == expected_error(orig, out, 3, 4, nexthopmtu=1400)
    assert c.read("e.pmtu") == "1400"
    c.write("e.pmtu", "1280")
    (_, out2) = c.push(orig).out(0)
    assert ICMP(out2[20:]).nexthopmtu == 1280


def test_icmperror_quotes_as_much_as_mtu_allows():
    orig = udp_packet(payload=bytes(range(256)) * 4)
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable)").push(orig)
    (out,) = c.out(0)
    assert len(out) == 576 and out == expected_error(orig, out, 3, 0, quote=orig[:548])
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable, MTU 68)").push(orig)
    (out,) = c.out(0)
    assert len(out) == 68 and out == expected_error(orig, out, 3, 0, quote=orig[:40])
    assert c.read("e.mtu") == "68"


def test_icmperror_quotes_from_the_network_header():
    orig = udp_packet()
    p = as_packet(b"\xee" * 14 + orig, offset=14)
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable)").push(p)
    (out,) = c.out(0)
    assert out == expected_error(orig, out, 3, 0, quote=orig)


def test_icmperror_set_fix_anno_false_and_src_handler():
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable, SET_FIX_ANNO false)")
    c.push(udp_packet())
    assert c.packets(0)[0].anno[ANNO_FIX_IP_SRC] == 0
    assert c.read("e.src") == "18.26.4.24"
    c.write("e.src", "9.9.9.9")
    c.push(udp_packet())
    assert IP(c.out(0)[1]).src == "9.9.9.9"


def _typed(raw, packet_type):
    p = as_packet(raw)
    p.packet_type = packet_type
    return p


NO_ERROR_CASES = {
    "icmp unreachable": lambda: bytes(IP(src="10.0.0.2", dst="10.0.1.2") / ICMP(type=3)
                                      / Raw(udp_packet()[:28])),
    "icmp redirect": lambda: bytes(IP(src="10.0.0.2", dst="10.0.1.2") / ICMP(type=5)
                                   / Raw(udp_packet()[:28])),
    "icmp time exceeded": lambda: bytes(IP(src="10.0.0.2", dst="10.0.1.2") / ICMP(type=11)
                                        / Raw(udp_packet()[:28])),
    "icmp truncated": lambda: bytes(IP(src="10.0.0.2", dst="10.0.1.2", proto=1)) + b"\x08\0",
    "limited broadcast": lambda: udp_packet(dst="255.255.255.255"),
    "multicast dst": lambda: udp_packet(dst="224.0.0.9"),
    "link broadcast": lambda: _typed(udp_packet(), 1),
    "link multicast": lambda: _typed(udp_packet(), 2),
    "src net 0": lambda: udp_packet(src="0.1.2.3"),
    "src loopback": lambda: udp_packet(src="127.0.0.1"),
    "src class E": lambda: udp_packet(src="240.0.0.1"),
    "src broadcast": lambda: udp_packet(src="255.255.255.255"),
    "src multicast": lambda: udp_packet(src="230.1.1.1"),
    "later fragment": lambda: udp_packet(frag=3),
    "last fragment": lambda: udp_packet(frag=1, flags=0),
    "no network header": lambda: clickpy.Packet(udp_packet()),
    "badaddrs src": lambda: udp_packet(src="10.0.0.255"),
    "badaddrs dst": lambda: udp_packet(dst="10.0.1.255"),
}


@pytest.mark.parametrize("case", NO_ERROR_CASES, ids=str)
def test_icmperror_stays_quiet(case):
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable, BADADDRS 10.0.0.255 10.0.1.255)")
    c.push(NO_ERROR_CASES[case]())
    assert c.out(0) == []


def test_icmperror_answers_echo_requests_and_first_fragments():
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable)")
    echo = bytes(IP(src="10.0.0.2", dst="10.0.1.2") / ICMP(type=8) / Raw(b"ping"))
    first = udp_packet(flags="MF")
    c.push(echo, first)
    assert len(c.out(0)) == 2


def lsrr_packet(pointer):
    opt = IPOption_LSRR(routers=["1.1.1.1", "2.2.2.2", "3.3.3.3"], pointer=pointer)
    return udp_packet(options=[opt, IPOption_NOP()])


def test_icmperror_reverses_the_source_route():
    orig = lsrr_packet(12)                  # two addresses recorded so far
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable, host)").push(orig)
    (out,) = c.out(0)
    assert out[0] == 0x48                    # 32-byte header
    option = bytes([131, 11, 4]) + bytes([2, 2, 2, 2, 1, 1, 1, 1]) + b"\0"
    assert out[20:32] == option
    fixed = IP(out)
    fixed.chksum = None
    fixed[ICMP].chksum = None
    assert bytes(fixed) == out
    assert out[32 + 8:] == orig


def test_icmperror_route_with_nothing_recorded_and_redirect_refusal():
    c = IPChain("e :: ICMPError(18.26.4.24, unreachable)").push(lsrr_packet(4))
    (out,) = c.out(0)
    assert out[0] == 0x46 and out[20:24] == bytes([131, 3, 4, 0])
    c = IPChain("e :: ICMPError(18.26.4.24, redirect)").push(lsrr_packet(8))
    assert c.out(0) == []


def test_icmperror_parameter_problem_in_the_route_drops_the_route():
    p = as_packet(lsrr_packet(8))
    p.set_anno(ANNO_PARAMPROB, bytes([22]))     # the option's pointer byte
    c = IPChain("e :: ICMPError(18.26.4.24, parameterproblem)").push(p)
    (out,) = c.out(0)
    assert out[0] == 0x45 and out[24] == 22


def test_icmperror_rate_limit_under_simulated_time():
    with simulated_time():
        c = IPChain("e :: ICMPError(18.26.4.24, unreachable, RATE 2)")
        c.push(*[udp_packet()] * 5)
        assert len(c.out(0)) == 2
        at(0.5)
        c.push(*[udp_packet()] * 5)
        assert len(c.out(0)) == 3
        at(10)
        c.push(*[udp_packet()] * 5)
        assert len(c.out(0)) == 5


@pytest.mark.parametrize("conf, message", [
    ("1.2.3.4, echo", "ICMP type 8 is not an error type"),
    ("1.2.3.4, 300", "ICMP type must be between 0 and 255"),
    ("1.2.3.4, bogus", "TYPE: expected ICMP type"),
    ("1.2.3.4, unreachable, transit", "argument 2 takes ICMP code"),
    ("1.2.3.4, unreachable, 256", "argument 2 takes ICMP code"),
    ("1.2.3.4", "TYPE: required argument missing"),
    ("1.2.3, unreachable", "SRC:"),
    ("1.2.3.4, unreachable, MTU -1", "MTU:"),
])
def test_icmperror_argument_errors(conf, message):
    text = str(click_error(IPChain, f"e :: ICMPError({conf})"))
    assert "While configuring 'e :: ICMPError'" in text
    assert message in text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=120), hl=st.integers(0x40, 0x4F), proto=st.sampled_from([1, 6, 17]),
       anno=st.integers(0, 255), ptype=st.integers(0, 4))
def test_fuzz_icmperror(raw, hl, proto, anno, ptype):
    data = bytearray(raw)
    if len(data) > 9:
        data[0] = hl
        data[9] = proto
    p = as_packet(bytes(data))
    p.set_anno(ANNO_PARAMPROB, bytes([anno]))
    p.packet_type = ptype
    c = _fuzz_icmperror()
    before = len(c.out(0))
    c.push(p)
    for out in c.out(0)[before:]:
        assert len(out) <= 576
        check = IP(out)
        check.chksum = None
        check[ICMP].chksum = None
        assert bytes(check)[:len(out)] == out


_FUZZ = {}


def _fuzz_icmperror():
    if "e" not in _FUZZ:
        _FUZZ["e"] = IPChain("e :: ICMPError(18.26.4.24, parameterproblem)")
    return _FUZZ["e"]


# -- ICMPPingResponder -------------------------------------------------------------------

def echo_request(**kw):
    data = kw.pop("payload", b"abcdefghijklmnop")
    icmp = {k: kw.pop(k) for k in ("id", "seq") if k in kw}
    fields = dict(src="10.0.0.2", dst="10.0.1.2", ttl=33, flags="DF")
    fields.update(kw)
    return bytes(IP(**fields) / ICMP(type=8, **icmp) / Raw(data))


def expected_reply(req):
    pkt = IP(req)
    pkt.src, pkt.dst = pkt.dst, pkt.src
    pkt.ttl, pkt.flags, pkt.frag = 255, 0, 0
    pkt[ICMP].type = 0
    pkt.chksum = None
    pkt[ICMP].chksum = None
    return bytes(pkt)


@pytest.mark.parametrize("req", [
    echo_request(), echo_request(id=0x1234, seq=7, payload=b""),
    echo_request(id=0, seq=0, payload=b"\0" * 8), echo_request(options=[IPOption_NOP()] * 4),
    echo_request(flags="MF", frag=0),
])
def test_pingresponder_replies_byte_for_byte(req):
    p = as_packet(req)
    p.paint = 7
    c = IPChain("e :: ICMPPingResponder", outputs=2).push(p)
    assert c.out(0) == [expected_reply(req)] and c.out(1) == []
    out = c.packets(0)[0]
    assert out.dst_ip == "10.0.0.2" and out.paint == 0 and out.timestamp_ns != 0


def test_pingresponder_other_packets_go_to_output_1():
    others = [udp_packet(), bytes(IP() / ICMP(type=0)), bytes(IP() / ICMP(type=13)),
              echo_request()[:26], clickpy.Packet(echo_request())]
    c = IPChain("e :: ICMPPingResponder", outputs=2).push(*others)
    assert c.out(0) == [] and len(c.out(1)) == len(others)
    assert c.out(1)[:4] == [bytes(x) for x in others[:4]]
    c = IPChain("e :: ICMPPingResponder").push(*others[:3])
    assert c.out(0) == []


def test_pingresponder_leaves_clones_alone():
    req = echo_request()
    p = as_packet(req)
    q = p.clone()
    c = IPChain("e :: ICMPPingResponder", outputs=2).push(p)
    assert bytes(q) == req and c.out(0) == [expected_reply(req)]


# -- ICMPPingSource ----------------------------------------------------------------------

def expected_ping(seq, ident=0, data=b"", src="10.0.0.1", dst="10.0.0.2"):
    return bytes(IP(src=src, dst=dst, ttl=200, id=seq, flags=0)
                 / ICMP(type=8, id=ident, seq=seq) / Raw(data))


def test_pingsource_sends_on_a_timer():
    r = run("""ps :: ICMPPingSource(10.0.0.1, 10.0.0.2, INTERVAL 0.5, LIMIT 3, STOP true,
                                    IDENTIFIER 0x1234, DATA "hello")
               -> c :: Counter -> out :: Sink;""".replace("Sink", "Discard"))
    assert r.read("ps.count") == "3" and r.read("c.count") == "3"


def test_pingsource_packets_byte_for_byte():
    with simulated_time():
        c = IPChain("e :: ICMPPingSource(10.0.0.1, 10.0.0.2, IDENTIFIER 4660, DATA xyz,"
                    " INTERVAL 0.25, LIMIT 3)", source="")
        fire_timers(c.router, 5)
        assert c.out(0) == [expected_ping(s, 4660, b"xyz") for s in (1, 2, 3)]
        first = c.packets(0)[0]
        assert first.dst_ip == "10.0.0.2" and first.network_header_offset == 0
        assert c.read("e.count") == "3"


def test_pingsource_pull_output():
    c = IPChain("e :: ICMPPingSource(10.0.0.1, 10.0.0.2, LIMIT 2) -> q :: Queue -> u :: Unqueue",
                source="")
    u = c.element("u")
    # pulled directly through the element: one request per pull
    e = c.element("e")
    assert bytes(e.pull(0)) == expected_ping(1)
    assert bytes(e.pull(0)) == expected_ping(2)
    assert e.pull(0) is None
    assert u is not None


def test_ping_exchange_with_responder_and_summary(capsys):
    r = run("""ps :: ICMPPingSource(10.0.0.1, 10.0.0.2, INTERVAL 0.1, LIMIT 4, STOP true)
                 -> ICMPPingResponder -> ps;""")
    assert r.read("ps.count") == "4"
    assert r.read("ps.summary") == (
        "4 packets transmitted, 4 received, 0% packet loss\n"
        "rtt min/avg/max/mdev = 0.000/0.000/0.000/0.000\n")
    assert r.read("ps.rtt_min") == "0s" and r.read("ps.rtt_max") == "0s"
    err = capsys.readouterr().err
    assert "ps :: ICMPPingSource: 0 bytes from 10.0.0.2: icmp_seq=1 ttl=255 time=0.000 ms" in err
    assert "ps :: ICMPPingSource: 4 packets transmitted, 4 received, 0% packet loss" in err


def test_pingsource_rtt_and_duplicates():
    with simulated_time():
        c = IPChain("e :: ICMPPingSource(10.0.0.1, 10.0.0.2, LIMIT 2, VERBOSE false)")
        fire_timers(c.router, 2)
        reqs = c.out(0)
        assert len(reqs) == 2

        def reply(req, delay_us):
            p = as_packet(expected_reply(req))
            p.timestamp_ns = IP_SENT[IP(req).id] + delay_us * 1000
            return p
        IP_SENT = {IP(q).id: p.timestamp_ns for q, p in zip(reqs, c.packets(0), strict=True)}
        c.push(reply(reqs[0], 1500), reply(reqs[1], 2500), reply(reqs[1], 4000))
        c.push(as_packet(expected_reply(expected_ping(9))))     # never sent: ignored
        assert c.read("e.summary") == (
            "2 packets transmitted, 2 received, +1 duplicates, -100% packet loss\n"
            "rtt min/avg/max/mdev = 1.500/2.666/4.000/1.029\n")
        assert c.read("e.rtt_min") == "0.0015s" and c.read("e.rtt_max") == "0.004s"
        assert c.read("e.rtt_avg") == "0.002666s"
        c.write("e.reset_counts")
        assert c.read("e.summary") == "0 packets transmitted, 0 received"


def test_pingsource_handlers():
    c = IPChain("e :: ICMPPingSource(10.0.0.1, 10.0.0.2, ACTIVE false)", source="")
    assert c.read("e.active") == "false" and c.read("e.src") == "10.0.0.1"
    c.write("e.dst", "10.9.9.9")
    assert c.read("e.dst") == "10.9.9.9"
    with pytest.raises(HandlerError):
        c.read("e.summary")                 # no input
    c.write("e.limit", "1")
    c.write("e.interval", "2s")
    with simulated_time():
        c.write("e.active", "true")
        fire_timers(c.router, 3)
    assert len(c.out(0)) == 1 and IP(c.out(0)[0]).dst == "10.9.9.9"


@pytest.mark.parametrize("conf", ["10.0.0.1", "10.0.0.1, 10.0.0.2, IDENTIFIER 70000",
                                  "10.0.0.1, 10.0.0.2, LIMIT x", "10.0.0.1, 10.0.0.2, FOO 1"])
def test_pingsource_argument_errors(conf):
    assert "While configuring 'e :: ICMPPingSource'" in str(
        click_error(IPChain, f"e :: ICMPPingSource({conf})", source=""))


# -- CheckICMPHeader -----------------------------------------------------------------------

ICMP_REASONS = ("not ICMP", "bad packet length", "bad ICMP checksum")


def icmp_details(counts):
    return "".join(f"{n}\t{r}\n" for n, r in zip(counts, ICMP_REASONS, strict=True))


def icmp_packet(icmp_type=8, payload=b"abcdefgh", **kw):
    return bytes(IP(src="1.1.1.1", dst="2.2.2.2") / ICMP(type=icmp_type, **kw) / Raw(payload))


GOOD_ICMP = [icmp_packet(), icmp_packet(0, b""), icmp_packet(3, udp_packet()[:28]),
             icmp_packet(13, b""), icmp_packet(15, b""), icmp_packet(17, b"1234"),
             icmp_packet(99, b"x")]


def _bad_sum(raw):
    b = bytearray(raw)
    b[22] ^= 0xFF
    return bytes(b)


BAD_ICMP = {
    "udp": (udp_packet(), 0),
    "no network header": (icmp_packet()[:0] + b"\x55" + icmp_packet()[1:], 0),
    "short": (bytes(IP(src="1.1.1.1", dst="2.2.2.2", proto=1)) + b"\x08\0\0\0", 1),
    "unreach too short": (icmp_packet(3, udp_packet()[:27]), 1),
    "tstamp long": (icmp_packet(13, b"\0"), 1),
    "inforeq data": (icmp_packet(16, b"\0"), 1),
    "checksum": (_bad_sum(icmp_packet()), 2),
}


def test_checkicmpheader_good_packets_pass():
    c = IPChain("e :: CheckICMPHeader", outputs=2).push(*GOOD_ICMP)
    assert c.out(0) == GOOD_ICMP and c.read("e.drops") == "0"


@pytest.mark.parametrize("case", BAD_ICMP, ids=str)
def test_checkicmpheader_bad_cases(case):
    raw, reason = BAD_ICMP[case]
    c = IPChain("e :: CheckICMPHeader(DETAILS true)", outputs=2).push(GOOD_ICMP[0], raw)
    assert c.out(0) == [GOOD_ICMP[0]] and len(c.out(1)) == 1
    counts = [0, 0, 0]
    counts[reason] = 1
    assert c.read("e.drops") == "1" and c.read("e.drop_details") == icmp_details(counts)
    c = IPChain("e :: CheckICMPHeader").push(raw)
    assert c.out(0) == [] and c.read("e.drops") == "1"


def test_checkicmpheader_messages(capsys):
    IPChain("e :: CheckICMPHeader", outputs=2).push(udp_packet(), udp_packet())
    assert capsys.readouterr().err == "e: ICMP header check failed: not ICMP\n"
    IPChain("e :: CheckICMPHeader(VERBOSE true)", outputs=2).push(udp_packet(),
                                                                  _bad_sum(icmp_packet()))
    assert capsys.readouterr().err == ("e: ICMP header check failed: not ICMP\n"
                                       "e: ICMP header check failed: bad ICMP checksum\n")
    with pytest.raises(HandlerError):
        IPChain("e :: CheckICMPHeader", outputs=2).read("e.drop_details")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets=st.lists(st.binary(max_size=80), max_size=10), icmp=st.booleans())
def test_fuzz_checkicmpheader_accounting(packets, icmp):
    c = _fuzz_check()
    n0, n1 = len(c.out(0)), len(c.out(1))
    drops = int(c.read("e.drops"))
    for raw in packets:
        b = bytearray(raw)
        if icmp and len(b) >= 20:
            b[0], b[9] = 0x45, 1
        c.push(bytes(b))
    d0, d1 = len(c.out(0)) - n0, len(c.out(1)) - n1
    assert d0 + d1 == len(packets) and d1 == int(c.read("e.drops")) - drops
    lines = c.read("e.drop_details").splitlines()
    assert sum(int(x.split("\t")[0]) for x in lines) == int(c.read("e.drops"))


def _fuzz_check():
    if "check" not in _FUZZ:
        _FUZZ["check"] = IPChain("e :: CheckICMPHeader(DETAILS true)", outputs=2)
    return _FUZZ["check"]


def test_tcp_is_not_icmp():
    raw = bytes(IP() / TCP())
    assert IPChain("e :: CheckICMPHeader", outputs=2).push(raw).out(1) == [raw]
