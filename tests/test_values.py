"""test_values -- value parsers and printers against Click's rules"""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clickpy.lang import values as v


def bad(func, text, msg, *args):
    with pytest.raises(ValueError) as e:
        func(text, *args)
    assert str(e.value) == msg


@pytest.mark.parametrize("text, expected", [
    ("true", True), ("yes", True), ("1", True), ("t", True), ("y", True),
    ("false", False), ("no", False), ("0", False), ("f", False), ("n", False),
])
def test_bool(text, expected):
    assert v.parse_bool(text) is expected


@pytest.mark.parametrize("text", ["True", "YES", "", "2", "on", " true"])
def test_bool_bad(text):
    bad(v.parse_bool, text, "expected boolean")


def test_format_bool():
    assert v.format_bool(True) == "true" and v.format_bool(0) == "false"


@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("10", 10), ("+10", 10), ("-10", -10), ("0x1F", 31), ("0XfF", 255),
    ("010", 8), ("0b101", 5), ("1_000", 1000), ("-0x10", -16), ("2147483647", 2147483647),
    ("-2147483648", -2147483648), ("00", 0),
])
def test_int(text, expected):
    assert v.parse_int(text) == expected


@pytest.mark.parametrize("text", ["", "08", "09", "0x", "0xg", "1__0", "_1", "1.5", "abc",
                                  " 1", "1 ", "--1", "+", "0b", "0b2", "1e3", "١"])
def test_int_bad(text):
    bad(v.parse_int, text, "expected integer")


def test_int_range():
    bad(v.parse_int, "2147483648", "out of range, bound 2147483647")
    bad(v.parse_int, "-2147483649", "out of range, bound -2147483648")
    bad(v.parse_int, "128", "out of range, bound 127", 8)
    bad(v.parse_int, "-129", "out of range, bound -128", 8)
    assert v.parse_int("-128", 8) == -128
    assert v.parse_int("9" * 40, None) == int("9" * 40)


def test_unsigned():
    assert v.parse_unsigned("4294967295") == 4294967295
    assert v.parse_unsigned("+7") == 7
    assert v.parse_unsigned("255", 8) == 255
    assert v.parse_unsigned("0xFFFFFFFFFFFFFFFF", 64) == 2**64 - 1
    bad(v.parse_unsigned, "4294967296", "out of range, bound 4294967295")
    bad(v.parse_unsigned, "256", "out of range, bound 255", 8)
    bad(v.parse_unsigned, "-1", "expected unsigned integer")
    bad(v.parse_unsigned, "x", "expected unsigned integer")


@pytest.mark.parametrize("text, expected", [
    ("1", 1.0), ("-1.5", -1.5), ("+.5", 0.5), ("5.", 5.0), ("1e3", 1000.0), ("2E-1", 0.2),
    ("0x10", 16.0), ("0x1p4", 16.0), ("-0x.8", -0.5), ("inf", math.inf), ("-Infinity", -math.inf),
])
def test_real(text, expected):
    assert v.parse_real(text) == expected


def test_real_special_and_bad():
    assert math.isnan(v.parse_real("nan"))
    for text in ["", " 1", "1 ", "1e", "e1", ".", "1_0", "abc", "1.2.3"]:
        bad(v.parse_real, text, "expected real number")
    bad(v.parse_real, "1e999", "out of range, bound inf")
    bad(v.parse_real, "-1e999", "out of range, bound -inf")
    bad(v.parse_real, "1e-999", "underflow, rounded to 0")
    assert v.parse_real("0e-999") == 0.0


