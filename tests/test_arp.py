"""test_arp -- ARPResponder, ARPQuerier, ARPTable and ARPPrint: exchanges, timing, handlers."""
from __future__ import annotations

import pytest
from harness import Chain, at, click_error
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scapy.layers.inet import IP, UDP
from scapy.layers.l2 import ARP, Ether
from scapy.packet import Raw

import clickpy
from clickpy.runtime.handlers import HandlerError

pytestmark = pytest.mark.usefixtures("simtime")     # ARP timing runs on the simulated clock

ME_IP, ME_ETH = "10.0.0.1", "00:00:c0:ae:67:ef"
PEER_IP, PEER_ETH = "10.0.0.2", "00:11:22:33:44:55"
BCAST = "ff:ff:ff:ff:ff:ff"
VLAN_TCI = 20


def query(tpa, spa=PEER_IP, sha=PEER_ETH, **kw):
    return Ether(src=sha, dst=BCAST) / ARP(op=1, hwsrc=sha, psrc=spa, pdst=tpa, **kw)


def reply(spa=PEER_IP, sha=PEER_ETH, tpa=ME_IP, tha=ME_ETH):
    return Ether(src=sha, dst=tha) / ARP(op=2, hwsrc=sha, psrc=spa, hwdst=tha, pdst=tpa)


def our_query(target, dst=BCAST):
    return bytes(Ether(src=ME_ETH, dst=dst) / ARP(op=1, hwsrc=ME_ETH, psrc=ME_IP,
                                                  hwdst="00:00:00:00:00:00", pdst=target))


def ip_packet(dst=PEER_IP, n=0):
    return IP(src=ME_IP, dst=dst, id=n) / UDP(sport=1, dport=2) / Raw(b"x" * n)


def annotated(dst=PEER_IP, n=0, next_hop=None):
    p = clickpy.Packet(bytes(ip_packet(dst, n)))
    p.dst_ip = next_hop or dst
    return p


def framed(dst=PEER_IP, n=0, eth=PEER_ETH):
    return bytes(Ether(src=ME_ETH, dst=eth) / ip_packet(dst, n))


# -- ARPResponder ------------------------------------------------------------------------

def responder(conf, outputs=2):
    text = f"Idle -> e :: ARPResponder({conf}) -> [0]s :: Rec;"
    if outputs == 2:
        text += " e[1] -> [1]s;"
    return Chain(text=text, sink="s")


def test_responder_answers_own_and_proxy_addresses():
    g = responder(f"{ME_IP} 10.0.7.0/24 {ME_ETH}, 10.0.8.0/255.255.255.0 02:00:00:00:00:08")
    q1, q2, q3, miss = query(ME_IP), query("10.0.7.200"), query("10.0.8.3"), query("10.9.9.9")
    g.push(bytes(q1), bytes(q2), bytes(q3), bytes(miss))

    def answer(q, eth):
        return bytes(Ether(src=eth, dst=q.hwsrc) / ARP(op=2, hwsrc=eth, psrc=q.pdst,
                                                       hwdst=q.hwsrc, pdst=q.psrc))
    assert [(r.port, r.data) for r in g.records()] == [
        (0, answer(q1[ARP], ME_ETH)), (0, answer(q2[ARP], ME_ETH)),
        (0, answer(q3[ARP], "02:00:00:00:00:08")), (1, bytes(miss))]
    assert g.read("e.table") == ("10.0.0.1/32 00-00-C0-AE-67-EF\n"
                                 "10.0.7.0/24 00-00-C0-AE-67-EF\n"
                                 "10.0.8.0/24 02-00-00-00-00-08\n")


def test_responder_passes_non_queries_and_short_packets():
    g = responder(f"{ME_IP} {ME_ETH}")
    not_query = [bytes(reply(tpa=PEER_IP)), bytes(query(ME_IP))[:41],
                 bytes(query(ME_IP, ptype=0x86DD)), bytes(query(ME_IP, hwtype=6)),
                 bytes(Ether() / ip_packet())]
    g.push(*not_query)
    assert g.out(1) == not_query and g.out(0) == []
    g = responder(f"{ME_IP} {ME_ETH}", outputs=1)
    g.push(*not_query)
    assert g.records() == []


