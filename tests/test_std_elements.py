"""Standard elements: Idle, Null, paint family, Strip/Unstrip, Truncate, Pad, Align,
CheckLength, SetTimestamp, Tee, PullTee, Hub."""
from __future__ import annotations

import struct

import pytest
from harness import SIM_START, config_error, hexdata, pull_all, router, run
from scapy.all import IP, UDP, Ether, Raw

import clickpy

PAINT = 16              # annotation offsets (clickpy's layout, Click's names)
EXTRA_LENGTH = 28
FIRST_TIMESTAMP = 32


def udp(payload: bytes = b"hello", **ip) -> bytes:
    return bytes(Ether(src="00:01:02:03:04:05", dst="00:0a:0b:0c:0d:0e")
                 / IP(src="10.0.0.1", dst="10.0.0.2", **ip) / UDP(sport=1234, dport=53)
                 / Raw(payload))


def painted(data: bytes, color: int) -> clickpy.Packet:
    p = clickpy.Packet(data)
    p.paint = color
    return p


PKT = udp()
SRC1 = f"InfiniteSource({hexdata(PKT)}, LIMIT 1, STOP true)"


# -- Idle, Null -------------------------------------------------------------------

def test_idle_drops_pushes_and_pulls_nothing():
    r = router("InfiniteSource(LIMIT 0) -> i :: Idle -> p :: PullEnd; "
               "Idle -> [1] i [1] -> s :: Rec;")
    i = r.element("i")
    i.push(0, clickpy.Packet(PKT))
    i.push(1, clickpy.Packet(PKT))
    assert i.pull(0) is None
    assert r.element("p").input_pull_packet(0) is None
    assert r.element("s").got == []


def test_idle_as_filler_runs():
    r = run(f"{SRC1} -> s :: Rec; Idle -> [1] s; Idle -> Idle;")
    assert r.element("s").got == [(0, PKT, bytes(48), SIM_START)]


def test_idle_takes_no_arguments():
    assert config_error("Idle(3)") == [
        "test.click:1: While configuring 'Idle@1 :: Idle':", "  too many arguments"]


def test_null_push_and_pull():
    r = run(f"{SRC1} -> Null -> s :: Rec;")
    assert r.element("s").data == [PKT]
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 2) -> Null -> p :: PullEnd;")
    assert [bytes(p) for p in pull_all(r)] == [PKT, PKT]


# -- Paint, CheckPaint, PaintTee, PaintSwitch ----------------------------------------

def test_paint_sets_paint_annotation():
    r = run(f"{SRC1} -> Paint(7) -> s :: Rec;")
    (port, data, anno, _), = r.element("s").got
    assert data == PKT and anno[PAINT] == 7
    assert anno[:PAINT] == bytes(PAINT) and anno[PAINT + 1:] == bytes(48 - PAINT - 1)


@pytest.mark.parametrize("anno, offset", [("ICMP_PARAMPROB", 17), ("FIX_IP_SRC", 18),
                                          ("5", 5), ("47", 47), ("0x2", 2)])
def test_paint_other_annotation(anno, offset):
    r = run(f"{SRC1} -> Paint(200, {anno}) -> s :: Rec;")
    anno_bytes = r.element("s").got[0][2]
    assert anno_bytes[offset] == 200
    assert anno_bytes.count(0) == 47


def test_paint_color_handler():
    r = router("s :: Rec; Idle -> x :: Paint(3) -> s;")
    assert r.read("x.color") == "3"
    r.write("x.color", "9")
    assert r.read("x.color") == "9"
    r.element("x").push(0, clickpy.Packet(PKT))
    assert r.element("s").got[0][2][PAINT] == 9
    with pytest.raises(ValueError, match="out of range"):
        r.write("x.color", "256")


