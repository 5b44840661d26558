"""test_ip_chain -- IPv4 header elements byte for byte, fuzzed, and the forward chain end to end."""
import pytest
from harness import Chain, cli, hexdata, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP, IPOption_NOP, IPOption_RR
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.utils import checksum

import clickpy
from clickpy.errors import ClickError
from clickpy.runtime.handlers import HandlerError

REASONS = ("tiny packet", "bad IP version", "bad IP header length",
           "bad IP length", "bad IP checksum", "bad source address")


def ip_udp(**kw):
    payload = kw.pop("payload", b"clickpy ip chain test")
    fields = dict(src="10.0.0.2", dst="10.0.1.2", ttl=64)
    fields.update(kw)
    return IP(**fields) / UDP(sport=1234, dport=5678) / Raw(payload)


def with_checksum(header: bytes) -> bytes:
    """``header`` with its IP checksum recomputed (the field zeroed while summing)."""
    h = bytearray(header)
    h[10:12] = b"\0\0"
    h[10:12] = checksum(bytes(h)).to_bytes(2, "big")
    return bytes(h)


def expected_after_ttl(raw: bytes) -> bytes:
    """What DecIPTTL should emit: scapy decrements the TTL and recomputes the checksum."""
    pkt = IP(raw)
    pkt.ttl -= 1
    pkt.chksum = None
    return bytes(pkt)


def details(counts):
    return "".join(f"{n}\t{r}\n" for n, r in zip(counts, REASONS, strict=True))


# -- CheckIPHeader: good packets -----------------------------------------------------

def test_good_packet_passes_unchanged_with_annotations():
    raw = bytes(ip_udp())
    c = Chain("e :: CheckIPHeader", outputs=2).push(raw)
    assert c.out(0) == [raw] and c.out(1) == []
    p = c.packets(0)[0]
    assert p.network_header_offset == 0
    assert p.dst_ip == "10.0.1.2"
    assert c.read("e.drops") == "0"


def test_dst_ip_annotation_is_always_overwritten():
    p = clickpy.Packet(bytes(ip_udp(dst="192.168.7.9")))
    p.dst_ip = "1.2.3.4"
    c = Chain("e :: CheckIPHeader", outputs=2).push(p)
    assert c.packets(0)[0].dst_ip == "192.168.7.9"


def test_padding_past_ip_length_is_trimmed():
    raw = bytes(ip_udp())
    c = Chain("e :: CheckIPHeader", outputs=2).push(raw + b"\0" * 18)
    assert c.out(0) == [raw]


def test_offset_with_ethernet_frame_trims_only_the_ip_datagram():
    frame = bytes(Ether(src="00:00:c0:4f:71:ef", dst="00:00:c0:ae:67:ef") / ip_udp())
    c = Chain("e :: CheckIPHeader(14)", outputs=2).push(frame + b"\xaa" * 7)
    assert c.out(0) == [frame]
    assert c.packets(0)[0].network_header_offset == 14
    c2 = Chain("e :: CheckIPHeader(OFFSET 14)", outputs=2).push(frame)
    assert c2.out(0) == [frame]


def test_ip_options_are_accepted_and_checksummed():
    pkt = ip_udp(options=[IPOption_RR(routers=["1.2.3.4"]), IPOption_NOP()])
    raw = bytes(pkt)
    assert raw[0] & 0x0F > 5
    c = Chain("e :: CheckIPHeader -> DecIPTTL", outputs=2).push(raw)
    assert c.out(0) == [expected_after_ttl(raw)]
    # a flipped bit inside the options must be caught by the checksum
    bad = bytearray(raw)
    bad[22] ^= 0x01
    c = Chain("e :: CheckIPHeader(DETAILS true)", outputs=2).push(bytes(bad))
    assert c.out(1) == [bytes(bad)]
    assert c.read("e.drop_details") == details([0, 0, 0, 0, 1, 0])


# -- CheckIPHeader: each bad case ------------------------------------------------------

def _patch(raw, at, value, fix=True):
    b = bytearray(raw)
    b[at:at + len(value)] = value
    h = (b[0] & 0x0F) * 4
    return with_checksum(bytes(b[:h])) + bytes(b[h:]) if fix and h >= 20 else bytes(b)