def test_responder_more_specific_prefix_first_and_duplicates(capsys):
    g = responder("10.0.0.0/8 01:00:00:00:00:01, 10.1.0.0/16 02:00:00:00:00:02, "
                  "10.0.0.0/8 03:00:00:00:00:03")
    assert "warning: multiple entries for 10.0.0.0/8" in capsys.readouterr().err
    assert g.read("e.table") == ("10.1.0.0/16 02-00-00-00-00-02\n"
                                 "10.0.0.0/8 03-00-00-00-00-03\n")
    assert g.router.read("e.lookup", "10.1.2.3") == "02-00-00-00-00-02"
    assert g.router.read("e.lookup", "10.2.2.3") == "03-00-00-00-00-03"
    assert g.router.read("e.lookup", "11.0.0.1") == ""
    g.write("e.add", "10.1.2.0/24 10.3.0.0/16 04:00:00:00:00:04")
    assert g.router.read("e.lookup", "10.1.2.3") == "04-00-00-00-00-04"
    g.write("e.remove", "10.1.0.0/16")
    assert g.read("e.table") == ("10.1.2.0/24 04-00-00-00-00-04\n"
                                 "10.3.0.0/16 04-00-00-00-00-04\n"
                                 "10.0.0.0/8 03-00-00-00-00-03\n")
    with pytest.raises(ValueError, match="10.9.0.0/16 not found"):
        g.write("e.remove", "10.9.0.0/16")
    with pytest.raises(ValueError):
        g.write("e.add", "10.1.2.0/24")


def test_responder_copies_annotations():
    g = responder(f"{ME_IP} {ME_ETH}")
    p = clickpy.Packet(bytes(query(ME_IP)))
    p.set_anno(VLAN_TCI, b"\x20\x05")
    p.timestamp_ns = 12345
    g.push(p)
    rec = g.records()[0]
    port, anno = rec.port, rec.anno
    assert port == 0 and anno[VLAN_TCI:VLAN_TCI + 2] == b"\x20\x05"


def test_responder_addressinfo_names():
    g = Chain(text="AddressInfo(me 10.0.0.1/24 00:00:c0:ae:67:ef);"
              "Idle -> a :: ARPResponder(me) -> out :: Rec;"
              "Idle -> b :: ARPResponder(me:ipnet me:eth) -> [1]out;")
    assert g.read("a.table") == "10.0.0.1/32 00-00-C0-AE-67-EF\n"
    assert g.read("b.table") == "10.0.0.0/24 00-00-C0-AE-67-EF\n"


@pytest.mark.parametrize("conf, reason", [
    ("10.0.0.1", "argument 0: missing ETH"),
    ("00:00:c0:ae:67:ef", "argument 0: missing IP/MASK"),
    ("10.0.0.1 1:1:1:1:1:1 2:2:2:2:2:2", "argument 0: more than one ETH"),
    ("10.0.0.1 1:1:1:1:1:1, 10.0.0.2 zz", "argument 1: expected IP/MASK ETH"),
])
def test_responder_argument_errors(conf, reason):
    text = str(click_error(responder, conf))
    assert "While configuring 'e :: ARPResponder'" in text and reason in text


# -- ARPQuerier ----------------------------------------------------------------------------

def querier(conf=f"{ME_IP}/24, {ME_ETH}", outputs=2, extra=""):
    text = f"Idle -> [0]e :: ARPQuerier({conf}) -> [0]s :: Rec; Idle -> [1]e; {extra}"
    if outputs == 2:
        text += " e[1] -> [1]s;"
    return Chain(text=text, sink="s")        # s: an argument test names it as a TABLE


def test_query_then_reply_releases_queued_packets_in_order():
    g = querier()
    g.push(annotated(n=1), annotated(n=2), annotated(n=3))
    assert [(r.port, r.data) for r in g.records()] == [(1, our_query(PEER_IP))]
    assert g.read("e.length") == "3" and g.read("e.queries") == "1"
    assert g.read("e.table") == "10.0.0.2 0 FF-FF-FF-FF-FF-FF 0.000000\n"
    at(0.25)
    g.push(bytes(reply()), port=1)
    assert g.out(0) == [framed(n=1), framed(n=2), framed(n=3)]
    assert g.read("e.length") == "0" and g.read("e.responses") == "1"
    at(1.5)
    assert g.read("e.table") == "10.0.0.2 1 00-11-22-33-44-55 1.250000\n"
    g.push(annotated(n=4))
    assert g.out(0)[-1] == framed(n=4) and g.read("e.queries") == "1"
    assert g.read("e.stats") == "0 packets killed\n1 ARP queries sent\n"


