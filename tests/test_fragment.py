"""test_fragment -- IPFragmenter, IPReassembler and IPGWOptions byte for byte, fuzzed."""
import pytest
from harness import SIM_START, IPChain, as_packet, cli, click_error, fire_timers, simulated_time
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP, IPOption_LSRR, IPOption_NOP, IPOption_RR
from scapy.packet import Raw

ANNO_PARAMPROB = 17


def big_udp(size=1000, **kw):
    fields = dict(src="10.0.0.2", dst="10.0.1.2", id=0x4242)
    fields.update(kw)
    return bytes(IP(**fields) / UDP(sport=7, dport=9) / Raw(bytes(i & 0xFF for i in range(size))))


def fixed(pkt):
    pkt.chksum = None
    return bytes(pkt)


def expected_fragments(raw, mtu, copied_options=b""):
    """Fragments as RFC 791 makes them: first with every option, the rest
    with the copied ones; built field by field through scapy."""
    ip = IP(raw)
    hlen = ip.ihl * 4
    data = raw[hlen:ip.len]
    first = (mtu - hlen) & ~7
    out_hlen = 20 + len(copied_options)
    mf_orig = bool(ip.flags.MF)
    frags, off = [], 0
    while off < len(data):
        size = first if off == 0 else min((mtu - out_hlen) & ~7, len(data) - off)
        last = off + size >= len(data)
        f = IP(raw[:hlen] if off == 0 else raw[:20] + copied_options)
        f.ihl = None if off else ip.ihl
        f.flags = (int(ip.flags) & 2) | (1 if (not last or mf_orig) else 0)
        f.frag = ip.frag + off // 8
        f.len = None
        f.chksum = None
        frags.append(bytes(f / Raw(data[off:off + size])))
        off += size
    return frags


@pytest.mark.parametrize("size, mtu", [(1000, 576), (1000, 300), (64, 60), (1472, 1500),
                                       (3000, 1500), (9, 28)])
def test_fragmenter_splits_like_rfc791(size, mtu):
    raw = big_udp(size)
    c = IPChain(f"e :: IPFragmenter({mtu})", outputs=2).push(raw)
    if len(raw) <= mtu:
        assert c.out(0) == [raw]
        return
    outs = c.out(0)
    assert outs == expected_fragments(raw, mtu)
    assert all(len(x) <= mtu for x in outs)
    assert c.read("e.fragments") == str(len(outs)) and c.read("e.drops") == "0"
    p = c.packets(0)[1]
    assert p.network_header_offset == 0


def test_fragmenter_copies_only_copied_options():
    lsrr = IPOption_LSRR(routers=["1.1.1.1", "2.2.2.2"], pointer=4)
    raw = big_udp(600, options=[IPOption_RR(routers=["0.0.0.0"] * 2), lsrr, IPOption_NOP()])
    lsrr_bytes = bytes(lsrr)
    c = IPChain("e :: IPFragmenter(256)", outputs=2).push(raw)
    outs = c.out(0)
    copied = lsrr_bytes + b"\0" * (-len(lsrr_bytes) % 4)
    assert outs == expected_fragments(raw, 256, copied)
    assert outs[0][20:(raw[0] & 15) * 4] == raw[20:(raw[0] & 15) * 4]


def test_fragmenter_annotations_and_link_header():
    raw = big_udp(400)
    p = as_packet(b"\xaa" * 14 + raw, offset=14)
    p.paint = 5
    p.timestamp_ns = 123
    c = IPChain("e :: IPFragmenter(200)", outputs=2).push(p)
    pkts = c.packets(0)
    frags = expected_fragments(raw, 200)
    assert bytes(pkts[0]) == b"\xaa" * 14 + frags[0]
    assert [bytes(x) for x in pkts[1:]] == frags[1:]
    assert all(x.paint == 5 and x.timestamp_ns == 123 for x in pkts)


def test_fragmenter_fragment_of_a_fragment_keeps_mf():
    raw = big_udp(600, flags="MF", frag=100)
    outs = IPChain("e :: IPFragmenter(300)", outputs=2).push(raw).out(0)
    assert outs == expected_fragments(raw, 300)
    assert all(IP(x).flags.MF for x in outs)


