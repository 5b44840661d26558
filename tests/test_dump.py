"""FromDump and ToDump: libpcap/pcapng reading, writing, errors, STOP, pull, timing."""
import struct

import pytest
from harness import cli, run
from scapy.layers.inet import ICMP, IP, UDP
from scapy.layers.l2 import Ether
from scapy.utils import rdpcap, wrpcap

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def packets(n=5):
    out = []
    for i in range(n):
        p = Ether(src="00:11:22:33:44:55", dst="66:77:88:99:aa:bb") / \
            IP(src="10.0.0.1", dst=f"10.0.1.{i + 1}", id=i) / UDP(sport=1000 + i, dport=53) / \
            (b"payload-%d" % i)
        p.time = 1_500_000_000 + i * 0.25 + i * 1e-6
        out.append(p)
    return out


def raw_pcap(records, *, magic=0xA1B2C3D4, endian="<", linktype=1, trunc=0):
    """libpcap bytes built by hand: records are (sec, subsec, data, wire_len)."""
    b = struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for sec, sub, data, wire in records:
        b += struct.pack(endian + "IIII", sec, sub, len(data), wire) + data
    return b[:len(b) - trunc] if trunc else b


def pcapng(records, linktype=1, tsresol=None, endian="<"):
    """pcapng bytes: SHB, IDB (optional if_tsresol), then EPBs and one SPB."""
    def block(btype, body):
        body += bytes(-len(body) % 4)
        n = len(body) + 12
        return struct.pack(endian + "II", btype, n) + body + struct.pack(endian + "I", n)
    out = block(0x0A0D0D0A, struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1))
    opts = b""
    if tsresol is not None:
        opts = struct.pack(endian + "HHB3x", 9, 1, tsresol) + struct.pack(endian + "HH", 0, 0)
    out += block(1, struct.pack(endian + "HHI", linktype, 0, 65535) + opts)
    out += block(5, b"\0" * 8)                        # an interface statistics block: skipped
    for ticks, data in records:
        out += block(6, struct.pack(endian + "IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF,
                                    len(data), len(data)) + data)
    out += block(3, struct.pack(endian + "I", 4) + b"SPB!")
    return out


def roundtrip(tmp_path, data: bytes, extra=""):
    src, dst = tmp_path / "in.pcap", tmp_path / "out.pcap"
    src.write_bytes(data)
    r = run(f"fd :: FromDump({src}, STOP true{extra}) -> td :: ToDump({dst}, NANO true);")
    return r, rdpcap(str(dst))


def test_ethernet_pcap_round_trip_bytes_and_timestamps(tmp_path):
    pk = packets()
    wrpcap(str(tmp_path / "in.pcap"), pk)
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, STOP true) -> "
            f"td :: ToDump({tmp_path / 'out.pcap'});")
    out = rdpcap(str(tmp_path / "out.pcap"))
    assert [bytes(p) for p in out] == [bytes(p) for p in pk]
    assert [p.time for p in out] == [p.time for p in pk]
    assert r.read("fd.count") == "5" and r.read("td.count") == "5"
    assert r.read("fd.encap") == "ETHER"
    assert r.read("fd.filesize") == str((tmp_path / "in.pcap").stat().st_size)
    assert r.read("td.filename") == str(tmp_path / "out.pcap")


@pytest.mark.parametrize("endian", ["<", ">"])
@pytest.mark.parametrize("nano", [False, True])
def test_byte_orders_and_nanosecond_magic(tmp_path, endian, nano):
    data = [bytes(p) for p in packets(3)]
    recs = [(100 + i, 123456789 if nano else 123456, d, len(d)) for i, d in enumerate(data)]
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    r, out = roundtrip(tmp_path, raw_pcap(recs, magic=magic, endian=endian))
    assert [bytes(p) for p in out] == data
    want = "123456789" if nano else "123456000"
    assert [str(p.time) for p in out] == [f"{100 + i}.{want}" for i in range(3)]


