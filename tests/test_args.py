"""test_args -- ARGS tables: positional and keyword matching, errors, synopsis"""
import pytest

from clickpy.runtime.args import (
    DEPRECATED,
    I8,
    MANDATORY,
    MULTIPLE,
    POSITIONAL,
    REST,
    U8,
    U16,
    U32,
    U64,
    AnyArg,
    Arg,
    ArgError,
    ArgType,
    Bandwidth,
    Bool,
    BoundedInt,
    Data,
    ElementRef,
    EtherAddress,
    Filename,
    Int,
    IntType,
    IPAddress,
    IPPrefix,
    IPPrefixArg,
    Keyword,
    Netmask,
    Real,
    Seconds,
    String,
    Timestamp,
    Unsigned,
    Word,
    parse_args,
    synopsis,
)

CAP = (Arg("MAX", U8, MANDATORY | POSITIONAL), Arg("OFFSET", Unsigned, POSITIONAL, default=0))

# Click's confparse documentation example: DATA mandatory positional,
# LIMIT optional positional, STOP keyword only
DOC = (Arg("DATA", String, MANDATORY | POSITIONAL), Arg("LIMIT", Unsigned, POSITIONAL),
       Arg("STOP", Bool))


def errors(table, conf):
    with pytest.raises(ArgError) as e:
        parse_args(table, conf)
    assert str(e.value) == "\n".join(e.value.messages)
    assert isinstance(e.value, ValueError)
    return e.value.messages


def test_positional_and_defaults():
    a = parse_args(CAP, "10")
    assert (a.MAX, a.OFFSET) == (10, 0)
    assert "MAX" in a and "OFFSET" not in a
    assert a.given("MAX") and not a.given("OFFSET")
    assert a.as_dict() == {"MAX": 10, "OFFSET": 0}
    a = parse_args(CAP, ["10", "14"])
    assert (a.MAX, a.OFFSET) == (10, 14) and "OFFSET" in a
    assert repr(a) == "ArgValues(MAX=10, OFFSET=14)"


def test_keywords_any_order():
    a = parse_args(CAP, "OFFSET 4, MAX 9")
    assert (a.MAX, a.OFFSET) == (9, 4)
    a = parse_args(CAP, "9, OFFSET 0x10")
    assert (a.MAX, a.OFFSET) == (9, 16)


def test_click_doc_examples():
    a = parse_args(DOC, 'DATA "blah blah blah", LIMIT 10')
    assert (a.DATA, a.LIMIT, a.STOP) == ("blah blah blah", 10, None)
    a = parse_args(DOC, 'LIMIT 10, DATA "blah blah blah"')
    assert (a.DATA, a.LIMIT) == ("blah blah blah", 10)
    # Click's Args (unlike old cp_va_kparse) lets mandatory DATA take "LIMIT 10"
    assert errors(DOC, "LIMIT 10") == ["DATA: expected string"]
    assert errors(DOC, "STOP true") == ["DATA: expected string"]
    assert errors(DOC, "") == ["DATA: required argument missing"]
    a = parse_args(DOC, 'DATA "blah blah blah", STOP true')
    assert a.STOP is True and "LIMIT" not in a
    a = parse_args(DOC, 'DATA "blah blah blah", LIMIT 10, DATA "blah"')
    assert a.DATA == "blah"                                  # later ones win
    assert errors(DOC, 'DATA "x", LIMIT 10, BOGUS "bogus"') == ["BOGUS: unknown argument"]
    a = parse_args(DOC, '"blah blah blah", 10')
    assert (a.DATA, a.LIMIT) == ("blah blah blah", 10)
    assert errors(DOC, '"blah blah blah", 10, true') == ["too many arguments"]


def test_error_messages():
    assert errors(CAP, "300") == ["MAX: out of range, bound 255"]
    assert errors(CAP, "") == ["MAX: required argument missing"]
    assert errors(CAP, "abc") == ["MAX: expected unsigned integer"]
    assert errors(CAP, "1, 2, 3") == ["too many arguments"]
    assert errors(CAP, "1, FOO 3, BAR 4") == ["FOO: unknown argument", "BAR: unknown argument"]
    assert errors(CAP, "x, y, 3, Z 1") == [
        "MAX: expected unsigned integer", "OFFSET: expected unsigned integer",
        "Z: unknown argument", "too many arguments"]


def test_mandatory_takes_keyword_looking_argument():
    # a mandatory positional Arg not given by keyword takes the first
    # argument even if it looks like "KEYWORD value", as Click does
    assert errors(CAP, "OFFSET 4") == ["MAX: expected unsigned integer"]
    t = (Arg("LABEL", AnyArg, MANDATORY | POSITIONAL),)
    assert parse_args(t, "hello world").LABEL == "hello world"
    t = (Arg("LABEL", AnyArg, POSITIONAL),)
    assert errors(t, "hello world") == ["hello: unknown argument"]


def test_positional_after_keyword_is_not_positional():
    t = (Arg("A", Int, POSITIONAL), Arg("B", Int, POSITIONAL))
    assert errors(t, "A 1, 2") == ["too many arguments"]
    a = parse_args(t, "1, A 2")                   # both name A; the later wins
    assert (a.A, a.B) == (2, None)


def test_empty_arguments_are_not_given():
    t = (Arg("A", Int, POSITIONAL, default=5), Arg("B", Int, POSITIONAL))
    a = parse_args(t, ", 3")
    assert (a.A, a.B) == (5, 3) and "A" not in a
    t = (Arg("A", Int, MANDATORY | POSITIONAL),)
    assert errors(t, ",") == ["A: required argument missing"]
    t = (Arg("A", Int, MANDATORY | POSITIONAL, default=1),)
    assert parse_args(t, ",").A == 1