def test_queries_share_output_0_without_output_1():
    g = querier(outputs=1)
    g.push(annotated(n=1))
    g.push(bytes(reply()), port=1)
    assert g.out(0) == [our_query(PEER_IP), framed(n=1)]


def test_query_rate_limit_and_backoff():
    g = querier()
    times = []
    for step in range(40):
        at(step * 0.05)
        before = int(g.read("e.queries"))
        g.push(annotated())
        if int(g.read("e.queries")) > before:
            times.append(round(step * 0.05, 2))
    # one query per 100 ms for the first ten, then one every two seconds
    assert times[:10] == [round(0.1 * i, 2) for i in range(10)]
    assert times[10:] == [] and len(times) == 10
    at(0.9 + 2.0)
    g.push(annotated())
    assert g.read("e.queries") == "11"


def test_broadcast_multicast_and_zero_destinations(capsys):
    g = querier()
    g.push(annotated("10.0.0.255"), annotated("255.255.255.255"), annotated("224.1.130.7"),
           annotated("0.0.0.0"), annotated("0.0.0.0"))
    assert g.out(0) == [framed("10.0.0.255", eth=BCAST), framed("255.255.255.255", eth=BCAST),
                        framed("224.1.130.7", eth="01:00:5e:01:82:07")]
    assert g.read("e.drops") == "2"
    assert capsys.readouterr().err == ("e :: ARPQuerier: would query for 0.0.0.0; "
                                       "missing dest IP addr annotation?\n")
    g = querier(f"{ME_IP}, {ME_ETH}, BROADCAST 10.0.0.127")
    assert g.read("e.broadcast") == "10.0.0.127"
    g = querier(f"{ME_IP}, {ME_ETH}")
    assert g.read("e.broadcast") == "255.255.255.255"


def test_next_hop_annotation_decides():
    g = querier()
    g.push(bytes(reply(spa="10.0.0.254", sha="02:00:00:00:00:fe")), port=1)
    g.push(annotated("8.8.8.8", next_hop="10.0.0.254"))
    assert g.out(0) == [framed("8.8.8.8", eth="02:00:00:00:00:fe")]


def test_replies_must_be_arp_replies_from_unicast():
    g = querier()
    g.push(annotated())
    bad = [bytes(query(ME_IP)), bytes(reply(sha="01:00:5e:00:00:01")), bytes(reply())[:41]]
    g.push(*bad, port=1)
    assert g.out(0) == [] and g.read("e.responses") == "2"


def test_entries_expire_and_polls_renew():
    g = querier(f"{ME_IP}/24, {ME_ETH}, TIMEOUT 10s, POLL_TIMEOUT 5s")
    g.push(bytes(reply()), port=1)
    at(4)
    g.push(annotated(n=1))
    assert g.out(None) == [framed(n=1)]
    at(6)                                       # past POLL_TIMEOUT: unicast renewal query
    g.push(annotated(n=2))
    assert [(r.port, r.data) for r in g.records()[1:]] == [(1, our_query(PEER_IP, PEER_ETH)),
                                                        (0, framed(n=2))]
    at(10.001)                                  # expired: queue and query again
    g.push(annotated(n=3))
    assert g.out(None)[-1] == our_query(PEER_IP) and g.read("e.length") == "1"
    # as in Click, the stale entry is kept just short of expiring while queried
    assert g.read("e.table") == "10.0.0.2 1 00-11-22-33-44-55 10.000000\n"
    g = querier(f"{ME_IP}/24, {ME_ETH}, BROADCAST_POLL true, POLL_TIMEOUT 1s")
    g.push(bytes(reply()), port=1)
    at(10.001 + 2)
    g.push(annotated())
    assert g.out(1) == [our_query(PEER_IP)]