GOOD = bytes(ip_udp())
BAD_CASES = {
    "truncated": (GOOD[:19], 0),
    "empty": (b"", 0),
    "version 6": (_patch(GOOD, 0, b"\x65"), 1),
    "version 0": (_patch(GOOD, 0, b"\x05"), 1),
    "header length 16": (_patch(GOOD, 0, b"\x44", fix=False), 2),
    "header length 0": (_patch(GOOD, 0, b"\x40", fix=False), 2),
    "ip_len too big": (_patch(GOOD, 2, (len(GOOD) + 1).to_bytes(2, "big")), 3),
    "ip_len below header": (_patch(GOOD, 2, (19).to_bytes(2, "big")), 3),
    "header longer than packet": (_patch(GOOD[:24], 0, b"\x4f", fix=False), 3),
    "bad checksum": (_patch(GOOD, 10, b"\x12\x34", fix=False), 4),
}


@pytest.mark.parametrize("case", BAD_CASES, ids=str)
def test_bad_packet_goes_to_output_1_and_is_counted(case):
    raw, reason = BAD_CASES[case]
    c = Chain("e :: CheckIPHeader(DETAILS true)", outputs=2).push(GOOD, raw, GOOD)
    assert c.out(0) == [GOOD, GOOD]
    assert c.out(1) == [raw]                    # unchanged, not trimmed
    assert c.read("e.drops") == "1"
    counts = [0] * 6
    counts[reason] = 1
    assert c.read("e.drop_details") == details(counts)


@pytest.mark.parametrize("case", BAD_CASES, ids=str)
def test_bad_packet_without_output_1_is_dropped(case):
    raw, _ = BAD_CASES[case]
    c = Chain("e :: CheckIPHeader").push(raw, GOOD)
    assert c.out(0) == [GOOD]
    assert c.read("e.drops") == "1"


def test_drop_details_exists_only_with_details():
    c = Chain("e :: CheckIPHeader", outputs=2)
    with pytest.raises(HandlerError):
        c.read("e.drop_details")


def test_sources_not_checked_without_lists():
    raw = bytes(ip_udp(src="255.255.255.255"))
    assert Chain("e :: CheckIPHeader", outputs=2).push(raw).out(0) == [raw]


@pytest.mark.parametrize("src", ["10.0.0.255", "0.0.0.0", "255.255.255.255", "192.168.1.15"])
def test_interfaces_forbid_broadcast_sources(src):
    raw = bytes(ip_udp(src=src))
    c = Chain("e :: CheckIPHeader(INTERFACES 10.0.0.1/24 192.168.1.1/28, DETAILS true)", outputs=2)
    c.push(raw)
    assert c.out(1) == [raw]
    assert c.read("e.drop_details") == details([0, 0, 0, 0, 0, 1])


def test_interfaces_exempt_packets_to_the_router():
    to_router = bytes(ip_udp(src="10.0.0.255", dst="10.0.0.1"))
    ok = bytes(ip_udp(src="10.0.0.7"))
    c = Chain("e :: CheckIPHeader(INTERFACES 10.0.0.1/24)", outputs=2).push(to_router, ok)
    assert c.out(0) == [to_router, ok]


def test_badsrc_and_gooddst_lists():
    c = Chain("e :: CheckIPHeader(BADSRC 1.1.1.1 2.2.2.2, GOODDST 9.9.9.9)", outputs=2)
    bad = bytes(ip_udp(src="2.2.2.2"))
    exempt = bytes(ip_udp(src="1.1.1.1", dst="9.9.9.9"))
    fine = bytes(ip_udp(src="3.3.3.3"))
    c.push(bad, exempt, fine)
    assert c.out(0) == [exempt, fine] and c.out(1) == [bad]
    # BADSRC overrides the list INTERFACES gives
    c = Chain("e :: CheckIPHeader(INTERFACES 10.0.0.1/24, BADSRC 2.2.2.2)", outputs=2)
    c.push(bytes(ip_udp(src="0.0.0.0")), bad)
    assert c.out(0) == [bytes(ip_udp(src="0.0.0.0"))] and c.out(1) == [bad]


def test_checksum_false_and_checkipheader2_skip_the_checksum():
    bad = BAD_CASES["bad checksum"][0]
    assert Chain("e :: CheckIPHeader(CHECKSUM false)", outputs=2).push(bad).out(0) == [bad]
    assert Chain("e :: CheckIPHeader2", outputs=2).push(bad).out(0) == [bad]
    assert Chain("e :: CheckIPHeader2(CHECKSUM true)", outputs=2).push(bad).out(1) == [bad]
    c = Chain("e :: CheckIPHeader2(DETAILS true)", outputs=2).push(BAD_CASES["version 6"][0])
    assert c.read("e.drop_details") == details([0, 1, 0, 0, 0, 0])