@pytest.mark.parametrize("linktype", [101, 12, 228])
def test_raw_ip_link_types_set_the_network_header(tmp_path, linktype):
    ip = bytes(IP(src="1.1.1.1", dst="2.2.2.2") / ICMP())
    (tmp_path / "in.pcap").write_bytes(raw_pcap([(5, 0, ip, len(ip))], linktype=linktype))
    run(f"FromDump({tmp_path / 'in.pcap'}, STOP true) -> ToIPSummaryDump({tmp_path / 'o.txt'}, "
        f"FIELDS ip_src ip_dst icmp_type_name) -> ToDump({tmp_path / 'o.pcap'}, ENCAP IP);")
    assert (tmp_path / "o.txt").read_text().splitlines()[-1] == "1.1.1.1 2.2.2.2 echo"
    out = rdpcap(str(tmp_path / "o.pcap"))
    assert bytes(out[0]) == ip


def test_force_ip_sends_non_ip_to_output_1(tmp_path):
    pk = packets(2)
    arp = Ether(type=0x0806) / (b"\0" * 28)
    arp.time = 1_500_000_000.5
    wrpcap(str(tmp_path / "in.pcap"), [pk[0], arp, pk[1]])
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, STOP true, FORCE_IP true); "
            "fd[0] -> c0 :: Counter -> Discard; fd[1] -> c1 :: Counter -> Discard;")
    assert r.read("c0.count") == "2" and r.read("c1.count") == "1"


def test_extra_length_from_short_captures(tmp_path):
    d = bytes(packets(1)[0])
    data = raw_pcap([(1, 0, d[:20], len(d))])
    r, out = roundtrip(tmp_path, data)
    assert bytes(out[0]) == d[:20] and out[0].wirelen == len(d)


@pytest.mark.parametrize("tsresol,ticks,want", [(None, 1_000_000_123_456, "1000000.123456000"),
                                                (9, 1_000_000_123_456_789, "1000000.123456789")])
def test_pcapng_reading(tmp_path, tsresol, ticks, want):
    d = [bytes(p) for p in packets(2)]
    r, out = roundtrip(tmp_path, pcapng([(ticks, d[0]), (ticks, d[1])], tsresol=tsresol))
    assert [bytes(p) for p in out] == d + [b"SPB!"]
    assert str(out[0].time) == want
    assert r.read("fd.encap") == "ETHER"


def test_pcapng_big_endian(tmp_path):
    d = bytes(packets(1)[0])
    r, out = roundtrip(tmp_path, pcapng([(2_000_000, d)], endian=">"))
    assert bytes(out[0]) == d and out[0].time == 2


@pytest.mark.parametrize("content,message", [
    (b"", "empty file"),
    (b"\xa1\xb2", "not a tcpdump file (too short)"),
    (b"garbage-garbage-garbage-garbage", "not a tcpdump file (bad magic number)"),
    (struct.pack("<IHHiIII", 0xA1B2C3D4, 3, 4, 0, 0, 65535, 1), "unknown major version 3"),
])
def test_malformed_files_fail_initialization(tmp_path, content, message):
    bad = tmp_path / "bad.pcap"
    bad.write_bytes(content)
    res = cli("run", "-e", f"FromDump({bad}) -> Discard;")
    assert res.returncode == 1
    assert f"While initializing 'FromDump@1 :: FromDump':\n  {bad}: {message}\n" in res.stderr
    assert "Traceback" not in res.stderr


def test_missing_file_and_unforceable_linktype(tmp_path):
    from clickpy.errors import ClickError
    with pytest.raises(ClickError, match="No such file"):
        run(f"FromDump({tmp_path / 'nope.pcap'}) -> Discard;")
    (tmp_path / "x.pcap").write_bytes(raw_pcap([], linktype=147))
    with pytest.raises(ClickError, match="unknown linktype 147; can't force IP packets"):
        run(f"FromDump({tmp_path / 'x.pcap'}, FORCE_IP true) -> Discard;")


