"""ToIPSummaryDump and FromIPSummaryDump: every field's text, and pcap -> text -> pcap."""
import struct

import pytest
from harness import run
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPOption_RR
from scapy.layers.l2 import Ether
from scapy.utils import rdpcap, wrpcap

from clickpy.io import ipsummary
from clickpy.io.ipsummary.values import parse_payload

ALL = ("timestamp ts_sec ts_usec count link paint direction aggregate wire_len ip_src ip_dst "
       "ip_tos ip_dscp ip_ecn ip_ttl ip_frag ip_fragoff ip_id ip_sum ip_proto ip_hl ip_len "
       "ip_capture_len ip_opt sport dport eth_src eth_dst eth_type payload_len payload "
       "payload_md5 tcp_seq tcp_ack tcp_off tcp_flags tcp_window tcp_urp tcp_opt tcp_ntopt "
       "tcp_sack udp_len icmp_type icmp_code icmp_type_name icmp_code_name icmp_flowid icmp_seq "
       "icmp_nextmtu")
E1, E2 = "00:11:22:33:44:55", "66:77:88:99:aa:bb"


def sample():
    base = Ether(src=E1, dst=E2)
    pk = [
        base / IP(src="10.0.0.1", dst="10.0.0.2", id=7, ttl=64, tos=0x29) /
        TCP(sport=1234, dport=80, flags="S", seq=1000, window=8192,
            options=[("MSS", 1460), ("SAckOK", b""), ("WScale", 7)]),
        base / IP(src="10.0.0.1", dst="10.0.0.3", id=1, flags="DF") /
        UDP(sport=53, dport=5353) / b"hello",
        base / IP(src="10.0.0.1", dst="10.0.0.4", id=2) / ICMP(type=8, id=5, seq=9) / b"ping",
        base / IP(src="10.0.0.1", dst="10.0.0.5", id=3, frag=2, proto=17) / b"frag-data",
        base / IP(src="10.0.0.1", dst="10.0.0.6", id=4,
                  options=[IPOption_RR(pointer=8, routers=["1.2.3.4", "0.0.0.0"])]) /
        UDP(sport=7, dport=9) / b"x",
    ]
    pk = [Ether(bytes(p)) for p in pk]
    for i, p in enumerate(pk):
        p.time = 1_000_000_000 + i + 0.5
    return pk, [p.time for p in pk]


def expected_lines(pk):
    """Each field computed by hand from the packets' known values."""
    sums = [p[IP].chksum for p in pk]
    eth = "00-11-22-33-44-55 66-77-88-99-AA-BB 0800"
    nothing = " - - - - - - - - -"
    return [
        f"1000000000.500000 1000000000 500000 1 0 0 > 0 66 10.0.0.1 10.0.0.2 41 10 ect1 64 . 0"
        f" 7 {sums[0]} T 20 52 52 . 1234 80 {eth} 0 \"\" {ipsummary.md5_text(b'')}"
        f" 1000 0 32 S 8192 0 mss1460;sackok;wscale7 mss1460;sackok;wscale7 sackok"
        " - - - - - - - -",
        f"1000000001.500000 1000000001 500000 1 0 0 > 0 47 10.0.0.1 10.0.0.3 0 0 no 64 ! 0!"
        f" 1 {sums[1]} U 20 33 33 . 53 5353 {eth} 5 \"hello\" {ipsummary.md5_text(b'hello')}"
        " - - - - - - - - - 13 - - - - - - -",
        f"1000000002.500000 1000000002 500000 1 0 0 > 0 46 10.0.0.1 10.0.0.4 0 0 no 64 . 0"
        f" 2 {sums[2]} I 20 32 32 . - - {eth} 12"
        f" \"\\010\\000\\031!\\000\\005\\000\\tping\""
        f" {ipsummary.md5_text(bytes(pk[2][ICMP]))}" + nothing + " - 8 0 echo 0 5 9 -",
        f"1000000003.500000 1000000003 500000 1 0 0 > 0 43 10.0.0.1 10.0.0.5 0 0 no 64 f 16"
        f" 3 {sums[3]} U 20 29 29 . - - {eth} 9 \"frag-data\" {ipsummary.md5_text(b'frag-data')}"
        + nothing + " - - - - - - - -",
        f"1000000004.500000 1000000004 500000 1 0 0 > 0 55 10.0.0.1 10.0.0.6 0 0 no 64 . 0"
        f" 4 {sums[4]} U 32 41 41 rr{{1.2.3.4}}+1 7 9 {eth} 1 \"x\" {ipsummary.md5_text(b'x')}"
        + nothing + " 9 - - - - - - -",
    ]