@pytest.mark.parametrize("cls", ["Paint", "CheckPaint", "PaintTee"])
@pytest.mark.parametrize("conf, reason", [
    ("", "COLOR: required argument missing"),
    ("256", "COLOR: out of range, bound 255"),
    ("x", "COLOR: expected unsigned integer"),
    ("1, DST_IP", "ANNO: expected annotation"),
    ("1, 48", "ANNO: expected annotation"),
    ("1, NOPE", "ANNO: expected annotation"),
    ("1, PAINT, 3", "too many arguments"),
])
def test_paint_family_bad_arguments(cls, conf, reason):
    second = " x[1] -> Rec;" if cls == "PaintTee" else ""
    assert config_error(f"Idle -> x :: {cls}({conf}) -> Rec;{second}") == [
        f"test.click:1: While configuring 'x :: {cls}':", f"  {reason}"]


def test_checkpaint_splits_by_color():
    r = router("Idle -> x :: CheckPaint(5) -> a :: Rec; x[1] -> b :: Rec;")
    x = r.element("x")
    for color in (5, 4, 5, 255):
        x.push(0, painted(PKT + bytes([color]), color))
    assert r.element("a").data == [PKT + b"\x05", PKT + b"\x05"]
    assert r.element("b").data == [PKT + b"\x04", PKT + b"\xff"]


def test_checkpaint_drops_without_output_1_and_anno():
    r = router("Idle -> x :: CheckPaint(1, FIX_IP_SRC) -> a :: Rec;")
    x = r.element("x")
    p = clickpy.Packet(PKT)
    p.set_anno(18, b"\x01")
    x.push(0, p)
    x.push(0, painted(PKT, 1))          # PAINT is 1 but FIX_IP_SRC is 0
    assert r.element("a").data == [PKT]
    r.write("x.color", "0")
    assert r.read("x.color") == "0"
    x.push(0, clickpy.Packet(PKT))
    assert len(r.element("a").got) == 2


def test_checkpaint_pull():
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 3) -> Paint(2) -> x :: CheckPaint(3)"
               " -> p :: PullEnd; x[1] -> b :: Rec;")
    p = r.element("p")
    assert [p.input_pull_packet(0) for _ in range(4)] == [None] * 4
    assert r.element("b").data == [PKT] * 3


def test_painttee_copies_color():
    r = router("Idle -> x :: PaintTee(9) -> a :: Rec; x[1] -> b :: Rec;")
    x = r.element("x")
    x.push(0, painted(b"one", 9))
    x.push(0, painted(b"two", 8))
    x.push(0, painted(b"three", 9))
    assert r.element("a").data == [b"one", b"two", b"three"]
    assert r.element("b").data == [b"one", b"three"]
    assert r.read("x.color") == "9"
    r.write("x.color", "8")
    x.push(0, painted(b"four", 8))
    assert r.element("b").data[-1] == b"four"


def test_painttee_pull_and_clone_is_independent():
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 2) -> Paint(1) -> x :: PaintTee(1)"
               " -> p :: PullEnd; x[1] -> Strip(14) -> b :: Rec;")
    assert [bytes(p) for p in pull_all(r)] == [PKT, PKT]
    assert r.element("b").data == [PKT[14:]] * 2


def test_painttee_anno_argument():
    r = router("Idle -> x :: PaintTee(4, 5) -> a :: Rec; x[1] -> b :: Rec;")
    p = clickpy.Packet(b"z")
    p.set_anno(5, b"\x04")
    r.element("x").push(0, p)
    r.element("x").push(0, painted(b"y", 4))
    assert r.element("b").data == [b"z"]


def test_paintswitch_routes_by_paint():
    r = router("Idle -> x :: PaintSwitch; x[0] -> a :: Rec; x[1] -> b :: Rec; x[2] -> c :: Rec;")
    x = r.element("x")
    for i, color in enumerate((0, 2, 1, 3, 2, 255)):
        x.push(0, painted(bytes([i]), color))
    assert r.element("a").data == [b"\x00", b"\x05"]
    assert r.element("b").data == [b"\x02", b"\x05"]
    assert r.element("c").data == [b"\x01", b"\x04", b"\x05"]


