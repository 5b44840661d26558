"""script_expr -- Script's text tools: words, $-substitution, and the expression handlers.

Everything here works on configuration text (one character per byte, as
confstring does). The expression handlers are the read-with-parameter
handlers every Script element has (``$(add 1 2)``); each takes the
parameter text and returns the result text, or raises ScriptError with
Click's message.
"""
from __future__ import annotations

import math
import os
import random
import signal
import sys
from collections.abc import Callable

from clickpy.lang import confstring as cs
from clickpy.lang import values

__all__ = ["ScriptError", "shift_word", "words", "expand", "quote_inside",
           "parse_bool", "EXPRESSIONS", "SIGNALS", "parse_signal"]

RAND_MAX = 2147483647           # glibc's RAND_MAX: 'random' with no argument
_INT64 = 1 << 64


class ScriptError(Exception):
    """A script instruction or expression failed; the message is for the user."""


# -- words -------------------------------------------------------------------
def _word_end(s: str, i: int, n: int) -> int:
    """Index just past the space-separated word starting at s[i] (quotes kept)."""
    while i < n:
        c = s[i]
        if c in cs.SPACE:
            return i
        if c == '"':
            i += 1
            while i < n and s[i] != '"':
                i += 2 if s[i] == "\\" else 1
            i += 1
        elif c == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
        elif c == "\\" and i + 1 < n and s[i + 1] == "<":
            j = s.find(">", i + 2)
            i = n if j < 0 else j + 1
        else:
            i += 1
    return min(i, n)


def shift_word(s: str) -> tuple[str, str]:
    """Splits off the first space-separated word: (word, rest without leading space)."""
    n = len(s)
    i = 0
    while i < n and s[i] in cs.SPACE:
        i += 1
    j = _word_end(s, i, n)
    k = j
    while k < n and s[k] in cs.SPACE:
        k += 1
    return s[i:j], s[k:]


def words(s: str) -> list[str]:
    """All space-separated words of s, quotes kept."""
    out = []
    while True:
        w, s = shift_word(s)
        if not w:
            return out
        out.append(w)


# -- substitution ----------------------------------------------------------
def quote_inside(text: str) -> str:
    """text escaped for the inside of a double-quoted string."""
    q = cs.quote(text)
    return q[1:-1] if q.startswith('"') else q


def expand(s: str, lookup: Callable[[str, str], str | None], quote_values: bool = False,
           depth: int = 0) -> str:
    """Replaces $name, ${name}, $(text), $?, $#, $$ in s by lookup(name, kind).

    kind is '(' for $(...) and 'a' otherwise; lookup returns None when it
    has no value, and the reference stays as written. Values are inserted as
    they are, except inside double quotes (escaped, so they unquote to
    themselves) and, with quote_values, outside quotes (double-quoted).
    Values are not expanded again. Nothing expands inside single quotes or
    comments; a name holding '$' is expanded first.
    """
    if "$" not in s:
        return s
    n = len(s)
    out: list[str] = []
    plain = 0
    q = ""
    i = 0
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2 if q == '"' else 1
            continue
        if c in "\"'":
            q = c if not q else ("" if q == c else q)
        elif c == "/" and not q and i + 1 < n and s[i + 1] in "/*":
            if s[i + 1] == "/":
                j = s.find("\n", i)
                i = n if j < 0 else j + 1
            else:
                j = s.find("*/", i + 2)
                i = n if j < 0 else j + 2
            continue
        elif c == "$" and i + 1 < n and q != "'" and depth <= 10:
            d = s[i + 1]
            nested = False
            if d == "{":
                j = s.find("}", i + 2)
                if j < 0:
                    break
                name, kind, end = s[i + 2:j], "a", j + 1
                nested = "$" in name
            elif d == "(":
                end, nested = cs.dollar_paren_end(s, i + 2, n)
                if end < 0:
                    break
                name, kind = s[i + 2:end - 1], "("
            elif d.isascii() and (d.isalnum() or d == "_"):
                end = i + 1
                while end < n and s[end].isascii() and (s[end].isalnum() or s[end] == "_"):
                    end += 1
                name, kind = s[i + 1:end], "a"
            elif d in "?#$":
                name, kind, end = d, "a", i + 2
            else:
                i += 1
                continue
            if nested:
                name = expand(name, lookup, False, depth + 1)
            text = lookup(name, kind)
            if text is None:
                if nested:
                    out.append(s[plain:i] + s[i:i + 2] + name + s[end - 1])
                    plain = end
            else:
                out.append(s[plain:i])
                if q == '"':
                    out.append(quote_inside(text))
                elif quote_values and not q:
                    out.append('"' + quote_inside(text) + '"')
                else:
                    out.append(text)
                plain = end
            i = end
            continue
        i += 1
    if not out:
        return s
    out.append(s[plain:])
    return "".join(out)


