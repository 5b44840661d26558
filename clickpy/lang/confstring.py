"""confstring -- configuration-string helpers: split, quote, unquote, expand (Click's cp_*)"""
from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["split_args", "split_spaces", "split_keyword", "unquote", "quote",
           "expand", "assign_arguments", "uncomment", "is_word", "is_click_id"]

# C isspace() in the "C" locale; Python's str.isspace/strip know more characters
SPACE = " \t\n\v\f\r"
_HEX = "0123456789abcdefABCDEF"
# quotes, escapes and comments force the slow scanners; a lone '/' does not
_NEEDS_SCAN = re.compile(r"[\"'\\]|/[/*]")


def _plain(s: str) -> bool:
    """No quotes, escapes or comments: plain splitting gives the same words."""
    return _NEEDS_SCAN.search(s) is None


def _skip_comment(s: str, i: int, n: int) -> int:
    """s[i:i+2] is '//' or '/*'; return the index just past the comment."""
    if s[i + 1] == "/":
        # a line comment owns its newline (\n, \r or \r\n)
        j = i + 2
        while j < n and s[j] not in "\r\n":
            j += 1
        if j + 1 < n and s[j] == "\r" and s[j + 1] == "\n":
            j += 1
        return min(j + 1, n)
    j = s.find("*/", i + 2)
    return n if j < 0 else j + 2          # an unclosed /* runs to the end


def _is_comment(s: str, i: int, n: int) -> bool:
    return s[i] == "/" and i + 1 < n and s[i + 1] in "/*"


def _skip_backslash(s: str, i: int, n: int) -> int:
    """Skip a backslash escape without decoding it (\\<...> may hold comments)."""
    if i + 1 >= n:
        return i + 1
    if s[i + 1] == "<":
        j = i + 2
        while j < n:
            if s[j] == ">":
                return j + 1
            j = _skip_comment(s, j, n) if _is_comment(s, j, n) else j + 1
        return n
    if s[i + 1] == "\r" and i + 2 < n and s[i + 2] == "\n":
        return i + 3
    return i + 2


def _skip_double_quote(s: str, i: int, n: int) -> int:
    j = i + 1
    while j < n:
        c = s[j]
        if c == "\\":
            j = _skip_backslash(s, j, n)
        elif c == '"':
            return j + 1
        else:
            j += 1
    return n


def _skip_single_quote(s: str, i: int, n: int) -> int:
    j = s.find("'", i + 1)
    return n if j < 0 else j + 1


def _skip_comment_space(s: str, i: int, n: int) -> int:
    while i < n:
        if s[i] in SPACE:
            i += 1
        elif _is_comment(s, i, n):
            i = _skip_comment(s, i, n)
        else:
            break
    return i


def _scan(s: str, i: int, n: int, at_comma: bool) -> tuple[str, int]:
    """Read one argument from s[i:], dropping comments (each becomes one space
    between words) and outer whitespace; stop at an unquoted comma if at_comma."""
    i = _skip_comment_space(s, i, n)
    pieces = []
    left = right = i
    closed = False
    while i < n:
        c = s[i]
        if c in SPACE:
            i += 1
        elif c == "/" and i + 1 < n and s[i + 1] in "/*":
            i = _skip_comment(s, i, n)
            closed = True
        elif c == "," and at_comma:
            break
        else:
            if closed:
                pieces.append(s[left:right])
                pieces.append(" ")
                left = i
                closed = False
            if c == "'":
                i = _skip_single_quote(s, i, n)
            elif c == '"':
                i = _skip_double_quote(s, i, n)
            elif c == "\\" and i + 1 < n and s[i + 1] == "<":
                i = _skip_backslash(s, i, n)
            else:
                i += 1
            right = i
    pieces.append(s[left:right])
    return "".join(pieces), i