def test_first_drop_reported_then_quiet_unless_verbose(capsys):
    bad = BAD_CASES["bad checksum"][0]
    Chain("e :: CheckIPHeader", outputs=2).push(bad, bad, GOOD, bad)
    assert capsys.readouterr().err == "e: IP header check failed: bad IP checksum\n"
    Chain("e :: CheckIPHeader(VERBOSE true)", outputs=2).push(bad, BAD_CASES["truncated"][0])
    assert capsys.readouterr().err == ("e: IP header check failed: bad IP checksum\n"
                                       "e: IP header check failed: tiny packet\n")


@pytest.mark.parametrize("conf", ["BADSRC 1.2.3", "INTERFACES 10.0.0.1/33", "OFFSET -1",
                                  "VERBOSE maybe", "1, 2"])
def test_bad_configuration_is_a_click_error(conf):
    with pytest.raises(ClickError):
        Chain(f"e :: CheckIPHeader({conf})", outputs=2)


# -- DecIPTTL ---------------------------------------------------------------------------

@pytest.mark.parametrize("ttl", [2, 3, 64, 128, 255])
def test_decipttl_decrements_and_patches_checksum(ttl):
    raw = bytes(ip_udp(ttl=ttl))
    c = Chain("CheckIPHeader -> e :: DecIPTTL", outputs=2).push(raw, into="CheckIPHeader@2")
    assert c.out(0) == [expected_after_ttl(raw)]
    assert c.read("e.drops") == "0"


@pytest.mark.parametrize("ttl", [0, 1])
def test_decipttl_expired_packets_go_to_output_1_unchanged(ttl):
    raw = bytes(ip_udp(ttl=ttl))
    c = Chain("CheckIPHeader -> e :: DecIPTTL", outputs=2).push(raw, GOOD, into="CheckIPHeader@2")
    assert c.out(1) == [raw] and c.out(0) == [expected_after_ttl(GOOD)]
    assert c.read("e.drops") == "1"
    c = Chain("CheckIPHeader -> e :: DecIPTTL").push(raw, into="CheckIPHeader@2")
    assert c.out(0) == [] and c.read("e.drops") == "1"


def test_decipttl_leaves_clones_alone():
    raw = bytes(ip_udp())
    p = clickpy.Packet(raw)
    p.set_network_header(0, 20)
    q = p.clone()
    assert p.shared and q.shared
    c = Chain("e :: DecIPTTL", outputs=2).push(p)
    assert bytes(q) == raw and not q.shared
    assert c.out(0) == [expected_after_ttl(raw)]


def test_decipttl_unshared_packet_is_changed_in_place():
    raw = bytes(ip_udp(ttl=9))
    p = clickpy.Packet(raw)
    p.set_network_header(0, 20)
    c = Chain("e :: DecIPTTL", outputs=2).push(p)
    assert c.out(0) == [expected_after_ttl(raw)]


def test_decipttl_needs_a_network_header():
    no_header = clickpy.Packet(GOOD)
    short = clickpy.Packet(GOOD[:30])
    short.set_network_header(16, 14)           # only 14 header bytes in the packet
    c = Chain("e :: DecIPTTL", outputs=2).push(no_header, short)
    assert c.out(0) == [] and c.out(1) == [] and c.read("e.drops") == "0"


def test_decipttl_multicast_and_active():
    mcast = bytes(ip_udp(dst="224.0.0.5"))
    c = Chain("CheckIPHeader -> e :: DecIPTTL(MULTICAST false)", outputs=2).push(mcast, GOOD,
                                                                      into="CheckIPHeader@2")
    assert c.out(0) == [mcast, expected_after_ttl(GOOD)]
    c = Chain("CheckIPHeader -> e :: DecIPTTL(ACTIVE false)", outputs=2)
    c.push(GOOD, bytes(ip_udp(ttl=0)), into="CheckIPHeader@2")
    assert c.out(0) == [GOOD, bytes(ip_udp(ttl=0))]
    assert c.read("e.active") == "false"
    c.router.write("e.active", "true")
    c.push(GOOD, into="CheckIPHeader@2")
    assert c.out(0)[-1] == expected_after_ttl(GOOD)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ttl=st.integers(2, 255), tos=st.integers(0, 255), ident=st.integers(0, 0xFFFF),
       proto=st.integers(0, 255), src=st.binary(min_size=4, max_size=4),
       dst=st.binary(min_size=4, max_size=4), nopts=st.integers(0, 10))