# -- numbers -----------------------------------------------------------------
def parse_bool(text: str) -> bool:
    try:
        return values.parse_bool(text)
    except ValueError:
        raise ScriptError("syntax error") from None


def _int(text: str) -> int | None:
    """Click's 64-bit IntArg, or None."""
    try:
        return values.parse_int(text, 64)
    except ValueError:
        return None


def _real(text: str) -> float | None:
    """Click's DoubleArg, or None."""
    try:
        return values.parse_real(text)
    except ValueError:
        return None


def _wrap64(v: int) -> int:
    """C int64 arithmetic wraps around."""
    return (v + (1 << 63)) % _INT64 - (1 << 63)


def _fmt_real(x: float) -> str:
    """Click's String(double): printf %.12g."""
    return format(x, ".12g")


def _fdiv(a: float, b: float) -> float:
    """IEEE division: x/0 is +-inf, 0/0 is nan (C semantics)."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _arith(op: str, param: str) -> str:
    """add sub min max mul div idiv over a list of numbers (integers, or
    reals once a word is not an integer; div and idiv always use reals)."""
    acc = 0 if op in ("add", "sub") else 1
    use_real = op in ("div", "idiv")
    racc = float(acc)
    first = True
    for w in words(param):
        iv = None if use_real else _int(w)
        if iv is None and not use_real:
            use_real = True
            racc = float(acc)
        if use_real:
            rv = _real(w)
            if rv is None:
                raise ScriptError("expected list of numbers")
            if first:
                racc = rv
            elif op == "add":
                racc += rv
            elif op == "sub":
                racc -= rv
            elif op == "min":
                racc = racc if racc < rv else rv
            elif op == "max":
                racc = racc if racc > rv else rv
            elif op == "mul":
                racc *= rv
            else:
                racc = _fdiv(racc, rv)
        else:
            if first:
                acc = iv
            elif op == "add":
                acc = _wrap64(acc + iv)
            elif op == "sub":
                acc = _wrap64(acc - iv)
            elif op == "min":
                acc = min(acc, iv)
            elif op == "max":
                acc = max(acc, iv)
            else:
                acc = _wrap64(acc * iv)
        first = False
    if op == "idiv":
        if math.isinf(racc) or math.isnan(racc):
            raise ScriptError("division by zero")
        return str(_wrap64(int(racc)))
    return _fmt_real(racc) if use_real else str(acc)


def _two_words(param: str) -> tuple[str, str]:
    a, rest = shift_word(param)
    b, rest = shift_word(rest)
    if rest or not a or not b:
        raise ScriptError("expected two numbers")
    return a, b


def _modrem(op: str, param: str) -> str:
    """mod: integer remainder (sign of the dividend, as C); rem: real remainder."""
    a, b = _two_words(param)
    ia, ib = _int(a), _int(b)
    if ia is None or ib is None:
        ra, rb = _real(a), _real(b)
        if op == "mod" or ra is None or rb is None:
            raise ScriptError("expected two numbers")
        return _fmt_real(math.fmod(ra, rb) if rb else math.nan)
    if ib == 0:
        raise ScriptError("division by zero")
    r = abs(ia) % abs(ib)
    return str(-r if ia < 0 else r)


def _negabs(op: str, param: str) -> str:
    text = param.strip(cs.SPACE)
    x = _int(text)
    if x is None:
        r = _real(text)
        if r is None:
            raise ScriptError("expected one number")
        return _fmt_real(-r if op == "neg" else abs(r))
    return str(_wrap64(-x if op == "neg" or x < 0 else x))


# comparison results and which of them each operator accepts
_LT, _EQ, _GT = -1, 0, 1
_COMPARE = {"lt": (_LT,), "eq": (_EQ,), "gt": (_GT,),
            "ge": (_EQ, _GT), "ne": (_LT, _GT), "le": (_LT, _EQ)}


def _compare(op: str, param: str) -> str:
    """Numbers compare as numbers; anything else compares bytewise, unquoted."""
    a, b = _two_words(param)
    x, y = _int(a), _int(b)
    if x is None or y is None:
        x, y = _real(a), _real(b)
        if x is None or y is None:
            x, y = cs.unquote(a), cs.unquote(b)
    cmp = _LT if x < y else (_EQ if x == y else _GT)
    return values.format_bool(cmp in _COMPARE[op])


def _not(param: str) -> str:
    return values.format_bool(not parse_bool(param.strip(cs.SPACE)))


def _logic(op: str, param: str) -> str:
    """and/or stop reading at the first word that decides the answer."""
    unit = op in ("and", "nand")
    value = unit
    rest = param
    while value == unit:
        w, rest = shift_word(rest)
        if not w:
            break
        x = parse_bool(w)
        value = (value and x) if op in ("and", "nand") else (value or x)
    if op in ("nand", "nor"):
        value = not value
    return values.format_bool(value)


def _if(param: str) -> str:
    cond, rest = shift_word(param)
    yes, rest = shift_word(rest)
    no, rest = shift_word(rest)
    return yes if parse_bool(cond) else no


def _in(param: str) -> str:
    first, rest = shift_word(param)
    x = cs.unquote(first)
    found = False
    while x and rest and not found:
        w, rest = shift_word(rest)
        found = x == cs.unquote(w)
    return values.format_bool(found)


def _first(param: str) -> str:
    return shift_word(param)[0]


def _random(param: str) -> str:
    ws = words(param)
    if not ws:
        return str(random.randint(0, RAND_MAX))
    if len(ws) > 2:
        raise ScriptError("too many arguments")
    try:
        ns = [values.parse_unsigned(w) for w in ws]
    except ValueError as err:
        raise ScriptError(f"N{len(ws)}: {err}") from None
    if (len(ns) == 2 and ns[1] < ns[0]) or (len(ns) == 1 and ns[0] == 0):
        raise ScriptError("bad N")
    lo, hi = (ns[0], ns[1]) if len(ns) == 2 else (0, ns[0] - 1)
    return str(random.randint(lo, hi))


def _byteswap(op: str, param: str) -> str:
    """htons/ntohs/htonl/ntohl of a 32-bit integer, on this host's byte order."""
    try:
        x = values.parse_int(param.strip(cs.SPACE), 32)
    except ValueError:
        raise ScriptError("syntax error") from None
    size = 2 if op.endswith("s") else 4
    v = x & ((1 << (8 * size)) - 1)
    if sys.byteorder == "little":
        v = int.from_bytes(v.to_bytes(size, "big"), "little")
    return str(v)