def test_expiry_timer_kills_waiting_packets():
    g = querier(f"{ME_IP}/24, {ME_ETH}, TIMEOUT 2s",
                extra="DriverManager(wait 10s, stop);")
    g.push(annotated(n=1), annotated(n=2))
    g.router.run()
    assert g.read("e.length") == "0" and g.read("e.count") == "0"
    assert g.read("e.stats") == "2 packets killed\n1 ARP queries sent\n"


def test_capacities():
    g = querier(f"{ME_IP}/24, {ME_ETH}, ENTRY_PACKET_CAPACITY 2")
    g.push(annotated(n=1), annotated(n=2), annotated(n=3))
    assert g.read("e.length") == "2"
    g.push(bytes(reply()), port=1)
    assert g.out(0) == [framed(n=1), framed(n=2)]
    g = querier(f"{ME_IP}/24, {ME_ETH}, CAPACITY 4")
    for n in range(5):
        g.push(annotated(n=n))
    # the fifth packet overflows: slimmed to CAPACITY - CAPACITY / 2, itself included
    assert g.read("e.length") == "2"
    g.push(bytes(reply()), port=1)
    assert g.out(0) == [framed(n=n) for n in (3, 4)]
    assert g.read("e.stats") == "3 packets killed\n1 ARP queries sent\n"
    g = querier(f"{ME_IP}/24, {ME_ETH}, ENTRY_CAPACITY 2")
    for last in (2, 3, 4):
        g.push(annotated(f"10.0.0.{last}"))
    assert [line.split()[0] for line in g.read("e.table").splitlines()] == ["10.0.0.3",
                                                                             "10.0.0.4"]


def test_table_handlers_insert_delete_clear():
    g = querier()
    g.write("e.insert", "10.0.0.9 02:00:00:00:00:09")
    g.write("e.insert", "10.0.0.8 02:00:00:00:00:08")
    at(0.5)
    g.write("e.insert", "10.0.0.9 02:00:00:00:00:99")
    assert g.read("e.table") == ("10.0.0.8 1 02-00-00-00-00-08 0.500000\n"
                                 "10.0.0.9 1 02-00-00-00-00-99 0.000000\n")
    g.push(annotated("10.0.0.9"))
    assert g.out(0) == [framed("10.0.0.9", eth="02:00:00:00:00:99")]
    g.write("e.delete", "10.0.0.9")
    assert "10.0.0.9 0 FF-FF-FF-FF-FF-FF" in g.read("e.table")
    assert g.read("e.count") == "2"
    g.push(annotated("10.0.0.9"))
    assert g.read("e.length") == "1"
    g.write("e.clear")
    assert (g.read("e.count"), g.read("e.length"), g.read("e.queries")) == ("0", "0", "0")
    assert g.read("e.table") == ""
    for bad in ("10.0.0.1", "10.0.0.1 zz", "1:2:3:4:5:6 10.0.0.1"):
        with pytest.raises(ValueError):
            g.write("e.insert", bad)
    g.write("e.ipaddr", "10.0.0.77")
    assert g.read("e.ipaddr") == "10.0.0.77"
    g.write("e.broadcast", "10.0.0.255")
    assert g.read("e.broadcast") == "10.0.0.255"


def test_shared_arptable():
    g = Chain(text="t :: ARPTable(TIMEOUT 1min);"
              f"Idle -> [0]a :: ARPQuerier({ME_IP}, {ME_ETH}, TABLE t) -> [0]out :: Rec;"
              "Idle -> [1]a;"
              f"Idle -> [0]b :: ARPQuerier(10.0.0.3, 02:00:00:00:00:03, TABLE t) -> [1]out;"
              "Idle -> [1]b;"
              f"Idle -> [0]c :: ARPQuerier(10.0.0.4, 02:00:00:00:00:04, TABLE b) -> [2]out;"
              "Idle -> [1]c;")
    g.push(bytes(reply()), into="a", port=1)
    g.push(annotated(), into="b")
    assert g.out(1) == [bytes(Ether(src="02:00:00:00:00:03", dst=PEER_ETH)
                              / ip_packet())]
    assert g.read("t.count") == "1" and g.read("c.count") == "1"
    g.write("t.insert", "10.0.0.5 02:00:00:00:00:05")
    assert g.read("a.table").splitlines()[1] == "10.0.0.5 1 02-00-00-00-00-05 0.000000"
    assert g.read("t.drops") == "0" and g.read("t.length") == "0"
    g.write("t.clear")
    assert g.read("a.count") == "0"