def test_paintswitch_anno_and_burst():
    r = run(f"InfiniteSource({hexdata(PKT)}, LIMIT 100, BURST 100, STOP true)"
            " -> Paint(1, 20) -> x :: PaintSwitch(20); x[0] -> a :: Rec; x[1] -> b :: Rec;")
    assert r.element("a").data == [] and r.element("b").data == [PKT] * 100


def test_paintswitch_255_in_big_batches():
    r = run(f"InfiniteSource({hexdata(PKT)}, LIMIT 150, BURST 150, STOP true)"
            " -> Paint(255) -> x :: PaintSwitch; x[0] -> a :: Rec; x[1] -> b :: Rec;"
            " x[2] -> Strip(1) -> c :: Rec;")
    assert r.element("a").data == [PKT] * 150
    assert r.element("b").data == [PKT] * 150
    assert r.element("c").data == [PKT[1:]] * 150


def test_paintswitch_bad_args():
    assert config_error("Idle -> x :: PaintSwitch(DST_IP) -> Rec;") == [
        "test.click:1: While configuring 'x :: PaintSwitch':", "  ANNO: expected annotation"]


# -- Strip, Unstrip, StripToNetworkHeader ------------------------------------------

def test_strip_unstrip_roundtrip():
    r = run(f"{SRC1} -> Strip(14) -> s :: Rec;")
    assert r.element("s").data == [PKT[14:]]
    r = run(f"{SRC1} -> Strip(14) -> Unstrip(14) -> s :: Rec;")
    assert r.element("s").data == [PKT]