def uncomment(s: str) -> str:
    """Remove comments outside quotes and surrounding whitespace (cp_uncomment)."""
    if _plain(s):
        return s.strip(SPACE)
    return _scan(s, 0, len(s), False)[0]


def split_args(conf: str) -> list[str]:
    """Split a configuration string at unquoted commas (cp_argvec).

    Parentheses and brackets do not protect commas, only quotes do. Each
    argument is uncommented and stripped; an empty last argument is dropped
    ("a," gives ["a"]) but inner empty ones stay ("a,,b" gives ["a", "", "b"]).
    """
    if _plain(conf):
        parts = [p.strip(SPACE) for p in conf.split(",")]
        if not parts[-1]:
            parts.pop()
        return parts
    return _split_args_scan(conf)


def _split_args_scan(conf: str) -> list[str]:
    n = len(conf)
    out = []
    pos = 0
    while pos < n:
        arg, pos = _scan(conf, pos, n, True)
        if arg or pos < n:
            out.append(arg)
        pos += 1                            # step over the comma
    return out


def _skip_word(s: str, i: int, n: int) -> int:
    while i < n:
        c = s[i]
        if c in SPACE:
            return i
        if c == "/":
            if i + 1 < n and s[i + 1] in "/*":
                return i                    # a comment ends the word
            i += 1
        elif c == '"':
            i = _skip_double_quote(s, i, n)
        elif c == "'":
            i = _skip_single_quote(s, i, n)
        elif c == "\\" and i + 1 < n and s[i + 1] == "<":
            i = _skip_backslash(s, i, n)
        else:
            i += 1
    return i


_SPACE_RUN = re.compile("[ \t\n\r\f\v]+")


def split_spaces(s: str) -> list[str]:
    """Split at whitespace outside quotes, dropping comments (cp_spacevec).

    Words keep their quotes: "a 'b c'" gives ["a", "'b c'"].
    """
    if _plain(s):
        words = _SPACE_RUN.split(s.strip(SPACE))
        return words if words != [""] else []
    return _split_spaces_scan(s)


def _split_spaces_scan(s: str) -> list[str]:
    n = len(s)
    out = []
    i = _skip_comment_space(s, 0, n)
    while i < n:
        j = _skip_word(s, i, n)
        out.append(s[i:j])
        i = _skip_comment_space(s, j, n)
    return out


