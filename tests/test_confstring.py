"""test_confstring -- splitting, quoting, expansion and formal matching of config strings"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clickpy.lang.confstring import (
    assign_arguments,
    expand,
    from_bytes,
    is_click_id,
    is_word,
    quote,
    split_args,
    split_keyword,
    split_spaces,
    uncomment,
    unquote,
)


@pytest.mark.parametrize("conf, expected", [
    ("", []),
    ("   ", []),
    ("a, b, c", ["a", "b", "c"]),
    ("  a /*?*/ b,  c, ", ["a b", "c"]),          # Click's own examples
    ('"x, y" // ?', ['"x, y"']),
    ("a,,b", ["a", "", "b"]),
    ("a,", ["a"]),
    (",", [""]),
    ("a,,", ["a", ""]),
    ("f(a, b)", ["f(a", "b)"]),                  # brackets do not protect commas
    ("'a, b', c", ["'a, b'", "c"]),
    ("a // x, y\n, b", ["a", "b"]),              # commas in comments do not split
    ("a /* , */ b", ["a b"]),
    ("a   b", ["a   b"]),                        # inner spaces kept away from comments
    ("a/*c*/b", ["a b"]),
    ("\\<2c 2c>, x", ["\\<2c 2c>", "x"]),
    ('"a\\", b", c', ['"a\\", b"', "c"]),         # escaped quote inside quotes
    ("a /* unterminated, b", ["a"]),
    ("'open, b", ["'open, b"]),
    ("a\r\n,b", ["a", "b"]),
])
def test_split_args(conf, expected):
    assert split_args(conf) == expected


@pytest.mark.parametrize("text, expected", [
    ("a  b, c", ["a", "b,", "c"]),
    ("  'a /*?*/ b'c", ["'a /*?*/ b'c"]),
    ("", []),
    ("a/*x*/b // y\n c", ["a", "b", "c"]),
    ('"a b" \\<1 2> z', ['"a b"', "\\<1 2>", "z"]),
])
def test_split_spaces(text, expected):
    assert split_spaces(text) == expected


@pytest.mark.parametrize("arg, expected", [
    ("MAX 10", ("MAX", "10")),
    ("MAX   10 20 ", ("MAX", "10 20")),
    ("A_1:x.y?! v", ("A_1:x.y?!", "v")),
    ("_X v", ("_X", "v")),
    ("lower case", ("lower", "case")),           # Click accepts any letter case
    ("MAX", (None, "MAX")),                      # a lone word is positional
    ("MAX ", (None, "MAX ")),
    ("1X v", (None, "1X v")),
    ("A-B v", (None, "A-B v")),
    ('"A" v', (None, '"A" v')),
    ("", (None, "")),
    ("MAX\t5", ("MAX", "5")),
])
def test_split_keyword(arg, expected):
    assert split_keyword(arg) == expected


@pytest.mark.parametrize("text, expected", [
    ('"\\n" abc /* 123 */ \'/* def */\'', "\n abc /* def */"),
    ('"\\<48656c6C 6f 2 /* And finally */ 1>"', "Hello!"),
    ('"\\<ff 00>"', "\udcff\x00"),          # bytes from 0x80 up: surrogateescape
    ("\\<41 42>", "AB"),                          # hex data outside quotes too
    ("\\n", "\\n"),                               # other escapes only inside "..."
    ("'\\n'", "\\n"),
    ('"\\a\\b\\t\\n\\v\\f\\r\\\\\\"\\$\\,\\q"', "\a\b\t\n\v\f\r\\\"$,q"),
    ('"\\101\\0\\7777"', "A\x00\udcff7"),
    ('"\\x41\\x4a4b\\xg"', "A\x4b\x00g"),
    ('"a\\\nb"', "ab"),
    ('"a\\\r\nb"', "ab"),
    ('"a\\\rb"', "ab"),
    ('"a\\', "a\\"),                             # trailing backslash kept
    ("x\"a b\"y'c d'z", "xa byc dz"),
    ('"unterminated', "unterminated"),
    ("  plain  ", "plain"),
    ('"\\<4 1>"', "A"),
    ('"\\<414>"', "A"),                           # an odd final digit is dropped
    ('"\\<41', "A"),
    ('"\'"', "'"),
    ("'\"'", '"'),
])
def test_unquote(text, expected):
    assert unquote(text) == expected


def test_uncomment():
    assert uncomment("  a   b  ") == "a   b"
    assert uncomment("  a /* Comment */       b  ") == "a b"
    assert uncomment('  " /*???  */ "  ') == '" /*???  */ "'


@pytest.mark.parametrize("s, expected", [
    ("", '""'),
    ("abc", "abc"),
    ("10.0.0.1/8", "10.0.0.1/8"),
    ("a b", '"a b"'),
    ("a//b", '"a//b"'),
    ("a,b", '"a,b"'),
    ("KEY", "KEY"),
    ('x$y"\\', '"x\\$y\\"\\\\"'),
    ("\t\r\n\x01\x7f\udcff", '"\\t\\r\\n\\001\\177\\377"'),
    ("h\u00e9", '"h\\303\\251"'),          # bytes from 0x80 up in octal, as Click
])
def test_quote(s, expected):
    assert quote(s) == expected


def test_quote_allow_newlines():
    assert quote("a\nb", allow_newlines=True) == '"a\nb"'


# configuration text is any bytes, read as UTF-8 with surrogateescape
text_of_bytes = st.binary(max_size=40).map(from_bytes)


@given(text_of_bytes)
def test_quote_roundtrip(s):
    assert unquote(quote(s)) == s


@given(st.lists(text_of_bytes, max_size=6))
def test_split_args_of_quoted(items):
    conf = ", ".join(quote(s) for s in items)
    assert [unquote(a) for a in split_args(conf)] == items


@given(st.lists(text_of_bytes, min_size=1, max_size=6))
def test_split_spaces_of_quoted(items):
    words = split_spaces(" ".join(quote(s) for s in items))
    assert [unquote(w) for w in words] == items


ENV = {"a": "A B C", "n": "2", "q": 'x"y', "r": "$a!", "self": "$self", "e": ""}


@pytest.mark.parametrize("text, expected", [
    ("no dollars", "no dollars"),
    ("$a", "A B C"),
    ("${a}x", "A B Cx"),
    ("$ax", "$ax"),                               # undefined names stay
    ("${zz-10}", "10"),
    ("${zz-$n}", "2"),                             # defaults are expanded
    ("${a-10}", "A B C"),
    ("${zz}", "${zz}"),
    ("${ a }", "A B C"),
    ("${a[0]} ${a[2]} [${a[3]}]", "A C []"),
    ("${a[$n]}", "C"),
    ("${z$n}", "${z2}"),                           # undefined after inner expansion
    ("'$a'", "'$a'"),                              # no expansion in single quotes
    ('"$q"', '"x\\"y"'),                           # escaped inside double quotes
    ('"\\$a"', '"\\$a"'),
    ("\\$a", "\\A B C"),
    ("$ $! $", "$ $! $"),
    ("$r", "A B C!"),                              # values are expanded again
    ("$(n)", "2"),
    ("$(zz)", "$(zz)"),
    ("${a", "${a"),
    ("x$e.y", "x.y"),
    ("// $a\n$n", "// $a\n2"),
    ("/* $a */ $n", "/* $a */ 2"),
    ("$?$#$$", "$?$#$$"),
])
def test_expand(text, expected):
    assert expand(text, ENV.get) == expected


def test_expand_special_and_quoted():
    env = {"?": "0", "#": "3", "$": "42", "v": "a b"}
    assert expand("$? $# $$", env.get) == "0 3 42"
    assert expand("$v", env.get, quote_values=True) == '"a b"'
    assert expand("'$v'", env.get, quote_values=True) == "'$v'"


def test_expand_self_reference_terminates():
    out = expand("$self", ENV.get)
    assert out == "$self"


@pytest.mark.parametrize("args, formals, expected", [
    ([], [], []),
    (["x"], [], None),
    (["A"], ["", ""], None),
    (["A", "B"], ["", ""], ["A", "B"]),
    (["A", "TWO B"], ["", ""], ["A", "TWO B"]),    # overload-01: positional takes anything
    (["A"], ["", "__REST__"], ["A", ""]),
    (["A", "B", "C"], ["", "__REST__"], ["A", "B, C"]),
    (["A", "TWO B"], ["", "TWO", "__REST__"], ["A", "B", ""]),
    (["A"], ["", "TWO", "__REST__"], None),        # keyword formals are mandatory
    (["A", "TWO B", "C"], ["", "TWO", "__REST__"], ["A", "B", "C"]),
    (["TWO B", "A"], ["", "TWO"], None),
    (["A", "TWO B", "TWO C"], ["", "TWO"], ["A", "C"]),   # the last one wins
    (["A", "TWO B", "THREE C"], ["", "TWO"], None),       # unknown keyword
    (["A", "THREE C", "TWO B"], ["", "TWO"], None),       # extra positional
    (["A", "TWO B", "THREE C"], ["", "TWO", "__REST__"], ["A", "B", "THREE C"]),
    (["A", "B", "TWO x"], ["", "TWO", "__REST__"], ["A", "x", "B"]),
    (["TWO"], ["TWO"], [""]),
    ([], ["__REST__"], [""]),
    (["a", "b"], ["__REST__"], ["a, b"]),
])
def test_assign_arguments(args, formals, expected):
    assert assign_arguments(args, formals) == expected


def test_is_word_and_click_id():
    assert is_word("abc!~") and not is_word("") and not is_word("a b")
    assert not is_word("a,b") and not is_word("'a'") and not is_word("\\")
    assert is_click_id("a/b@2_c") and not is_click_id("/a") and not is_click_id("a/")
    assert not is_click_id("a//b") and not is_click_id("") and not is_click_id("a.b")


def test_large_config_is_fast():
    conf = ", ".join(f"ARG{i} {i}" for i in range(10000))
    assert len(split_args(conf)) == 10000
    quoted = ", ".join(f'"v {i}"' for i in range(10000))
    assert split_args(quoted)[-1] == '"v 9999"'


@given(st.text(alphabet="ab ,/*\t\n-.0", max_size=30))
def test_plain_fast_paths_agree_with_the_scanners(text):
    # the fast paths skip the character scanners when nothing needs them
    from clickpy.lang.confstring import (
        _plain,
        _split_args_scan,
        _split_spaces_scan,
        split_args,
        split_spaces,
    )
    if _plain(text):
        assert split_args(text) == _split_args_scan(text)
        assert split_spaces(text) == _split_spaces_scan(text)