@pytest.mark.parametrize("text, expected", [
    ("1", 1.0), ("1.5", 1.5), ("1s", 1.0), ("1 sec", 1.0), ("10ms", 0.01), ("10 msec", 0.01),
    ("250us", 0.00025), ("3usec", 3e-6), ("7ns", 7e-9), ("7nsec", 7e-9), ("2m", 120.0),
    ("2 min", 120.0), ("1h", 3600.0), ("1.5hr", 5400.0), ("1d", 86400.0), ("1day", 86400.0),
    (".5s", 0.5), ("1e3ms", 1.0), ("1_000", 1000.0), ("+2", 2.0), ("0", 0.0),
])
def test_seconds(text, expected):
    assert v.parse_seconds(text) == expected


@pytest.mark.parametrize("text", ["", "s", "-1", "1 x", "1k", "ms", "1e", " 1", "1..2", "x1"])
def test_seconds_bad(text):
    bad(v.parse_seconds, text, "expected time in seconds")


def test_timestamp():
    assert v.parse_timestamp("1189383079.180265331") == 1189383079180265331
    assert v.parse_timestamp("1.5") == 1500000000
    assert v.parse_timestamp("1.0000000005") == 1000000001      # rounded half up
    assert v.parse_timestamp("1.00000000049") == 1000000000
    assert v.parse_timestamp("2ms") == 2000000
    assert v.parse_timestamp("-1.5", True) == -1500000000
    bad(v.parse_timestamp, "-1", "expected time in seconds")
    bad(v.parse_timestamp, "-+1", "expected timestamp", True)


def test_format_seconds_and_timestamp():
    assert v.format_seconds(0.25) == "250ms"
    assert v.format_seconds(0) == "0ms"
    assert v.format_seconds(15e-6) == "15us"
    assert v.format_seconds(7e-9) == "7ns"
    assert v.format_seconds(1.5) == "1.500000s"
    assert v.format_seconds(1500000001, ns=True) == "1.500000001s"
    assert v.format_seconds(-0.5) == "-0.500000s"
    assert v.format_timestamp(1189383079180265331) == "1189383079.180265331"
    assert v.format_timestamp(1000) == "0.000001"


@pytest.mark.parametrize("text, expected", [
    ("100", 100), ("8bps", 1), ("12bps", 2), ("1kbps", 125), ("1Kbps", 125),
    ("10Mbps", 1250000), ("1Gbps", 125000000), ("1 kBps", 1000), ("1.5MBps", 1500000),
    ("2GBps", 2000000000), ("1B/s", 1), ("8b/s", 1), ("800baud", 100), ("10 Mbps", 1250000),
    ("0", 0), ("4294967295", 4294967295),
])
def test_bandwidth(text, expected):
    assert v.parse_bandwidth(text) == expected


def test_bandwidth_bad():
    for text in ["", "1k", "Mbps", "fast", "-1", "1 mbps", "1 Tbps"]:
        bad(v.parse_bandwidth, text, "expected bandwidth")
    bad(v.parse_bandwidth, "35Gbps", "out of range")
    assert v.parse_bandwidth("100Gbps", 2**64) == 12500000000


@pytest.mark.parametrize("bps, text", [
    (1000, "8kbps"), (125, "1kbps"), (1, "0.008kbps"), (125000, "1Mbps"),
    (1250000, "10Mbps"), (187500, "1.5Mbps"), (125000000, "1Gbps"),
    (0x20000000, "536.870912MBps"),
])
def test_format_bandwidth(bps, text):
    assert v.format_bandwidth(bps) == text


@given(st.integers(0, 0x1FFFFFFF))
def test_bandwidth_roundtrip(bps):
    assert v.parse_bandwidth(v.format_bandwidth(bps)) == bps