def test_one_argument_form_with_addressinfo():
    g = Chain(text="AddressInfo(me 10.0.0.1/24 00:00:c0:ae:67:ef);"
              "Idle -> [0]e :: ARPQuerier(me) -> out :: Rec; Idle -> [1]e;")
    assert g.read("e.ipaddr") == "10.0.0.1" and g.read("e.broadcast") == "10.0.0.255"
    g.push(annotated())
    assert g.out() == [our_query(PEER_IP)]


@pytest.mark.parametrize("conf, reason", [
    ("10.0.0.1", "ETH: expected Ethernet address"),
    ("", "IP: required argument missing"),
    ("10.0.0.1, 00:01", "ETH:"),
    ("10.0.0.1, 0:1:2:3:4:5, TABLE nothing", "TABLE: no element named 'nothing'"),
    ("10.0.0.1, 0:1:2:3:4:5, TABLE s", "TABLE: element 's' is not an ARPTable"),
    ("10.0.0.1, 0:1:2:3:4:5, CAPACITY_SLIM_FACTOR 0", "CAPACITY_SLIM_FACTOR cannot be zero"),
    ("10.0.0.1, 0:1:2:3:4:5, TIMEOUT forever", "TIMEOUT:"),
])
def test_querier_argument_errors(conf, reason):
    text = str(click_error(querier, conf))
    assert "While configuring 'e :: ARPQuerier'" in text and reason in text


def test_handlers_missing_raise():
    g = querier()
    with pytest.raises(HandlerError):
        g.read("e.nonexistent")


# -- ARPPrint --------------------------------------------------------------------------------

def test_arpprint_lines(capsys):
    g = Chain(text=f"Idle -> [0]q :: ARPQuerier({ME_IP}/24, {ME_ETH}) -> [0]out :: Rec; Idle -> [1]q;"
              f"q[1] -> p :: ARPPrint(out) -> [1]out;"
              f"Idle -> r :: ARPResponder({ME_IP} {ME_ETH}) -> ARPPrint(TIMESTAMP false, "
              f"ETHER true) -> [2]out;")
    pkt = annotated()
    pkt.timestamp_ns = 1_500_000_000
    g.push(pkt, into="q")
    g.push(bytes(query(ME_IP)), into="r")
    err = capsys.readouterr().err
    assert err == ("out: 1.500000: arp who-has 10.0.0.2 tell 10.0.0.1\n"
                   "00-00-C0-AE-67-EF > 00-11-22-33-44-55: arp reply 10.0.0.1 is-at "
                   "00-00-C0-AE-67-EF\n")
    assert len(g.out(1)) == 1 and len(g.out(2)) == 1


@pytest.mark.parametrize("arp, text", [
    (ARP(op=1, hwdst="00:00:00:00:00:07", pdst="1.2.3.4", psrc="5.6.7.8"),
     "arp who-has 1.2.3.4 (00-00-00-00-00-07) tell 5.6.7.8"),
    (ARP(op=3, hwsrc="00:00:00:00:00:01", hwdst="00:00:00:00:00:02"),
     "rarp who-is 00-00-00-00-00-02 tell 00-00-00-00-00-01"),
    (ARP(op=4, hwdst="00:00:00:00:00:02", pdst="1.2.3.4"),
     "rarp reply 00-00-00-00-00-02 at 1.2.3.4"),
    (ARP(op=8, hwsrc="00:00:00:00:00:01", hwdst="00:00:00:00:00:02"),
     "invarp who-is 00-00-00-00-00-02 tell 00-00-00-00-00-01"),
    (ARP(op=9, hwdst="00:00:00:00:00:02", pdst="1.2.3.4"),
     "invarp reply 00-00-00-00-00-02 at 1.2.3.4"),
    (ARP(op=77), "arp-#77"),
    ((ARP(op=2, psrc="1.2.3.4", hwsrc="00:00:00:00:00:01"), 14, b"\x00\x06"),
     "arp reply 1.2.3.4 is-at 00-00-00-00-00-01hardware #6"),
    ((ARP(op=2, psrc="1.2.3.4", hwsrc="00:00:00:00:00:01"), 16, b"\x10\x00"),
     "trailer-arp reply 1.2.3.4 is-at 00-00-00-00-00-01"),
])
def test_arpprint_operations(capsys, arp, text):
    g = Chain(text="Idle -> e :: ARPPrint(TIMESTAMP false) -> out :: Rec;")
    patch = None
    if isinstance(arp, tuple):
        arp, at_offset, value = arp
        patch = (at_offset, value)
    data = bytearray(bytes(Ether(dst=BCAST, src=ME_ETH) / arp)[:42])
    if patch:
        data[patch[0]:patch[0] + 2] = patch[1]
    p = clickpy.Packet(bytes(data))
    p.set_network_header(14, 28)
    g.push(p)
    assert capsys.readouterr().err == text + "\n"