def test_decipttl_checksum_matches_full_recomputation(ttl, tos, ident, proto, src, dst, nopts):
    header = bytes([0x45 + nopts, tos]) + (20 + 4 * nopts).to_bytes(2, "big") \
        + ident.to_bytes(2, "big") + b"\0\0" + bytes([ttl, proto]) + b"\0\0" + src + dst \
        + b"\x01" * (4 * nopts)
    raw = with_checksum(header)
    c = Chain("e :: CheckIPHeader -> DecIPTTL", outputs=2).push(raw)
    out = c.out(0)
    assert len(out) == 1
    assert out[0][8] == ttl - 1
    assert out[0] == with_checksum(out[0])   # the patched checksum is the recomputed one


# -- MarkIPHeader -------------------------------------------------------------------------

def test_markipheader_sets_the_network_header():
    frame = bytes(Ether() / ip_udp(options=[IPOption_NOP()] * 4))
    c = Chain("e :: MarkIPHeader(14)").push(frame, frame[:10])
    first, short = c.packets(0)
    assert bytes(first) == frame and first.network_header_offset == 14
    assert bytes(short) == frame[:10] and short.network_header_offset is None
    # marked packets are what DecIPTTL needs
    c = Chain("MarkIPHeader -> e :: DecIPTTL", outputs=2).push(GOOD, into="MarkIPHeader@2")
    assert c.out(0) == [expected_after_ttl(GOOD)]


# -- fuzz: CheckIPHeader never crashes and accounts for every packet ---------------------

_FUZZ = {}


def _fuzz_chain(out1, offset):
    """One router per shape, reused across examples (counters only grow)."""
    key = (out1, offset)
    if key not in _FUZZ:
        _FUZZ[key] = Chain(f"e :: CheckIPHeader({offset}, DETAILS true)", outputs=1 + out1)
    return _FUZZ[key]


def _plausible():
    """Random bytes, and headers that get further through the checks."""
    def fix(b, vhl, length, good_sum):
        b = bytearray(b)
        if len(b) >= 1:
            b[0] = vhl
        if len(b) >= 4:
            b[2:4] = length.to_bytes(2, "big")
        h = (b[0] & 0x0F) * 4 if b else 0
        if good_sum and len(b) >= 20 and 20 <= h <= len(b):
            b[:h] = with_checksum(bytes(b[:h]))
        return bytes(b)
    return st.one_of(
        st.binary(max_size=120),
        st.builds(fix, st.binary(max_size=120), st.integers(0x40, 0x4F),
                  st.integers(0, 130), st.booleans()))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets=st.lists(_plausible(), max_size=20), out1=st.booleans(),
       offset=st.sampled_from([0, 0, 3]))
def test_fuzz_checkipheader_accounting(packets, out1, offset):
    c = _fuzz_chain(out1, offset)
    before0, before1 = len(c.out(0)), len(c.out(1))
    drops_before = int(c.read("e.drops"))
    c.push(*(bytes(range(offset)) + p for p in packets))
    n0, n1 = len(c.out(0)) - before0, len(c.out(1)) - before1
    drops = int(c.read("e.drops")) - drops_before
    # every packet is accounted for: output 0, output 1, or dropped
    assert len(packets) == n0 + n1 + (0 if out1 else drops)
    assert n1 == (drops if out1 else 0)
    for raw in c.out(0)[before0:]:
        ip = raw[offset:]
        assert ip[0] >> 4 == 4 and len(ip) == int.from_bytes(ip[2:4], "big")
        assert checksum(ip[:(ip[0] & 15) * 4]) == 0
    counts = [int(line.split("\t")[0]) for line in c.read("e.drop_details").splitlines()]
    assert sum(counts) == int(c.read("e.drops"))


# -- the forward chain, end to end --------------------------------------------------------

def test_forward_chain_in_process():
    frame = bytes(Ether() / ip_udp(ttl=2))
    expired = bytes(Ether() / ip_udp(ttl=1))
    r = run(f"""
        src :: InfiniteSource(DATA {hexdata(frame)}, LIMIT 100, BURST 64, STOP true);
        old :: InfiniteSource(DATA {hexdata(expired)}, LIMIT 10, BURST 10);
        src, old -> c0 :: Counter -> Strip(14) -> chk :: CheckIPHeader -> dt :: DecIPTTL
            -> Unstrip(14) -> c1 :: Counter -> Discard;
        dt[1] -> c2 :: Counter -> Discard;""")
    assert (r.read("c0.count"), r.read("c1.count"), r.read("c2.count")) == ("110", "100", "10")
    assert r.read("dt.drops") == "10" and r.read("chk.drops") == "0"


def test_forward_click_through_clickpy_run():
    r = cli("run", "configs/forward.click", "N=2000", "-h", "c0.count", "-h", "c1.count",
            timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "c0.count:\n2000\n\nc1.count:\n2000\n\n"
    assert r.stderr == ""