def test_ip():
    assert v.parse_ip("18.26.4.15") == bytes([18, 26, 4, 15])
    assert v.parse_ip("010.0.0.255") == bytes([10, 0, 0, 255])
    for text in ["", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.3.4 ", "a.b.c.d", "1..2.3", "-1.2.3.4"]:
        bad(v.parse_ip, text, "expected IP address")
    assert v.format_ip(bytes([18, 26, 4, 15])) == "18.26.4.15"


@given(st.binary(min_size=4, max_size=4))
def test_ip_roundtrip(addr):
    assert v.parse_ip(v.format_ip(addr)) == addr


@pytest.mark.parametrize("text, addr, mask", [
    ("18.26.4/24", "18.26.4.0", "255.255.255.0"),
    ("18.26.4.15/24", "18.26.4.15", "255.255.255.0"),      # host bits kept
    ("10/8", "10.0.0.0", "255.0.0.0"),
    ("1.0.0.0/255.0.0.0", "1.0.0.0", "255.0.0.0"),
    ("1.2.3.4/255.0.255.0", "1.2.3.4", "255.0.255.0"),     # non-contiguous allowed
    ("0.0.0.0/0", "0.0.0.0", "0.0.0.0"),
    ("10.0.0.1", "10.0.0.1", "255.255.255.255"),
    ("1.2.3.4/32", "1.2.3.4", "255.255.255.255"),
    ("1.2.3.4/024", "1.2.3.4", "255.255.255.0"),
    ("10/0", "10.0.0.0", "0.0.0.0"),
])
def test_ip_prefix(text, addr, mask):
    assert v.parse_ip_prefix(text) == (v.parse_ip(addr), v.parse_ip(mask))


@pytest.mark.parametrize("text", [
    "18.26/24", "10/255.255.0.0", "1.2.3.4/33", "1.2.3.4/", "/8", "1.2.3.4/0x8",
    "1.2.3/a", "", "1.2.3", "1.2.3.4/-1",
])
def test_ip_prefix_bad(text):
    bad(v.parse_ip_prefix, text, "expected IP address prefix")


def test_ip_prefix_bare_disallowed():
    bad(v.parse_ip_prefix, "10.0.0.1", "expected IP address prefix", False)
    assert v.parse_ip_prefix("10/8", False) == (bytes([10, 0, 0, 0]), bytes([255, 0, 0, 0]))


def test_netmask_and_format():
    assert v.parse_netmask("24") == bytes([255, 255, 255, 0])
    assert v.parse_netmask("0") == bytes(4)
    assert v.parse_netmask("255.255.0.0") == bytes([255, 255, 0, 0])
    bad(v.parse_netmask, "33", "expected IP netmask")
    bad(v.parse_netmask, "x", "expected IP netmask")
    assert v.format_netmask(bytes([255, 255, 255, 0])) == "24"
    assert v.format_netmask(bytes(4)) == "0"
    assert v.format_netmask(bytes([255, 0, 255, 0])) == "255.0.255.0"
    assert v.format_ip_prefix(bytes([18, 26, 4, 0]), bytes([255, 255, 255, 0])) == "18.26.4.0/24"


@given(st.integers(0, 32))
def test_prefix_len_roundtrip(n):
    assert v.format_netmask(v.parse_netmask(str(n))) == str(n)


@pytest.mark.parametrize("text, expected", [
    ("00:a0:c9:9c:fd:9c", "00a0c99cfd9c"),
    ("0-a0-c9-9c-fd-9c", "00a0c99cfd9c"),
    ("0:1:2:3:4:5", "000102030405"),
    ("FF-FF-FF-FF-FF-FF", "ffffffffffff"),
])
def test_ether(text, expected):
    assert v.parse_ether(text) == bytes.fromhex(expected)


@pytest.mark.parametrize("text", [
    "", "00:a0:c9:9c:fd", "00:a0:c9:9c:fd:9c:00", "00-a0:c9:9c:fd:9c", "000:a0:c9:9c:fd:9c",
    "00:a0:c9:9c:fd:", "00::c9:9c:fd:9c", "00a0c99cfd9c", "00:a0:c9:9c:fd:9g",
])
def test_ether_bad(text):
    bad(v.parse_ether, text, "expected Ethernet address")


@given(st.binary(min_size=6, max_size=6), st.sampled_from(["-", ":"]))
def test_ether_roundtrip(addr, sep):
    text = v.format_ether(addr, sep)
    assert v.parse_ether(text) == addr and v.parse_ether(text.lower()) == addr


def test_format_ether():
    assert v.format_ether(bytes.fromhex("00a0c99cfd9c")) == "00-A0-C9-9C-FD-9C"


def test_strings():
    assert v.parse_string('"a b"') == "a b"
    assert v.parse_string("abc") == "abc"
    assert v.parse_string('""') == ""
    assert v.parse_string("a'b c'") == "ab c"
    for text in ["", "a b", '"a" b']:
        bad(v.parse_string, text, "expected string")
    assert v.parse_word('"abc"') == "abc"
    for text in ['"a b"', "a,b", '""', "", "a b"]:
        bad(v.parse_word, text, "expected word")
    assert v.parse_data('"\\<ff 00>"') == b"\xff\x00"
    assert v.parse_data("\\<48 69>") == b"Hi"
    assert v.parse_data('"hi\\n"') == b"hi\n"
    bad(v.parse_data, "a b", "expected data")
    # text stands for bytes, as Click knows no character set: UTF-8 text is
    # its UTF-8 bytes, a stray byte (read with surrogateescape) is itself
    assert v.parse_data("\u0100") == "\u0100".encode()
    assert v.parse_data('"h\u00e9"') == b"h\xc3\xa9"
    assert v.parse_data("a\udcff") == b"a\xff"


def test_keyword_filename_element():
    assert v.parse_keyword("A_b.c:?!") == "A_b.c:?!"
    bad(v.parse_keyword, "a-b", "expected keyword")
    bad(v.parse_keyword, "", "expected keyword")
    assert v.parse_filename('"/tmp//x y"') == "/tmp/x y"
    assert not v.parse_filename("~/f").startswith("~")
    bad(v.parse_filename, '""', "expected filename")
    assert v.parse_element_name("c/q@2") == "c/q@2"
    bad(v.parse_element_name, "a b", "does not name an element")
    bad(v.parse_element_name, "", "does not name an element")


def test_format_real10():
    assert v.format_real10(1500, 3) == "1.5"
    assert v.format_real10(2000, 3) == "2"
    assert v.format_real10(-5, 3) == "-0.005"


@given(st.lists(st.from_regex(r"[0-9]{1,3}", fullmatch=True), min_size=4, max_size=4),
       st.integers(0, 40))
def test_dotted_fast_paths_agree_with_the_scanner(octets, plen):
    # parse_ip / parse_ip_prefix read plain dotted quads without the general scanner
    text = ".".join(octets)
    parts, end = v._ip_parts(text, 0, len(text))
    slow = bytes(parts) if len(parts) == 4 and end == len(text) else None
    try:
        fast = v.parse_ip(text)
    except ValueError:
        fast = None
    assert fast == slow
    if slow is not None and plen <= 32:
        assert v.parse_ip_prefix(f"{text}/{plen}") == (slow, v._make_mask(plen))


def test_times_saturate_as_clicks_do():
    # cp_time keeps 32-bit seconds and stores the largest value on overflow
    top = 2**32 * 10**9 - 1
    assert v.parse_timestamp("1e308") == top
    assert v.parse_timestamp("99999999999999999999") == top
    assert v.parse_timestamp("-1e308", signed=True) == -top
    assert v.parse_seconds("1e308") == float(2**32)
    assert v.parse_timestamp("4294967295.5") == 4294967295_500000000


def test_huge_numbers_cost_no_time():
    # an exponent of a billion or ten thousand digits must not be computed out
    assert v.parse_timestamp("1e999999999") == 2**32 * 10**9 - 1
    assert v.parse_timestamp("0." + "0" * 5000 + "1") == 0
    assert v.parse_timestamp("9" * 10000) == 2**32 * 10**9 - 1
    with pytest.raises(ValueError, match="out of range"):
        v.parse_bandwidth("1e999999999")
