"""test_lexer -- tokens, comments, configuration strings, line directives."""
from clickpy.lang.lexer import ARROW, ARROW2, BAR2, COLON2, DOTS, EOF, IDENT, VARIABLE, Lexer


def kinds(text):
    lx = Lexer(text)
    out = []
    while True:
        t = lx.next()
        out.append((t.kind, t.text))
        if t.kind == EOF:
            return out


def test_tokens_and_identifiers():
    assert kinds("a/b@1 :: C -> [0] x => y || ... $v ;") == [
        (IDENT, "a/b@1"), (COLON2, "::"), (IDENT, "C"), (ARROW, "->"), ("[", "["),
        (IDENT, "0"), ("]", "]"), (IDENT, "x"), (ARROW2, "=>"), (IDENT, "y"),
        (BAR2, "||"), (DOTS, "..."), (VARIABLE, "v"), (";", ";"), (EOF, "")]


def test_comment_ends_identifier_and_no_double_slash():
    assert kinds("an/identifier/with/slashes//too/many\nx") == [
        (IDENT, "an/identifier/with/slashes"), (IDENT, "x"), (EOF, "")]
    assert kinds("a/ b") == [(IDENT, "a"), ("/", "/"), (IDENT, "b"), (EOF, "")]


def test_keywords():
    assert [k for k, _ in kinds("elementclass require define provide")][:4] == [
        "'elementclass'", "'require'", "'define'", "'provide'"]


def test_line_numbers_count_newlines_and_comments():
    lx = Lexer("a\n/* two\nlines */ b\r\nc", "f.click")
    toks = [lx.next() for _ in range(3)]
    assert [str(lx.coord(t.offset)) for t in toks] == ["f.click:1", "f.click:3", "f.click:4"]


def test_line_directive_remaps_file_and_line():
    lx = Lexer('a\n# 40 "orig.click"\nb\n#line 7\nc\n', "f.click")
    toks = [lx.next() for _ in range(3)]
    assert [str(lx.coord(t.offset)) for t in toks] == ["f.click:1", "orig.click:40", "orig.click:7"]


def config_after_paren(text):
    lx = Lexer(text)
    assert lx.next().kind == "("
    conf = lx.config_string()
    assert lx.next().kind == ")"
    return conf


def test_config_strings_balance_and_skip_quotes_and_comments():
    assert config_after_paren("(simple string)") == "simple string"
    assert config_after_paren("(with (balanced parens))") == "with (balanced parens)"
    assert config_after_paren("(a, \"q)\", 'r)')") == "a, \"q)\", 'r)'"
    assert config_after_paren("(// end-of-line comment)\n still going!)") == \
        "// end-of-line comment)\n still going!"
    assert config_after_paren("(/* c) */ and \\<29 28>)") == "/* c) */ and \\<29 28>"