def test_every_field_text_and_round_trip(tmp_path):
    pk, times = sample()
    wrpcap(str(tmp_path / "in.pcap"), pk)
    run(f"FromDump({tmp_path / 'in.pcap'}, STOP true, FORCE_IP true) -> "
        f"ToIPSummaryDump({tmp_path / 's.txt'}, FIELDS {ALL});")
    lines = (tmp_path / "s.txt").read_text().splitlines()
    assert lines[0] == "!IPSummaryDump 1.3"
    assert lines[1] == "!data " + ALL
    assert lines[2:] == expected_lines(pk)
    r = run(f"f :: FromIPSummaryDump({tmp_path / 's.txt'}, STOP true, CHECKSUM true) -> "
            f"ToDump({tmp_path / 'out.pcap'});")
    out = rdpcap(str(tmp_path / "out.pcap"))
    assert r.read("f.count") == "5"
    assert [bytes(p) for p in out] == [bytes(p) for p in pk]
    assert [p.time for p in out] == times


def test_missing_fields_print_dashes_and_bad_packets():
    s = ipsummary.Summary(b"\x45\x00\x00\x28" + bytes(6), 0, 0, bytes(48))
    f = ipsummary.parse_fields("ip_src ip_ttl ip_id sport tcp_flags")
    assert ipsummary.format_line(f, s) == "- 0 0 - -"
    assert s.bad == "truncated IP header capture"
    s = ipsummary.Summary(b"\x60" + bytes(39), 0, 0, bytes(48))
    assert ipsummary.format_line(f, s) == "- - - - -" and s.bad == "IP version 6"