@pytest.mark.parametrize("trunc", [5, 20])
def test_truncated_record_is_counted_and_reported(tmp_path, capfd, trunc):
    data = [bytes(p) for p in packets(3)]
    recs = [(1, i, d, len(d)) for i, d in enumerate(data)]
    r, out = roundtrip(tmp_path, raw_pcap(recs, trunc=trunc))
    assert [bytes(p) for p in out] == data[:2]
    assert r.read("fd.count") == "2" and r.read("fd.truncated") == "1"
    assert "truncated packet record" in capfd.readouterr().err


def test_bad_record_header_gives_up(tmp_path, capfd):
    d = bytes(packets(1)[0])
    data = raw_pcap([(1, 0, d, len(d))]) + struct.pack("<IIII", 1, 0, 0x7FFFFFFF, 0x7FFFFFFF)
    r, out = roundtrip(tmp_path, data)
    assert len(out) == 1 and r.read("fd.truncated") == "1"
    assert "bad packet header; giving up" in capfd.readouterr().err


def test_without_stop_the_driver_ends_when_idle(tmp_path):
    wrpcap(str(tmp_path / "in.pcap"), packets())
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}) -> c :: Counter -> Discard;")
    assert r.read("c.count") == "5"


def test_start_end_and_sample(tmp_path):
    wrpcap(str(tmp_path / "in.pcap"), packets(8))          # times 0, .25, ... 1.75 (+us)
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, START_AFTER 0.5, END_AFTER 1.5, STOP true)"
            " -> c :: Counter -> Discard;")
    assert r.read("c.count") == "4"                         # 0.5 .. 1.25
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, SAMPLE 0, STOP true) -> c :: Counter "
            "-> Discard;")
    assert r.read("c.count") == "0" and r.read("fd.sampling_prob") == "0"


def test_pull_mode_through_a_puller(tmp_path):
    wrpcap(str(tmp_path / "in.pcap"), packets())
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, STOP true) -> "
            f"td :: ToDump({tmp_path / 'out.pcap'}) -> Unqueue -> c :: Counter -> Discard;")
    assert r.read("c.count") == "5"
    assert [bytes(p) for p in rdpcap(str(tmp_path / "out.pcap"))] == \
        [bytes(p) for p in packets()]


def test_pull_input_todump_runs_its_own_task(tmp_path):
    wrpcap(str(tmp_path / "in.pcap"), packets())
    run(f"FromDump({tmp_path / 'in.pcap'}, STOP true) -> Queue -> ToDump({tmp_path / 'o.pcap'});")
    assert len(rdpcap(str(tmp_path / "o.pcap"))) == 5


def test_timing_paces_packets_under_simulated_time(tmp_path):
    from clickpy.runtime import clock
    wrpcap(str(tmp_path / "in.pcap"), packets(4))
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, TIMING true, STOP true) -> "
            f"ToDump({tmp_path / 'o.pcap'});")
    assert r.read("fd.count") == "4"
    start = clock.SIMTIME_START_NS
    del start                                        # paced: the clock moved with the packets
    assert [p.time for p in rdpcap(str(tmp_path / "o.pcap"))] == [p.time for p in packets(4)]


def test_snaplen_encap_from_and_handlers(tmp_path):
    wrpcap(str(tmp_path / "in.pcap"), packets(2))
    r = run(f"fd :: FromDump({tmp_path / 'in.pcap'}, STOP true) -> "
            f"td :: ToDump({tmp_path / 'o.pcap'}, SNAPLEN 20, USE_ENCAP_FROM fd);")
    out = rdpcap(str(tmp_path / "o.pcap"))
    assert [len(bytes(p)) for p in out] == [20, 20]
    assert out[0].wirelen == len(bytes(packets(1)[0]))
    assert r.read("td.encap") == "ETHER"
    r.write("fd.reset_counts")
    assert r.read("fd.count") == "0"


def test_filepos_starts_mid_file(tmp_path):
    pk = packets(3)
    wrpcap(str(tmp_path / "in.pcap"), pk)
    second = 24 + 16 + len(bytes(pk[0]))
    r, out = roundtrip(tmp_path, (tmp_path / "in.pcap").read_bytes(), f", FILEPOS {second}")
    assert [bytes(p) for p in out] == [bytes(p) for p in pk[1:]]
    assert r.read("fd.packet_filepos") == str(second + 16 + len(bytes(pk[1])))