def _is_kw_start(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z" or c == "_"


def _is_kw_char(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z" or "0" <= c <= "9" or c in "_:.?!"


def split_keyword(arg: str) -> tuple[str | None, str]:
    """Split "KEYWORD value" into (KEYWORD, value), else return (None, arg).

    Follows Click's Args: a keyword starts with a letter or '_', continues
    with letters, digits and '_:.?!', and must be followed by whitespace and
    a non-empty value. Lower-case keywords count too, as in Click; a word
    alone ("FOO") is a positional argument.
    """
    n = len(arg)
    if not n or not _is_kw_start(arg[0]):
        return None, arg
    i = 1
    while i < n and _is_kw_char(arg[i]):
        i += 1
    rest = arg[i:]
    value = rest.strip(SPACE)
    if not value or len(rest) == len(rest.lstrip(SPACE)):
        return None, arg
    return arg[:i], value


def is_word(s: str) -> bool:
    """True if s is a Click "word": printable ASCII without quotes, '\\' or ','."""
    return bool(s) and all("!" <= c <= "~" and c not in "\"'\\," for c in s)


def is_click_id(s: str) -> bool:
    """True if s is a Click identifier: [A-Za-z0-9_@/], '/' not at either end
    and never doubled."""
    n = len(s)
    for i, c in enumerate(s):
        if c.isascii() and (c.isalnum() or c in "_@"):
            continue
        if c != "/" or i == 0 or i == n - 1 or s[i + 1] == "/":
            return False
    return n > 0


def _backslash(s: str, i: int, n: int, out: list[str]) -> int:
    """Decode the escape at s[i] == '\\' into out; return the index after it."""
    if i + 1 >= n:
        out.append("\\")
        return n
    c = s[i + 1]
    if c == "\r":
        return i + 3 if i + 2 < n and s[i + 2] == "\n" else i + 2
    if c == "\n":
        return i + 2
    simple = _C_ESCAPES.get(c)
    if simple is not None:
        out.append(simple)
        return i + 2
    if "0" <= c <= "7":
        j = i + 1
        v = 0
        while j < n and j < i + 4 and "0" <= s[j] <= "7":
            v = v * 8 + ord(s[j]) - 48
            j += 1
        out.append(_byte_char(v & 0xFF))
        return j
    if c == "x":
        j = i + 2
        v = 0
        while j < n and s[j] in _HEX:
            v = (v * 16 + int(s[j], 16)) & 0xFF
            j += 1
        out.append(_byte_char(v))         # "\x" with no digits is a NUL, as in Click
        return j
    if c == "<":
        # hex pairs; spaces, comments and other junk between digits are ignored
        j = i + 2
        v = nd = 0
        while j < n:
            d = s[j]
            if d == ">":
                return j + 1
            if d in _HEX:
                v = v * 16 + int(d, 16)
                nd += 1
                if nd == 2:
                    out.append(_byte_char(v))
                    v = nd = 0
                j += 1
            elif _is_comment(s, j, n):
                j = _skip_comment(s, j, n)
            else:
                j += 1
        return n
    out.append(c)                       # \\ \" \' \$ \, and any other char
    return i + 2


def _byte_char(b: int) -> str:
    """The character that stands for byte ``b`` in configuration text."""
    return chr(b) if b < 0x80 else chr(0xDC00 | b)


def to_bytes(s: str) -> bytes:
    """The bytes configuration text stands for.

    Configuration files are read as UTF-8 with Python's surrogateescape, and
    escapes give bytes from 0x80 up as the same lone surrogates, so text,
    raw bytes and escapes all come back byte for byte, as Click (which knows
    no character set) has them: a UTF-8 "é" in a DATA string is c3 a9.
    """
    return s.encode("utf-8", "surrogateescape")


def from_bytes(b: bytes) -> str:
    """Bytes as configuration text (the inverse of ``to_bytes``)."""
    return b.decode("utf-8", "surrogateescape")


_C_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


def unquote(s: str) -> str:
    """Remove one level of quoting (cp_unquote).

    Comments outside quotes go first. "..." loses its quotes and has its
    backslash escapes decoded; '...' is literal; \\<hex> is decoded outside
    quotes too. Unquoted text is kept. Text and escapes both stand for bytes
    (see ``to_bytes``): an escaped byte from 0x80 up becomes the lone
    surrogate U+DC80-U+DCFF, as Python's surrogateescape writes it, so
    ``to_bytes(unquote('"\\<ff 00>"')) == b"\\xff\\x00"``.
    """
    if _plain(s):
        return s.strip(SPACE)
    x = _scan(s, 0, len(s), False)[0]
    n = len(x)
    out: list[str] = []
    start = i = 0
    quote_char = ""
    while i < n:
        c = x[i]
        if c == '"' or c == "'":
            if not quote_char:
                out.append(x[start:i])
                start = i + 1
                quote_char = c
            elif quote_char == c:
                out.append(x[start:i])
                start = i + 1
                quote_char = ""
        elif c == "\\" and i + 1 < n and (quote_char == '"'
                                          or (not quote_char and x[i + 1] == "<")):
            out.append(x[start:i])
            start = _backslash(x, i, n, out)
            i = start
            continue
        i += 1
    out.append(x[start:])
    result = "".join(out)
    # escaped bytes that spell UTF-8 text become that text: one spelling per byte string
    return result if result.isascii() else from_bytes(to_bytes(result))


_BARE_OK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:+-@/=")


def _escape(s: str, allow_newlines: bool = False) -> str:
    """Escape s for use inside double quotes (the body of cp_quote)."""
    out = []
    for c in s:
        o = ord(c)
        if c in '\\"$':
            out.append("\\" + c)
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c == "\n":
            out.append(c if allow_newlines else "\\n")
        elif o < 32 or o == 127:
            out.append(f"\\{o:03o}")      # always 3 digits, so a following digit is safe
        elif o > 127:
            # every byte from 0x80 up in octal, as Click's cp_quote writes it
            out.extend(f"\\{b:03o}" for b in to_bytes(c))
        else:
            out.append(c)
    return "".join(out)


def quote(s: str, allow_newlines: bool = False) -> str:
    """Return text that unquote() reads back as s (cp_quote).

    Plain words made of letters, digits and '_.:+-@/=' come back bare;
    anything else is double-quoted with C escapes (Click always quotes).
    """
    if s and _BARE_OK.issuperset(s) and "//" not in s and "/*" not in s:
        return s
    return '"' + _escape(s, allow_newlines) + '"'


def _is_name_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


def dollar_paren_end(s: str, i: int, n: int) -> tuple[int, bool]:
    """``s[i]`` follows ``$(``: the index just past the matching ``)`` (-1 when
    unbalanced), and whether another ``$`` hides inside. Quotes and backslashes
    hide parentheses, as in Click's cp_expand."""
    level, q, nested = 1, "", False
    while i < n and level:
        c = s[i]
        if c in "()" and not q:
            level += 1 if c == "(" else -1
        elif c in "\"'":
            q = c if not q else ("" if q == c else q)
        elif c == "\\" and i + 1 < n and q != "'":
            i += 1
        elif c == "$" and q != "'":
            nested = True
        i += 1
    return (i if not level else -1), nested


def expand(s: str, lookup: Callable[[str], str | None], quote_values: bool = False,
           _depth: int = 0) -> str:
    """Substitute variables in s (cp_expand), where lookup(name) gives a value or None.

    Forms: $name, ${name}, ${name-default} (default used when name is
    undefined, itself expanded), ${name[N]} (the Nth space-separated word),
    $(name) and the one-character $? $# $$. Nothing is expanded inside single
    quotes or comments; inside double quotes the value is escaped so that it
    unquotes to itself (also outside quotes, wrapped in "...", when
    quote_values). Undefined variables without a default stay as written.
    Values are expanded again, to a depth of 10, as Click does.
    """
    if "$" not in s:
        return s
    n = len(s)
    out: list[str] = []
    plain = 0                              # start of text not yet copied
    q = ""
    i = 0
    while i < n:
        c = s[i]
        if c == "\\":
            if i + 1 < n and q == '"':
                i += 1
        elif c == '"' or c == "'":
            if not q:
                q = c
            elif q == c:
                q = ""
        elif c == "/":
            if not q and i + 1 < n and s[i + 1] in "/*":
                i = _skip_comment_space(s, i, n)
                continue
        elif c == "$" and i + 1 < n and q != "'" and _depth <= 10:
            dollar = i
            nested = False
            d = s[i + 1]
            if d == "{":
                j = s.find("}", i + 2)
                if j < 0:
                    break                  # unterminated: leave the rest alone
                name = s[i + 2:j]
                nested = "$" in name
                kind = "{"
                i = j + 1
            elif d == "(":
                j, nested = dollar_paren_end(s, i + 2, n)
                if j < 0:
                    break
                name = s[i + 2:j - 1]
                kind = "("
                i = j
            elif _is_name_char(d):
                j = i + 1
                while j < n and _is_name_char(s[j]):
                    j += 1
                name = s[i + 1:j]
                kind = "a"
                i = j
            elif d in "?#$":
                name = d
                kind = "a"
                i += 2
            else:
                i += 1
                continue
            if nested:
                name = expand(name, lookup, False, _depth + 1)
            text = _lookup(name, kind, lookup, _depth)
            out.append(s[plain:dollar])
            plain = i
            if text is None:
                if nested:
                    out.append(s[dollar:dollar + 2] + name + s[i - 1])
                else:
                    plain = dollar
            elif q == '"':
                out.append(_escape(text))
            elif quote_values and not q:
                out.append('"' + _escape(text) + '"')
            else:
                out.append(text)
            continue
        i += 1
    if not out:
        return s
    out.append(s[plain:])
    return "".join(out)


def _lookup(var: str, kind: str, lookup, depth: int) -> str | None:
    """Resolve one variable reference (VariableEnvironment::expand)."""
    name = var
    index = -1
    default = None
    if kind == "{":
        n = len(var)
        i = _skip_space(var, 0, n)
        b = i
        while i < n and _is_name_char(var[i]):
            i += 1
        name = var[b:i]
        i = _skip_space(var, i, n)
        if i < n and var[i] == "[":
            j = _skip_space(var, i + 1, n)
            k = j
            while k < n and "0" <= var[k] <= "9":
                k += 1
            if j < k < n and var[k] == "]":
                index = int(var[j:k])
                i = _skip_space(var, k + 1, n)
        if i < n and var[i] == "-":
            default = var[i + 1:]
    value = lookup(name)
    if value is not None:
        value = expand(value, lookup, False, depth + 1)
        if index >= 0:
            words = split_spaces(value)
            return words[index] if index < len(words) else ""
        return value
    if default is not None:
        return expand(default, lookup, False, depth + 1)
    return None


def _skip_space(s: str, i: int, n: int) -> int:
    while i < n and s[i] in SPACE:
        i += 1
    return i


def _keyword_of(arg: str) -> str | None:
    """The leading keyword of arg in the sense of cp_keyword, or None."""
    n = len(arg)
    i = 0
    while i < n and arg[i] not in SPACE:
        c = arg[i]
        if not (c.isascii() and c.isalnum()) and c not in "_.:?!":
            return None
        i += 1
    return arg[:i] if i else None


def assign_arguments(args: list[str], formals: list[str]) -> list[str] | None:
    """Match actual arguments to compound-element formals (cp_assign_arguments).

    formals holds "" for each positional formal, then KEYWORD names, then
    optionally "__REST__". Positional formals are mandatory and so are
    keyword formals; a missing one means no match. Keyword formals take
    "KEYWORD value" arguments in any order (the last one wins); once a
    keyword argument has been seen, a non-matching argument is an error
    unless __REST__ collects it. __REST__ gets every unassigned argument,
    joined with ", ". Returns the values in formal order, or None.
    """
    nf = len(formals)
    if nf == 0 or not formals[-1]:
        return list(args) if len(args) == nf else None
    rest = formals[-1] == "__REST__"
    nvalues = nf - 1 if rest else nf
    npos = 0
    while npos < nvalues and formals[npos] == "":
        npos += 1
    values: list[str | None] = [None] * nvalues
    used = [False] * len(args)
    nsupplied = 0
    any_keywords = False
    for i, arg in enumerate(args):
        if nsupplied >= npos:
            kw = _keyword_of(arg)
            slot = -1
            if kw is not None:
                for f in range(npos, nvalues):
                    if formals[f] == kw:
                        slot = f
                        break
            if slot >= 0:
                values[slot] = arg[len(kw):].lstrip(SPACE)
                used[i] = True
                any_keywords = True
                continue
            if any_keywords:
                if rest:
                    continue
                return None                 # bad keyword
        if nsupplied < npos:
            values[nsupplied] = arg
            used[i] = True
        nsupplied += 1
    if any(v is None for v in values):
        return None                         # missing mandatory argument
    if nsupplied > npos and not rest:
        return None                         # too many arguments
    result = [v for v in values if v is not None]
    if rest:
        result.append(", ".join(a for a, u in zip(args, used, strict=True) if not u))
    return result