def _sprintf(param: str) -> str:
    """printf over space-separated arguments: flags 0#- +, width (or *),
    precision, h/l/ll/L/q length, conversions d i u o x X s %."""
    fmt_word, args = shift_word(param)
    fmt = cs.unquote(fmt_word)
    out: list[str] = []
    n = len(fmt)
    i = 0

    def next_int(unsigned=False):
        nonlocal args
        w, args = shift_word(args)
        try:
            return values.parse_unsigned(w, 64) if unsigned else values.parse_int(w, 64)
        except ValueError:
            raise ScriptError("syntax error") from None

    while i < n:
        pct = fmt.find("%", i)
        if pct < 0:
            break
        out.append(fmt[i:pct])
        j = pct + 1
        flags = ""
        while j < n and fmt[j] in "0#- +":
            flags += fmt[j]
            j += 1
        width = ""
        if j < n and fmt[j] == "*":
            width = str(next_int())
            j += 1
        else:
            while j < n and fmt[j].isdigit():
                width += fmt[j]
                j += 1
        prec = ""
        if j < n and fmt[j] == ".":
            j += 1
            if j < n and fmt[j] == "*":
                p = next_int()
                if p < 0:
                    raise ScriptError("syntax error")
                prec = "." + str(p)
                j += 1
            else:
                digits = ""
                while j < n and fmt[j].isdigit():
                    digits += fmt[j]
                    j += 1
                prec = "." + (digits or "0")
        short = False
        while j < n and fmt[j] in "hlLq":
            short = fmt[j] == "h"
            j += 1
        conv = fmt[j] if j < n else ""
        spec = "%" + flags + width + prec
        if conv in ("o", "x", "X", "u"):
            v = next_int(unsigned=True)
            if short:
                v &= 0xFFFF
            text = (spec + ("d" if conv == "u" else conv)) % v
            if conv == "o" and "#" in flags:
                text = text.replace("0o", "0", 1)
            out.append(text)
        elif conv in ("d", "i"):
            v = next_int()
            if short:
                v = (v + 0x8000) % 0x10000 - 0x8000
            out.append((spec + "d") % v)
        elif conv == "%":
            out.append("%")
        elif conv == "s":
            w, args = shift_word(args)
            out.append((spec + "s") % cs.unquote(w))
        else:
            raise ScriptError("syntax error")
        i = j + 1
    if args:
        raise ScriptError("syntax error")
    out.append(fmt[i:])
    return "".join(out)