def test_strip_more_than_length_empties():
    r = router("Idle -> x :: Strip(100) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(b"short"))
    assert r.element("s").data == [b""]


def test_unstrip_without_headroom_copies():
    r = router("Idle -> x :: Unstrip(4) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(b"abcdef", headroom=2))
    (_, data, _, _), = r.element("s").got
    assert len(data) == 10 and data[4:] == b"abcdef"


def test_strip_pull():
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 1) -> Strip(42) -> p :: PullEnd;")
    assert [bytes(p) for p in pull_all(r)] == [b"hello"]


@pytest.mark.parametrize("cls", ["Strip", "Unstrip"])
def test_strip_bad_args(cls):
    assert config_error(f"Idle -> x :: {cls} -> Rec;") == [
        f"test.click:1: While configuring 'x :: {cls}':", "  LENGTH: required argument missing"]
    assert config_error(f"Idle -> x :: {cls}(-1) -> Rec;")[1] == "  LENGTH: expected unsigned integer"


def test_strip_to_network_header():
    r = router("Idle -> x :: StripToNetworkHeader -> s :: Rec;")
    x = r.element("x")
    p = clickpy.Packet(PKT)
    p.set_network_header(14, 20)
    x.push(0, p)
    x.push(0, clickpy.Packet(b"no header"))
    assert r.element("s").data == [PKT[14:], b"no header"]


def test_strip_to_network_header_moves_back():
    r = router("Idle -> st :: Strip(34) -> x :: StripToNetworkHeader -> s :: Rec;")
    p = clickpy.Packet(PKT)
    p.set_network_header(14, 20)
    r.element("st").push(0, p)
    assert r.element("s").data == [PKT[14:]]


# -- Truncate, Pad -------------------------------------------------------------------

def test_truncate_and_extra_length():
    r = run(f"{SRC1} -> t :: Truncate(20) -> s :: Rec;")
    (_, data, anno, _), = r.element("s").got
    assert data == PKT[:20]
    assert struct.unpack_from("=I", anno, EXTRA_LENGTH)[0] == len(PKT) - 20
    assert r.read("t.nbytes") == "20"


def test_truncate_accumulates_and_extra_length_false():
    r = router("Idle -> a :: Truncate(30) -> b :: Truncate(10) -> s :: Rec;"
               "Idle -> c :: Truncate(10, EXTRA_LENGTH false) -> s2 :: Rec;")
    r.element("a").push(0, clickpy.Packet(PKT))
    r.element("c").push(0, clickpy.Packet(PKT))
    r.element("a").push(0, clickpy.Packet(b"tiny"))
    (_, d1, a1, _), (_, d2, a2, _) = r.element("s").got
    assert d1 == PKT[:10] and struct.unpack_from("=I", a1, EXTRA_LENGTH)[0] == len(PKT) - 10
    assert d2 == b"tiny" and struct.unpack_from("=I", a2, EXTRA_LENGTH)[0] == 0
    (_, d3, a3, _), = r.element("s2").got
    assert d3 == PKT[:10] and a3 == bytes(48)


def test_truncate_handler_and_errors():
    r = router("Idle -> t :: Truncate(100) -> s :: Rec;")
    r.write("t.nbytes", "5")
    assert r.read("t.nbytes") == "5"
    r.element("t").push(0, clickpy.Packet(PKT))
    assert r.element("s").data == [PKT[:5]]
    with pytest.raises(ValueError):
        r.write("t.nbytes", "-3")
    assert config_error("Idle -> x :: Truncate(1, EXTRA_LENGTH maybe, 3) -> Rec;") == [
        "test.click:1: While configuring 'x :: Truncate':",
        "  EXTRA_LENGTH: expected boolean", "  too many arguments"]
    assert config_error("Idle -> x :: Truncate -> Rec;")[1:] == [
        "  LENGTH: required argument missing"]


def test_pad_to_length_with_zeros():
    r = router("Idle -> x :: Pad(60) -> s :: Rec; Idle -> y :: Pad(60, ZERO false) -> s2 :: Rec;")
    short = b"\xff" * 10
    r.element("x").push(0, clickpy.Packet(short))
    r.element("x").push(0, clickpy.Packet(PKT + b"x" * 30))
    r.element("y").push(0, clickpy.Packet(short))
    assert r.element("s").data == [short + bytes(50), PKT + b"x" * 30]
    assert len(r.element("s2").data[0]) == 60 and r.element("s2").data[0][:10] == short


def test_pad_undoes_truncate():
    r = run(f"{SRC1} -> Truncate(20) -> Pad -> s :: Rec;")
    (_, data, anno, _), = r.element("s").got
    assert data == PKT[:20] + bytes(len(PKT) - 20)
    assert anno == bytes(48)


def test_pad_clears_extra_length_and_copies_shared():
    r = router("Idle -> x :: Pad(8) -> s :: Rec;")
    p = clickpy.Packet(b"abc")
    p.set_anno(EXTRA_LENGTH, struct.pack("=I", 5))
    q = p.clone()
    r.element("x").push(0, p)
    assert r.element("s").got[0][1] == b"abc" + bytes(5)
    assert r.element("s").got[0][2] == bytes(48)
    assert bytes(q) == b"abc"


def test_pad_bad_args():
    assert config_error("Idle -> x :: Pad(ZERO 2) -> Rec;") == [
        "test.click:1: While configuring 'x :: Pad':", "  ZERO: expected boolean"]


# -- Align ---------------------------------------------------------------------------

@pytest.mark.parametrize("modulus, offset", [(2, 0), (2, 1), (4, 0), (4, 2), (8, 3), (8, 7)])
@pytest.mark.parametrize("headroom", [0, 1, 5, 128])
def test_align(modulus, offset, headroom):
    # pool buffers start 8-byte aligned, so the headroom tells the data address modulo 8
    r = router(f"Idle -> x :: Align({modulus}, {offset}) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(PKT, headroom=headroom))
    assert r.element("s").data == [PKT]
    assert r.element("s").records[0].headroom % modulus == offset


@pytest.mark.parametrize("headroom", [0, 3, 2048 - len(PKT), 2046 - len(PKT)])
def test_align_full_buffer(headroom):
    r = router("Idle -> x :: Align(8, 3) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(PKT, headroom=headroom))
    assert r.element("s").data == [PKT]
    assert r.element("s").records[0].headroom % 8 == 3


def test_align_pull():
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 1) -> Strip(1) -> Align(4, 0) -> p :: PullEnd;")
    (p,) = pull_all(r)
    assert bytes(p) == PKT[1:] and p.headroom % 4 == 0


def test_align_keeps_network_header_and_clones():
    r = router("Idle -> x :: Align(4, 0) -> s :: Rec;")
    p = clickpy.Packet(PKT, headroom=5)
    p.set_network_header(14, 20)
    q = p.clone()
    r.element("x").push(0, p)
    assert r.element("s").data == [PKT]
    rec = r.element("s").records[0]
    head, nh = rec.headroom, rec.network_header_offset
    assert head % 4 == 0 and nh == 14
    assert bytes(q) == PKT and q.headroom == 5 and q.network_header_offset == 14


@pytest.mark.parametrize("conf, reason", [
    ("3, 0", "MODULUS must be 2, 4, or 8"),
    ("4, 4", "OFFSET must be smaller than MODULUS"),
    ("4", "OFFSET: required argument missing"),
])
def test_align_bad_args(conf, reason):
    assert config_error(f"Idle -> x :: Align({conf}) -> Rec;") == [
        "test.click:1: While configuring 'x :: Align':", f"  {reason}"]


# -- CheckLength ----------------------------------------------------------------------

def test_checklength_splits():
    r = router("Idle -> x :: CheckLength(60) -> a :: Rec; x[1] -> b :: Rec;")
    x = r.element("x")
    x.push(0, clickpy.Packet(bytes(60)))
    x.push(0, clickpy.Packet(bytes(61)))
    x.push(0, clickpy.Packet(PKT))
    x.push(0, clickpy.Packet(udp(bytes(40))))
    assert r.element("a").data == [bytes(60), PKT]
    assert r.element("b").data == [bytes(61), udp(bytes(40))]
    assert r.read("x.length") == "60"
    r.write("x.length", "61")
    x.push(0, clickpy.Packet(bytes(61)))
    assert r.element("a").data[-1] == bytes(61)


def test_checklength_drops_and_pull():
    r = run(f"{SRC1} -> CheckLength(10) -> s :: Rec;")
    assert r.element("s").got == []
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 2) -> CheckLength({len(PKT)})"
               " -> p :: PullEnd;")
    assert len(pull_all(r)) == 2