def test_arpprint_silent_cases(capsys, tmp_path):
    g = Chain(text="Idle -> e :: ARPPrint(x, TIMESTAMP false) -> out :: Rec;")
    unmarked = clickpy.Packet(bytes(Ether() / ARP()))
    ipv6 = clickpy.Packet(bytes(Ether() / ARP(ptype=0x86DD)))
    ipv6.set_network_header(14, 28)
    short = clickpy.Packet(bytes(Ether() / ARP())[:20])
    short.set_network_header(14, 6)
    g.push(unmarked, ipv6, short)
    assert capsys.readouterr().err == "x: truncated-arp (6)\n"
    assert len(g.out()) == 3
    g.write("e.active", "false")
    g.push(short.clone() if False else clickpy.Packet(b""))
    assert g.read("e.active") == "false"
    out = tmp_path / "arp.txt"
    g = Chain(text=f"Idle -> e :: ARPPrint(TIMESTAMP false, OUTFILE {out}) -> out :: Rec;")
    p = clickpy.Packet(bytes(Ether() / ARP(op=2, psrc="1.2.3.4", hwsrc="0:0:0:0:0:1")))
    p.set_network_header(14, 28)
    g.push(p)
    g.router.cleanup()
    assert out.read_text() == "arp reply 1.2.3.4 is-at 00-00-00-00-00-01\n"


# -- fuzz ------------------------------------------------------------------------------------

_FUZZ = {}


def _arpish():
    def fix(b, op, hrd):
        b = bytearray(b.ljust(42, b"\0")[:max(len(b), 0)])
        if len(b) >= 14:
            b[12:14] = b"\x08\x06"
        if len(b) >= 22:
            b[14:16] = hrd.to_bytes(2, "big")
            b[16:18] = b"\x08\x00"
            b[20:22] = op.to_bytes(2, "big")
        return bytes(b)
    return st.one_of(st.binary(max_size=64),
                     st.builds(fix, st.binary(max_size=64), st.integers(0, 3),
                               st.sampled_from([1, 1, 6])))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(packets=st.lists(_arpish(), max_size=12), ports=st.lists(st.integers(0, 1),
       min_size=12, max_size=12), hops=st.lists(st.integers(0, 6), min_size=12, max_size=12))
def test_fuzz_arp_elements(packets, ports, hops):
    if not _FUZZ:
        _FUZZ["q"] = querier(f"{ME_IP}/24, {ME_ETH}, CAPACITY 8")
        _FUZZ["r"] = responder(f"10.0.0.0/29 {ME_ETH}")
    q, r = _FUZZ["q"], _FUZZ["r"]
    before = len(r.records())
    r.push(*packets)
    assert len(r.records()) - before == len(packets)      # every packet answered or passed
    for data, port, hop in zip(packets, ports, hops, strict=False):
        if port == 0:
            p = clickpy.Packet(data)
            p.dst_ip = f"10.0.0.{hop}"
            q.push(p)
        else:
            q.push(data, port=1)
    assert int(q.read("e.length")) <= 8
    table = q.read("e.table")
    assert table.count("\n") == int(q.read("e.count"))