def test_truncated_tcp_header_and_bad_lines(tmp_path):
    p = bytes(Ether() / IP(src="1.1.1.1", dst="2.2.2.2") / TCP(flags="SA"))
    (tmp_path / "t.pcap").write_bytes(
        struct.pack("<IHHiIIIIIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1, 1, 0, 44, len(p)) + p[:44])
    run(f"FromDump({tmp_path / 't.pcap'}, STOP true, FORCE_IP true) -> "
        f"ToIPSummaryDump({tmp_path / 't.txt'}, FIELDS sport tcp_seq tcp_flags ip_len,"
        " BAD_PACKETS true);")
    assert (tmp_path / "t.txt").read_text().splitlines()[2:] == [
        "!bad truncated TCP header capture", "20 0 - 40"]


@pytest.mark.parametrize("flags,text", [(0x02, "S"), (0x12, "SA"), (0x10, "A"), (0x18, "PA"),
                                        (0, "."), (0x11, "FA"), (0x1C2, "SECN")])
def test_tcp_flag_letters(flags, text):
    assert ipsummary.fmt_tcp_flags(flags) == text
    assert ipsummary.parse_tcp_flags(text) == flags


def test_frag_and_option_texts():
    assert [ipsummary.fmt_frag(v) for v in (0, 0x4000, 0x2000, 0x0003)] == [".", "!", "F", "f"]
    assert ipsummary.fmt_fragoff(0x2003) == "24+"
    assert ipsummary.parse_fragoff("24+") == 0x2003
    assert ipsummary.fmt_ip_opt(bytes([1, 1, 1, 0])) == "."
    assert ipsummary.fmt_ip_opt(bytes([99, 4, 5, 10])) == "99=5:10"
    assert ipsummary.parse_ip_opt("99=5:10") == bytes([99, 4, 5, 10])
    assert ipsummary.fmt_ip_opt(bytes([99, 9])) == "?"
    assert ipsummary.fmt_tcp_opt(bytes([1, 1, 8, 10]) + bytes(range(8))) == "ts66051:67438087"


def test_reader_defaults_header_lines_and_errors(tmp_path, capfd):
    (tmp_path / "d.txt").write_text(
        "!IPSummaryDump 1.3\n!data ip_src ip_dst sport dport ip_len\n# comment\n"
        "1.2.3.4 5.6.7.8 10 20 60\n!proto U\n1.2.3.4 5.6.7.8 10 20\nnot-an-address\n")
    r = run(f"f :: FromIPSummaryDump({tmp_path / 'd.txt'}, STOP true, CHECKSUM true) -> "
            f"ToDump({tmp_path / 'o.pcap'}, ENCAP IP);")
    out = rdpcap(str(tmp_path / "o.pcap"))
    assert r.read("f.count") == "2" and r.read("f.encap") == "IP"
    tcp = IP(bytes(out[0]))
    assert tcp.proto == 6 and tcp.ttl == 100 and tcp.len == 60 and len(bytes(out[0])) == 60
    assert tcp[TCP].sport == 10 and tcp[TCP].dport == 20 and tcp[TCP].dataofs == 5
    assert IP(bytes(tcp)).chksum == tcp.chksum
    udp = IP(bytes(out[1]))
    assert udp.proto == 17 and udp[UDP].len == 8 and udp[UDP].dport == 20
    assert "d.txt:7: packet parse error" in capfd.readouterr().err


def test_summary_reader_errors(tmp_path):
    from clickpy.errors import ClickError
    (tmp_path / "e.txt").write_text("")
    with pytest.raises(ClickError, match="empty file"):
        run(f"FromIPSummaryDump({tmp_path / 'e.txt'}) -> Discard;")
    run(f"FromIPSummaryDump({tmp_path / 'e.txt'}, ALLOW_NONEXISTENT true) -> Discard;")
    with pytest.raises(ClickError, match="unknown content type 'bogus'"):
        run(f"Idle -> ToIPSummaryDump({tmp_path / 'x.txt'}, FIELDS ip_src bogus);")


def test_writer_banner_multipacket_and_pull(tmp_path):
    (tmp_path / "d.txt").write_text("!data ip_src count\n1.2.3.4 3\n")
    run(f"FromIPSummaryDump({tmp_path / 'd.txt'}, STOP true) -> Queue -> "
        f"ToIPSummaryDump({tmp_path / 'o.txt'}, FIELDS ip_dst ip_src, BANNER \"my dump\", "
        "MULTIPACKET true);")
    assert (tmp_path / "o.txt").read_text().splitlines() == [
        "!IPSummaryDump 1.3", '!creator "my dump"', "!data ip_dst ip_src",
        "0.0.0.0 1.2.3.4", "0.0.0.0 1.2.3.4", "0.0.0.0 1.2.3.4"]


def test_payload_bytes_from_0x80_in_octal_and_back(tmp_path):
    """Click's cp_quote writes every byte from 0x80 up in octal, UTF-8 or not;
    reading gives the same bytes back."""
    payload = "h\u00e9".encode() + b"\xff\x00\x80"
    assert ipsummary.quote_payload(payload) == '"h\\303\\251\\377\\000\\200"'
    assert parse_payload(ipsummary.quote_payload(payload)) == payload
    pcap, out = tmp_path / "in.pcap", tmp_path / "out.txt"
    wrpcap(str(pcap), [Ether() / IP(src="1.0.0.1", dst="2.0.0.2") / UDP() / payload])
    run(f"FromDump({pcap}, STOP true) -> Strip(14) -> MarkIPHeader"
        f" -> ToIPSummaryDump({out}, CONTENTS payload)")
    assert out.read_text().splitlines()[-1] == '"h\\303\\251\\377\\000\\200"'