def test_checklength_bad_args():
    assert config_error("Idle -> x :: CheckLength -> Rec;")[1] == "  LENGTH: required argument missing"
    assert config_error("Idle -> x :: CheckLength(1, 2) -> Rec;")[1] == "  too many arguments"


# -- SetTimestamp ---------------------------------------------------------------------

def test_settimestamp_now_under_simtime():
    r = run(f"InfiniteSource({hexdata(PKT)}, LIMIT 1, STOP true, TIMESTAMP false)"
            " -> SetTimestamp -> s :: Rec;")
    (_, _, _, ts), = r.element("s").got
    assert SIM_START <= ts < SIM_START + 10**9


def test_settimestamp_fixed_and_first():
    r = router("Idle -> a :: SetTimestamp(12.5) -> s :: Rec; Idle -> b :: SetTimestamp(3.000000007, FIRST true)"
               " -> s2 :: Rec;")
    r.element("a").push(0, clickpy.Packet(PKT))
    p = clickpy.Packet(PKT)
    p.timestamp_ns = 42
    r.element("b").push(0, p)
    assert r.element("s").got[0][3] == 12_500_000_000
    (_, _, anno, ts), = r.element("s2").got
    assert ts == 42
    assert struct.unpack_from("=q", anno, FIRST_TIMESTAMP)[0] == 3_000_000_007


