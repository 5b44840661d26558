"""Print (exact standard-error lines), Message and AverageCounter."""
from __future__ import annotations

import re

import pytest
from harness import at, config_error, hexdata, router, run, simulated_time
from test_std_elements import PKT, SRC1

import clickpy

HEX24 = "000a0b0c 0d0e0001 02030405 08004500 00210001 00004011"
HEXALL = HEX24 + " 66c90a00 00010a00 000204d2 0035000d a2f86865 6c6c6f"


def printed(capfd) -> list[str]:
    return capfd.readouterr().err.splitlines()


# -- Print ---------------------------------------------------------------------------

def test_print_default_format(capfd):
    run(f"{SRC1} -> Print(ok) -> s :: Rec;")
    assert printed(capfd) == [f"ok:   47 | {HEX24}"]


def test_print_no_label_and_short_packet(capfd):
    r = router("Idle -> x :: Print -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(b"\x01\x02\x03\x04\x05"))
    r.element("x").push(0, clickpy.Packet(b""))
    assert printed(capfd) == ["   5 | 01020304 05", "   0"]
    assert r.element("s").data == [b"\x01\x02\x03\x04\x05", b""]


@pytest.mark.parametrize("conf, line", [
    ("x, 4", "x:   47 | 000a0b0c"),
    ("x, 5", "x:   47 | 000a0b0c 0d"),
    ("x, 0", "x:   47"),
    ("x, -1", f"x:   47 | {HEXALL}"),
    ("x, 100", f"x:   47 | {HEXALL}"),
    ("x, MAXLENGTH 8", "x:   47 | 000a0b0c 0d0e0001"),
    ("x, LENGTH 2", "x:   47 | 000a"),
    ("x, 9, NBYTES 3", "x:   47 | 000a0b"),
    ("x, LENGTH 2, NBYTES 1", "x:   47 | 00"),
    ("x, CONTENTS NONE", "x:   47"),
    ("x, CONTENTS false", "x:   47"),
    ("x, CONTENTS hex", f"x:   47 | {HEX24}"),
    ("x, CONTENTS true", f"x:   47 | {HEX24}"),
    ("\"a b, c\"", f"a b, c:   47 | {HEX24}"),
    ("\"\", 2", "  47 | 000a"),
])
def test_print_arguments(capfd, conf, line):
    r = router(f"Idle -> x :: Print({conf}) -> s :: Rec;")
    warnings = capfd.readouterr().err      # deprecated LENGTH/NBYTES warn at configuration
    deprecated = [k for k in ("LENGTH", "NBYTES") if re.search(rf"(?<![A-Z]){k} ", conf)]
    assert warnings.splitlines()[1:] == [f"  warning: {k}: argument deprecated" for k in deprecated]
    r.element("x").push(0, clickpy.Packet(PKT))
    assert printed(capfd) == [line]


def test_print_ascii(capfd):
    r = router("Idle -> x :: Print(t, 20, CONTENTS ASCII) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(b"Hello, world!\x00\x7f\x1fabcdefgh"))
    r.element("x").push(0, clickpy.Packet(b"ab"))
    assert printed(capfd) == ["t:   24 |  Hello, w orld!... abcd", "t:    2 |  ab"]


def test_print_long_length_column(capfd):
    r = router("Idle -> x :: Print(big, 2) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(bytes(12345)))
    assert printed(capfd) == ["big: 12345 | 0000"]


def test_print_timestamp(capfd):
    r = router("Idle -> x :: Print(ts, 0, TIMESTAMP true) -> Print(TIMESTAMP true, MAXLENGTH 1)"
               " -> s :: Rec;")
    p = clickpy.Packet(PKT)
    p.timestamp_ns = 1_000_000_000_123_456_000
    r.element("x").push(0, p)
    q = clickpy.Packet(PKT)
    q.timestamp_ns = 5_000_000_007
    r.element("x").push(0, q)
    assert printed(capfd) == [
        "ts: 1000000000.123456:   47", "1000000000.123456:   47 | 00",
        "ts: 5.000000007:   47", "5.000000007:   47 | 00"]


def test_print_timestamp_simtime(capfd):
    run(f"{SRC1} -> Print(s, 1, TIMESTAMP true) -> Rec;")
    assert printed(capfd) == ["s: 1000000000.000000:   47 | 00"]


def test_print_anno_and_headroom(capfd):
    r = router("Idle -> x :: Print(a, 4, PRINTANNO true, HEADROOM true) -> s :: Rec;")
    p = clickpy.Packet(PKT, headroom=100)
    p.paint = 0xAB
    p.set_anno(0, b"\x0a\x00\x00\x01")
    r.element("x").push(0, p)
    anno = "0a000001" + "00" * 12 + "ab" + "00" * 31
    tail = 2048 - 100 - 47
    assert printed(capfd) == [f"a:   47 (h100 t{tail}) | {anno} | 000a0b0c"]


def test_print_active_handler(capfd):
    r = router("Idle -> x :: Print(q, ACTIVE false) -> s :: Rec;")
    r.element("x").push(0, clickpy.Packet(PKT))
    assert printed(capfd) == []
    assert r.read("x.active") == "false"
    r.write("x.active", "true")
    r.element("x").push(0, clickpy.Packet(PKT))
    assert printed(capfd) == [f"q:   47 | {HEX24}"]
    assert r.element("s").data == [PKT, PKT]
    with pytest.raises(ValueError):
        r.write("x.active", "perhaps")


def test_print_pull(capfd):
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 2) -> Print(pl, 4) -> p :: PullEnd;")
    end = r.element("p")
    assert bytes(end.input_pull_packet(0)) == PKT
    assert bytes(end.input_pull_packet(0)) == PKT
    assert end.input_pull_packet(0) is None
    assert printed(capfd) == ["pl:   47 | 000a0b0c"] * 2


def test_print_batch(capfd):
    run(f"InfiniteSource({hexdata(PKT)}, LIMIT 70, BURST 70, STOP true) -> Print(b, 1)"
        " -> s :: Rec;")
    assert printed(capfd) == ["b:   47 | 00"] * 70


@pytest.mark.parametrize("conf, reason", [
    ("x, CONTENTS octal", "bad contents value 'OCTAL'; should be 'NONE', 'HEX', or 'ASCII'"),
    ("x, y", "MAXLENGTH: expected integer"),
    ("\"x\" y", "LABEL: expected string"),
    ("TIMESTAMP 2", "TIMESTAMP: expected boolean"),
    ("CPU true", "CPU: unknown argument"),
])
def test_print_bad_args(conf, reason):
    assert config_error(f"Idle -> x :: Print({conf}) -> Rec;") == [
        "test.click:1: While configuring 'x :: Print':", f"  {reason}"]


# -- Message -----------------------------------------------------------------------

def test_message_prints_at_configure(capfd):
    router("m :: Message(\"hello there\");\nMessage(careful, WARNING);")
    assert printed(capfd) == [
        "test.click:1: While configuring 'm :: Message':", "  hello there",
        "test.click:2: While configuring 'Message@2 :: Message':", "  warning: careful"]


def test_message_error_fails():
    assert config_error("Idle -> Rec;\nm :: Message(\"do not run this\", ERROR);") == [
        "test.click:2: While configuring 'm :: Message':", "  do not run this"]


@pytest.mark.parametrize("conf, reason", [
    ("hi, INFO", "unrecognized message type"),
    ("", "MESSAGE: required argument missing"),
    ("hi, warning", "unrecognized message type"),
    ("hi, \"two words\"", "TYPE: expected keyword"),
])
def test_message_bad_args(conf, reason):
    assert config_error(f"m :: Message({conf});") == [
        "test.click:1: While configuring 'm :: Message':", f"  {reason}"]


# -- AverageCounter ------------------------------------------------------------------

def push_at(r, name, times_ms, sizes):
    """Pushes packets of the given sizes at simulated times (ms after the simtime start)."""
    for t, n in zip(times_ms, sizes, strict=True):
        at(t / 1000)
        r.element(name).push(0, clickpy.Packet(bytes(n)))


@pytest.mark.parametrize("conf, times, sizes, count, nbytes, rate, byte_rate", [
    ("", [0, 250, 500, 750, 1000], [100, 101, 102, 103, 104], 5, 510, "5", "510"),
    ("", [0, 300], [60, 60], 2, 120, "6.66666666667", "400"),
    ("", [7], [64], 1, 64, "1000", "64000"),            # one jiffy at least, as Click
    ("", [], [], 0, 0, "0", "0"),
    ("1", [0, 500, 1000, 1500, 3000], [10, 20, 30, 40, 50], 3, 120, "1.5", "60"),
    ("IGNORE 2", [0, 1000], [10, 20], 0, 0, "0", "0"),
])
def test_averagecounter(conf, times, sizes, count, nbytes, rate, byte_rate):
    with simulated_time():
        r = router(f"Idle -> a :: AverageCounter({conf}) -> s :: Rec;")
        push_at(r, "a", times, sizes)
    assert r.read("a.count") == str(count)
    assert r.read("a.byte_count") == str(nbytes)
    assert r.read("a.rate") == rate
    assert r.read("a.byte_rate") == byte_rate
    assert [len(d) for d in r.element("s").data] == sizes


def test_averagecounter_pull_and_batches():
    r = run(f"InfiniteSource({hexdata(PKT)}, LIMIT 100, BURST 100, STOP true)"
            " -> a :: AverageCounter -> Rec;")
    assert r.read("a.count") == "100"
    assert r.read("a.byte_count") == str(100 * len(PKT))
    r = router(f"InfiniteSource({hexdata(PKT)}, LIMIT 3) -> a :: AverageCounter -> p :: PullEnd;")
    for _ in range(4):
        r.element("p").input_pull_packet(0)
    assert r.read("a.count") == "3"


def test_averagecounter_reset_and_args():
    with simulated_time():
        r = router("Idle -> a :: AverageCounter -> s :: Rec;")
        push_at(r, "a", [0, 100], [10, 10])
        assert r.read("a.count") == "2"
        r.write("a.reset")
        assert r.read("a.count") == "0" and r.read("a.byte_rate") == "0"
        push_at(r, "a", [5000, 5500], [30, 30])
    assert r.read("a.count") == "2" and r.read("a.byte_rate") == "120"
    assert config_error("Idle -> a :: AverageCounter(-1) -> Rec;") == [
        "test.click:1: While configuring 'a :: AverageCounter':",
        "  IGNORE: expected unsigned integer"]