def test_fragmenter_df(capsys):
    raw = big_udp(1000, flags="DF")
    c = IPChain("e :: IPFragmenter(576)", outputs=2).push(*[raw] * 6)
    assert c.out(0) == [] and c.out(1) == [raw] * 6 and c.read("e.drops") == "6"
    assert capsys.readouterr().err == "IPFragmenter(576) DF 10.0.0.2 10.0.1.2 len=1028\n" * 5
    c = IPChain("e :: IPFragmenter(576, HONOR_DF false)", outputs=2).push(raw)
    outs = c.out(0)
    new_id = IP(outs[0]).id
    plain = big_udp(1000, id=new_id)
    assert outs == expected_fragments(plain, 576)
    # DF packets that fit pass untouched
    small = big_udp(100, flags="DF")
    assert IPChain("e :: IPFragmenter(576)", outputs=2).push(small).out(0) == [small]
    # a DF packet needing fragmentation, then ICMP needfrag from output 1
    c = IPChain("e :: IPFragmenter(576)",
                extra=" e[1] -> ICMPError(18.26.4.24, unreachable, needfrag, PMTU 576) -> [1]out;")
    c.push(raw)
    (err,) = c.out(1)
    assert err[20] == 3 and err[21] == 4 and err[26:28] == (576).to_bytes(2, "big")


@pytest.mark.parametrize("conf", ["", "7", "MTU -1", "576, HONOR_DF maybe", "576, HEADROOM x"])
def test_fragmenter_argument_errors(conf):
    assert "While configuring 'e :: IPFragmenter'" in str(
        click_error(IPChain, f"e :: IPFragmenter({conf})", outputs=2))


# -- IPReassembler ------------------------------------------------------------------------

def dump_counts(c):
    lines = c.read("e.dump").splitlines()
    return [int(line.split(":")[1]) for line in lines[:4]]


def reassembled(frags, order):
    return [frags[i] for i in order]


@pytest.mark.parametrize("order", [(0, 1, 2, 3), (3, 2, 1, 0), (2, 0, 3, 1), (1, 3, 0, 2)])
def test_reassembler_any_order(order):
    raw = big_udp(1000)
    frags = expected_fragments(raw, 300)
    assert len(frags) == 4
    c = IPChain("e :: IPReassembler", outputs=2).push(*reassembled(frags, order))
    assert c.out(0) == [raw]
    assert dump_counts(c) == [4, 1, 0, 0]
    assert c.packets(0)[0].network_header_offset == 0


def test_reassembler_overlaps_and_duplicates():
    raw = big_udp(1000)
    hdr = raw[:20]
    data = raw[20:]

    def frag(off, size, mf=True):
        f = IP(hdr)
        f.flags, f.frag, f.len, f.chksum = (1 if mf else 0), off // 8, None, None
        return bytes(f / Raw(data[off:off + size]))
    pieces = [frag(0, 400), frag(200, 400), frag(200, 400), frag(800, 208, False),
              frag(96, 800)]
    c = IPChain("e :: IPReassembler", outputs=2).push(*pieces)
    assert c.out(0) == [raw]


def test_reassembler_passes_non_fragments_and_rejects_bad_ones():
    whole = big_udp(50)
    ip = IP(big_udp(100))

    def frag(**kw):
        f = ip.copy()
        for k, v in kw.items():
            setattr(f, k, v)
        f.chksum = None
        return bytes(f)
    bad = [frag(flags=1, len=20 + 13),       # MF with a length not a multiple of 8
           frag(flags=1, len=20),            # empty
           frag(flags=0, frag=8191),         # end past 65535
           frag(flags=1, len=500)]           # shorter than its length says
    c = IPChain("e :: IPReassembler", outputs=2).push(whole, *bad)
    assert c.out(0) == [whole] and c.out(1) == []
    assert dump_counts(c) == [4, 0, 0, 4]


def test_reassembler_first_fragment_header_and_options():
    lsrr = IPOption_LSRR(routers=["1.1.1.1"], pointer=4)
    raw = big_udp(700, options=[lsrr, IPOption_RR(routers=["0.0.0.0"])])
    copied = bytes(lsrr) + b"\0" * (-len(bytes(lsrr)) % 4)
    frags = expected_fragments(raw, 256, copied)
    c = IPChain("e :: IPReassembler(MAX_MTU_ANNO 40)", outputs=2).push(*frags[::-1])
    assert c.out(0) == [raw]
    assert int.from_bytes(c.packets(0)[0].anno[40:42], "little") == max(map(len, frags))


def test_reassembler_timeout_under_simulated_time():
    raw = big_udp(1000)
    frags = expected_fragments(raw, 300)
    with simulated_time():
        c = IPChain("e :: IPReassembler(TIMEOUT 5s)", outputs=2)
        c.push(frags[0], frags[2])
        assert "10.0.0.2 > 10.0.1.2 proto 17 16962 (0,280) (560,840)" in c.read("e.dump")
        fire_timers(c.router, 1)
        assert c.router.driver._next_timer() is None
    (partial,) = c.out(1)
    assert dump_counts(c) == [2, 0, 1, 0]
    ip = IP(partial)
    assert ip.flags.MF and ip.frag == 0 and ip.len == 20 + 840
    body = partial[20:]
    assert body[:280] == raw[20:300] and body[280:560] == b"\0" * 280
    assert body[560:840] == raw[20 + 560:20 + 840]
    assert fixed(IP(partial)) == partial
    assert c.out(0) == []