def test_settimestamp_errors():
    assert config_error("Idle -> x :: SetTimestamp(DELTA true) -> Rec;") == [
        "test.click:1: While configuring 'x :: SetTimestamp':",
        "  SetTimestamp(DELTA) is deprecated, use SetTimestampDelta(TYPE FIRST)"]
    assert config_error("Idle -> x :: SetTimestamp(yesterday) -> Rec;")[1].startswith("  TIMESTAMP: ")


# -- Tee, PullTee, Hub ------------------------------------------------------------

def test_tee_clones_to_every_output():
    r = run(f"{SRC1} -> t :: Tee; t[0] -> a :: Rec; t[1] -> Strip(14) -> b :: Rec;"
            " t[2] -> c :: Rec;")
    assert r.element("a").data == [PKT]
    assert r.element("b").data == [PKT[14:]]
    assert r.element("c").data == [PKT]


def test_tee_batch_keeps_order():
    r = router("Idle -> t :: Tee(2) -> a :: Rec; t[1] -> b :: Rec;")
    for i in range(5):
        r.element("t").push(0, clickpy.Packet(bytes([i])))
    assert r.element("a").data == r.element("b").data == [bytes([i]) for i in range(5)]


def test_tee_arms_mismatch():
    assert config_error("Idle -> t :: Tee(3) -> Rec; t[1] -> Rec;") == [
        "test.click:1: While configuring 't :: Tee':", "  2 outputs implies 2 arms"]
    assert config_error("i :: InfiniteSource -> t :: PullTee(1) -> p :: PullEnd;"
                        " t[1] -> Rec;")[1] == "  2 outputs implies 2 arms"


def test_pulltee():
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 2) -> t :: PullTee -> p :: PullEnd;"
               " t[1] -> Truncate(3) -> b :: Rec; t[2] -> c :: Rec;")
    got = pull_all(r)
    assert [bytes(p) for p in got] == [PKT, PKT]
    assert r.element("b").data == [PKT[:3]] * 2
    assert r.element("c").data == [PKT] * 2


def test_hub():
    r = router("h :: Hub; h[0] -> a :: Rec; h[1] -> b :: Rec; h[2] -> c :: Rec;"
               " Idle -> [0]h; Idle -> [1]h; Idle -> [2]h;")
    h = r.element("h")
    h.push(0, clickpy.Packet(b"from0"))
    h.push(1, clickpy.Packet(b"from1"))
    h.push(2, clickpy.Packet(b"from2"))
    assert r.element("a").data == [b"from1", b"from2"]
    assert r.element("b").data == [b"from0", b"from2"]
    assert r.element("c").data == [b"from0", b"from1"]


def test_hub_single_port_drops():
    r = router("Idle -> h :: Hub -> a :: Rec;")
    r.element("h").push(0, clickpy.Packet(b"x"))
    assert r.element("a").got == []


def test_hub_and_tee_bad_args():
    assert config_error("Idle -> h :: Hub(1) -> Rec;")[1] == "  too many arguments"
    assert config_error("Idle -> t :: Tee(x) -> Rec;")[1] == "  N: expected unsigned integer"


def test_paintswitch_keeps_clicks_order_across_outputs(tmp_path):
    """One batch painted 1, 0, 1, 255, 0 reaches a shared downstream element in
    that order (255 as clones to every output first), as Click's per-packet
    push delivers it; collecting per output would give 0, 0, ... then 1, 1, ..."""
    dump = tmp_path / "painted.txt"
    dump.write_text("!data paint ip_len\n" + "".join(f"{c} {20 + i}\n"
                                                       for i, c in enumerate((1, 0, 1, 255, 0))))
    r = run(f"FromIPSummaryDump({dump}, STOP true) -> x :: PaintSwitch;"
            " x[0] -> [0] r :: Rec; x[1] -> [1] r;")
    got = [(port, len(data)) for port, data, _, _ in r.element("r").got]
    assert got == [(1, 20), (0, 21), (1, 22), (0, 23), (1, 23), (0, 24)]