@pytest.mark.parametrize("limit", [3, 10000])
@pytest.mark.parametrize("writer", ["ToDump(/dev/full)",
                                    "MarkIPHeader -> ToIPSummaryDump(/dev/full)"])
def test_a_full_disk_is_reported_once_and_fails_the_run(writer, limit):
    """Packets lost to a write error were silent (exit 0, no message)."""
    r = cli("run", "-e", f"InfiniteSource(LIMIT {limit}, STOP true) -> {writer}")
    name = writer.split("-> ")[-1]
    assert (r.returncode, r.stderr) == (1, f"{name}: No space left on device\n")


def test_handler_and_flat_output_to_a_full_disk_fail_the_run():
    base = ["run", "-e", "InfiniteSource(LIMIT 3, STOP true) -> c :: Counter -> Discard"]
    with open("/dev/full", "w") as full:
        r = cli(*base, "-h", "c.count", stdout=full)
    assert (r.returncode, r.stderr) == (1, "standard output: No space left on device\n")
    r = cli(*base, "-o", "/dev/full")
    assert (r.returncode, r.stderr) == (1, "/dev/full: No space left on device\n")


def _fromdump(path, *handlers):
    return cli("run", "-e", f"FromDump({path}, STOP true) -> c :: Counter -> Discard",
               *[x for h in handlers for x in ("-h", h)])


@pytest.mark.parametrize("compress", ["gzip", "bz2"])
def test_fromdump_reads_compressed_traces(tmp_path, compress):
    import bz2
    import gzip
    plain = tmp_path / "t.pcap"
    wrpcap(str(plain), [Ether() / IP(dst="1.2.3.4") / UDP() / bytes([i]) for i in range(7)])
    packed = tmp_path / f"t.pcap.{compress}"
    packed.write_bytes((gzip if compress == "gzip" else bz2).compress(plain.read_bytes()))
    r = _fromdump(packed, "c.count", "c.byte_count")
    assert (r.returncode, r.stdout, r.stderr) == (0, "c.count:\n7\n\nc.byte_count:\n301\n\n", "")


def test_fromdump_reads_a_fifo(tmp_path):
    import os
    import threading
    plain, fifo = tmp_path / "t.pcap", tmp_path / "fifo"
    wrpcap(str(plain), [Ether() / IP() / UDP()] * 5)
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(plain.read_bytes()))
    writer.start()
    r = _fromdump(fifo, "c.count")
    writer.join()
    assert (r.returncode, r.stdout, r.stderr) == (0, "5\n", "")


def test_fromdump_unreadable_files_say_why(tmp_path):
    r = _fromdump(tmp_path / "missing.pcap")
    assert r.stderr.splitlines()[1:] == [
        f"  {tmp_path / 'missing.pcap'}: No such file or directory",
        "Router could not be initialized!"]
    r = _fromdump(tmp_path)
    assert r.stderr.splitlines()[1] == f"  {tmp_path}: Is a directory"
    assert "Errno" not in r.stderr


def test_fromdump_keeps_unknown_link_types(tmp_path):
    plain = tmp_path / "t.pcap"
    wrpcap(str(plain), [Ether() / IP() / UDP()] * 2)
    data = bytearray(plain.read_bytes())
    data[20:24] = struct.pack("<I", 147)            # LINKTYPE_USER0
    plain.write_bytes(bytes(data))
    r = _fromdump(plain, "c.count", "FromDump@1.encap")
    assert (r.returncode, r.stdout) == (0, "c.count:\n2\n\nFromDump@1.encap:\n#147\n\n")
    r = cli("run", "-e", f"FromDump({plain}, FORCE_IP true) -> Discard")
    assert r.stderr.splitlines()[1] == f"  {plain}: unknown linktype 147; can't force IP packets"