def test_multiple():
    t = (Arg("X", Int, POSITIONAL | MULTIPLE), Arg("Y", Int, MULTIPLE))
    a = parse_args(t, "Y 1, X 2, Y 3")
    assert (a.X, a.Y) == ([2], [1, 3])
    a = parse_args(t, "7")
    assert (a.X, a.Y) == ([7], []) and "Y" not in a and "X" in a
    t = (Arg("X", Int, MULTIPLE | MANDATORY),)
    assert errors(t, "") == ["X: required argument missing"]
    assert errors(t, "X 1, X a") == ["X: expected integer"]
    t = (Arg("X", Int, MULTIPLE, default=None),)
    assert parse_args(t, "").X is None


def test_rest():
    t = (Arg("N", Int, MANDATORY | POSITIONAL), Arg("PATTERNS", AnyArg, REST),
         Arg("V", Bool))
    a = parse_args(t, "1, a b, V true, c, W 2")
    assert (a.N, a.PATTERNS, a.V) == (1, ["a b", "c", "W 2"], True)
    assert "PATTERNS" in a
    a = parse_args(t, "1")
    assert a.PATTERNS == [] and "PATTERNS" not in a
    t = (Arg("P", Int, REST | MANDATORY),)
    assert errors(t, "") == ["P: required argument missing"]
    assert errors(t, "1, x") == ["P: expected integer"]


def test_deprecated_warns():
    t = (Arg("OLD", Int, DEPRECATED),)
    assert parse_args(t, "OLD 1").warnings == ["OLD: argument deprecated"]
    assert parse_args(t, "").warnings == []


def test_arg_validation():
    with pytest.raises(ValueError, match="keywords must start with a letter or underscore"):
        Arg("1X")
    with pytest.raises(ValueError):
        Arg("X", AnyArg, REST | POSITIONAL)
    assert repr(Arg("X", U8, 1, default=3)) == "Arg('X', <IntType 'unsigned integer'>, 1, default=3)"


def test_types():
    cases = [
        (Bool, "yes", True), (Int, "-5", -5), (Unsigned, "5", 5), (U8, "255", 255),
        (U16, "65535", 65535), (U32, "0xffffffff", 2**32 - 1), (U64, "18446744073709551615",
                                                                 2**64 - 1),
        (I8, "-128", -128), (Real, "2.5", 2.5), (Seconds, "10ms", 0.01),
        (Timestamp, "1.5", 1500000000), (Bandwidth, "10Mbps", 1250000),
        (IPAddress, "1.2.3.4", b"\x01\x02\x03\x04"),
        (IPPrefix, "10/8", (b"\x0a\0\0\0", b"\xff\0\0\0")),
        (IPPrefix, "10.0.0.1", (b"\x0a\0\0\x01", b"\xff\xff\xff\xff")),
        (Netmask, "16", b"\xff\xff\0\0"), (EtherAddress, "0:1:2:3:4:5", bytes(range(6))),
        (String, '"a b"', "a b"), (Word, "abc", "abc"), (Data, "\\<00 01>", b"\0\1"),
        (Keyword, "KEY", "KEY"), (Filename, '"/a//b"', "/a/b"), (AnyArg, "a b", "a b"),
        (ElementRef, "c/q", "c/q"), (BoundedInt(-3, 3), "-3", -3),
        (IntType(12), "4095", 4095),
    ]
    for typ, text, expected in cases:
        assert typ.parse(text) == expected, typ
    names = [t.name for t in (Bool, Int, Unsigned, U8, Real, Seconds, Bandwidth, IPAddress,
                              IPPrefix, EtherAddress, String, ElementRef)]
    assert names == ["boolean", "integer", "unsigned integer", "unsigned integer",
                     "real number", "time in seconds", "bandwidth", "IP address",
                     "IP address prefix", "Ethernet address", "string", "element name"]
    with pytest.raises(ValueError, match="out of range, bound 3"):
        BoundedInt(-3, 3).parse("4")
    with pytest.raises(ValueError, match="out of range, bound -3"):
        BoundedInt(-3, 3).parse("-4")
    with pytest.raises(ValueError, match="expected IP address prefix"):
        IPPrefixArg().parse("10.0.0.1")
    with pytest.raises(ValueError, match="does not name an element"):
        ElementRef.parse("a b")


def test_custom_type():
    class Color(ArgType):
        name = "color"

        def parse(self, text):
            if text not in ("red", "blue"):
                raise ValueError("expected color")
            return text

    t = (Arg("C", Color(), MANDATORY | POSITIONAL),)
    assert parse_args(t, "red").C == "red"
    assert errors(t, "green") == ["C: expected color"]
    assert repr(Color()) == "<Color 'color'>"


def test_all_or_nothing_and_inputs():
    t = (Arg("A", Int, POSITIONAL), Arg("B", Int, POSITIONAL))
    assert errors(t, "1, x") == ["B: expected integer"]
    assert parse_args(t, None).A is None
    assert parse_args(t, ["1", "2"]).B == 2
    assert parse_args((), "").as_dict() == {}
    assert errors((), "x") == ["too many arguments"]


def test_synopsis():
    assert synopsis(CAP) == "MAX [, OFFSET]"
    assert synopsis(CAP, "CapIPTTL") == "CapIPTTL(MAX [, OFFSET])"
    assert synopsis(DOC, "E") == "E(DATA [, LIMIT, STOP])"
    assert synopsis((), "Discard") == "Discard"
    t = (Arg("A", Int, POSITIONAL), Arg("K", Int, MANDATORY), Arg("B", Int, POSITIONAL))
    assert synopsis(t) == "K [, A, B]"
    assert synopsis((Arg("A", Int, POSITIONAL),)) == "[A]"