def test_reassembler_memory_limit():
    frags = [expected_fragments(big_udp(1000, id=i), 300)[0] for i in range(10)]
    c = IPChain("e :: IPReassembler(HIMEM 1000)", outputs=2)
    c.push(*frags)
    assert c.out(0) == [] and len(c.out(1)) >= 6
    counts = dump_counts(c)
    assert counts[0] == 10 and counts[2] == len(c.out(1))
    c2 = IPChain("e :: IPReassembler(HIMEM 1000)").push(*frags)
    assert dump_counts(c2)[2] == counts[2]


def test_fragment_then_reassemble_round_trip():
    raw = big_udp(5000, options=[IPOption_NOP()] * 4)
    c = IPChain("e :: IPFragmenter(576) -> r :: IPReassembler")
    c.push(raw)
    assert c.out(0) == [raw]


# -- IPGWOptions ---------------------------------------------------------------------------

def with_options(opts, **kw):
    fields = dict(src="10.0.0.2", dst="10.0.1.2")
    fields.update(kw)
    return bytes(IP(options=opts, **fields) / UDP() / Raw(b"data"))


def test_gwoptions_record_route():
    raw = with_options([IPOption_RR(routers=["0.0.0.0"] * 3, pointer=4)])
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(raw)
    want = IP(raw)
    want.options = [IPOption_RR(routers=["18.26.4.24", "0.0.0.0", "0.0.0.0"], pointer=8)]
    assert c.out(0) == [fixed(want)]
    full = with_options([IPOption_RR(routers=["1.1.1.1"], pointer=8)])
    none = with_options([])
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(full, none)
    assert c.out(0) == [full, none] and c.read("e.drops") == "0"