def _length(param: str) -> str:
    return str(len(param))


def _unquote(param: str) -> str:
    return cs.unquote(param)


def _cat(quoted: bool, param: str) -> str:
    try:
        filename = values.parse_filename(param.strip(cs.SPACE))
    except ValueError:
        raise ScriptError("bad FILE") from None
    try:
        with open(filename, "rb") as f:
            text = cs.from_bytes(f.read())
    except OSError as err:
        raise ScriptError(f"{filename}: {err.strerror}") from None
    return cs.quote(text) if quoted else text


SIGNALS = {name: int(getattr(signal, "SIG" + name))
           for name in ("ABRT", "ALRM", "HUP", "INT", "IO", "PIPE", "QUIT", "TERM",
                        "TSTP", "USR1", "USR2") if hasattr(signal, "SIG" + name)}


def parse_signal(word: str) -> int | None:
    """A signal name (INT, HUP, ...) or number 0-31, else None."""
    if word in SIGNALS:
        return SIGNALS[word]
    try:
        v = values.parse_int(word)
    except ValueError:
        return None
    return v if 0 <= v < 32 else None


def _kill(param: str) -> str:
    word, rest = shift_word(param)
    signo = parse_signal(word) if word else None
    if signo is None:
        raise ScriptError("bad SIGNO")
    for w in words(rest):
        try:
            pid = values.parse_int(w)
        except ValueError:
            raise ScriptError("bad PID") from None
        try:
            os.kill(pid, signo)
        except OSError as err:
            raise ScriptError(f"kill({pid}, {signo}): {err.strerror}") from None
    return ""


def _bind(fn, op):
    return lambda param: fn(op, param)


# name -> function(parameter text) -> result text; all take parameters
EXPRESSIONS: dict[str, Callable[[str], str]] = {
    **{op: _bind(_arith, op) for op in ("add", "sub", "min", "max", "mul", "div", "idiv")},
    "mod": _bind(_modrem, "mod"), "rem": _bind(_modrem, "rem"),
    "neg": _bind(_negabs, "neg"), "abs": _bind(_negabs, "abs"),
    **{op: _bind(_compare, op) for op in _COMPARE},
    "not": _not, "sprintf": _sprintf, "first": _first, "random": _random,
    **{op: _bind(_logic, op) for op in ("and", "or", "nand", "nor")},
    "if": _if, "in": _in, "length": _length, "unquote": _unquote,
    **{op: _bind(_byteswap, op) for op in ("htons", "htonl", "ntohs", "ntohl")},
    "cat": lambda p: _cat(False, p), "catq": lambda p: _cat(True, p), "kill": _kill,
}