def ts_ms(ns):
    return ((ns // 10**9) % 86400) * 1000 + (ns % 10**9) // 10**6


@pytest.mark.parametrize("flag, addr", [(0, "0.0.0.0"), (1, "0.0.0.0"), (3, "18.26.4.24"),
                                        (3, "1.2.3.4"), (3, "9.9.9.9")])
def test_gwoptions_timestamps(flag, addr):
    from clickpy.runtime import clock
    when = SIM_START + 12_345_678_901
    opt = bytes([68, 12, 5, flag]) + bytes(int(x) for x in addr.split(".")) + bytes(4)
    raw = nop_packet(opt)
    with simulated_time():
        clock.use_simulated_time(True, when)
        c = IPChain("e :: IPGWOptions(18.26.4.24, 1.2.3.4)", outputs=2).push(raw)
    (out,) = c.out(0)
    b = bytearray(raw)
    ms = ts_ms(when).to_bytes(4, "big")
    if flag == 0:
        b[22] = 9
        b[24:28] = ms
    elif flag == 1:
        b[22] = 13
        b[24:28] = bytes([18, 26, 4, 24])
        b[28:32] = ms
    elif addr != "9.9.9.9":
        b[22] = 13
        b[28:32] = ms
    assert out == fixed(IP(bytes(b)))


def test_gwoptions_timestamp_overflow_and_errors():
    raw = nop_packet(bytes([68, 8, 9, 0x20, 0, 0, 0, 0]))     # full, overflow count 2
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(raw)
    b = bytearray(raw)
    b[23] = 0x30
    assert c.out(0) == [fixed(IP(bytes(b)))]
    b[23] = 0xF0
    bad = fixed(IP(bytes(b)))
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(bad)
    assert c.out(1) == [bad] and c.packets(1)[0].anno[ANNO_PARAMPROB] == 23


def nop_packet(opts):
    base = bytearray(fixed(IP(with_options([IPOption_NOP()] * 12))))
    base[20:20 + len(opts)] = opts
    return fixed(IP(bytes(base)))


@pytest.mark.parametrize("opts, where", [
    (bytes([7, 1]), 21),                    # length below 2
    (bytes([1, 1, 7, 11, 4]), 23),          # length past the header
    (bytes([7, 7, 3, 0, 0, 0, 0]), 22),     # record route pointer 3
    (bytes([7, 7, 6, 0, 0, 0, 0]), 22),     # pointer inside an address
    (bytes([68, 8, 4, 0, 0, 0, 0, 0]), 22),  # timestamp pointer 4
    (bytes([68, 8, 5, 2, 0, 0, 0, 0]), 23),  # timestamp flag 2
    (bytes([1] * 11 + [130]), 32),         # option type with no length byte
])
def test_gwoptions_parameter_problems(opts, where):
    raw = nop_packet(opts)
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(raw)
    assert c.out(1) == [raw] and c.out(0) == []
    assert c.packets(1)[0].anno[ANNO_PARAMPROB] == where and c.read("e.drops") == "1"
    c = IPChain("e :: IPGWOptions(18.26.4.24)",
                extra=" e[1] -> ICMPError(18.26.4.24, parameterproblem) -> [1]out;")
    c.push(raw)
    (err,) = c.out(1)
    assert err[20] == 12 and err[24] == where


def test_gwoptions_leaves_other_options_and_checks_first():
    # a good RR after a bad option: nothing is changed before the error
    raw = nop_packet(bytes([7, 7, 4, 0, 0, 0, 0, 7, 1]))
    c = IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(raw)
    assert c.out(1) == [raw]
    lsrr = with_options([IPOption_LSRR(routers=["1.1.1.1"], pointer=4)])
    assert IPChain("e :: IPGWOptions(18.26.4.24)", outputs=2).push(lsrr).out(0) == [lsrr]


@pytest.mark.parametrize("conf", ["", "1.2.3", "1.2.3.4, 5.6.7", "1.2.3.4, 5.6.7.8, 1"])
def test_gwoptions_argument_errors(conf):
    assert "While configuring 'e :: IPGWOptions'" in str(
        click_error(IPChain, f"e :: IPGWOptions({conf})", outputs=2))


# -- fuzz ------------------------------------------------------------------------------------

_FUZZ = {}


def _chain(name, conf):
    if name not in _FUZZ:
        _FUZZ[name] = IPChain(f"e :: {name}({conf})", outputs=2)
    return _FUZZ[name]


def _ipish(raw, hl, flags):
    b = bytearray(raw)
    if len(b) >= 20:
        b[0] = hl
        b[6] = flags
    return bytes(b)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets=st.lists(st.tuples(st.binary(max_size=200), st.integers(0x45, 0x4F),
                                  st.sampled_from([0, 0x20, 0x40, 0x21, 0x00])), max_size=8))
def test_fuzz_fragment_elements(packets):
    frag = _chain("IPFragmenter", "64")
    gw = _chain("IPGWOptions", "1.2.3.4, 5.6.7.8")
    reass = _chain("IPReassembler", "")
    for raw, hl, flags in packets:
        data = _ipish(raw, hl, flags)
        for c in (frag, gw, reass):
            n0, n1 = len(c.out(0)), len(c.out(1))
            c.push(data)
            got = len(c.out(0)) - n0 + len(c.out(1)) - n1
            if c is gw:
                assert got == 1
            if c is frag:
                assert got >= 1
                for out in c.out(0)[n0 + 1:]:
                    assert len(out) <= 64 and fixed(IP(out)) == out
    counts = dump_counts(reass)
    assert counts[1] + counts[2] <= counts[0]


# -- IPReassembler under attack and behind Strip (hardening) ------------------------------

def test_reassembler_gives_up_a_datagram_with_too_many_holes(tmp_path):
    """Fragments every other 8-byte block, last first, open one more hole each,
    splitting the hole at the head of the list: past 32 holes the datagram is
    failed and counted; the router does not crash."""
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap
    hdr = IP(src="10.0.0.2", dst="10.0.1.2", id=77, proto=17)
    frames = []
    for k in reversed(range(60)):
        f = hdr.copy()
        f.flags, f.frag = 1, 2 * k + 1             # bytes [16k+8, 16k+16), MF
        frames.append(Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
                      / f / Raw(bytes([k]) * 8))
    pcap = tmp_path / "holes.pcap"
    wrpcap(str(pcap), frames)
    r = cli("run", "-e", f"FromDump({pcap}, STOP true) -> Strip(14) -> CheckIPHeader"
            " -> r :: IPReassembler -> c :: Counter -> Discard;"
            " r[1] -> f :: Counter -> Discard;", "-h", "r.dump", "-h", "f.count", timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    # the 32nd fragment would need a 33rd hole: that datagram fails (to output 1);
    # the 28 after it start a new one, still in reassembly when the router stops
    assert out[:6] == ["r.dump:", "frags seen total:    60", "good reassemblies:   0",
                       "failed reassemblies: 1", "bad fragments seen:  0", "cached chunk data:"]
    assert out[6].startswith(" 10.0.0.2 > 10.0.1.2 proto 17 77 (8,16) (24,32)")
    assert out[-3:] == ["f.count:", "1", ""]


def test_reassembler_keeps_the_stripped_link_header():
    """Strip(14) -> IPReassembler -> Unstrip(14): the reassembled datagram
    carries the offset-0 fragment's Ethernet header, not zeros."""
    raw = big_udp(1000)
    frags = expected_fragments(raw, 300)
    eth = bytes.fromhex("000a0b0c0d0e" "000102030405" "0800")
    c = IPChain("s :: Strip(14) -> CheckIPHeader -> e :: IPReassembler -> Unstrip(14)", outputs=2)
    c.push(*[eth + f for f in frags[::-1]], into="s")
    assert c.out(0) == [eth + raw]
