"""options -- IP and TCP options as dump text and back (Click's unparse_ip_opt, unparse_tcp_opt).

Options print as words joined by ';' ('.' for none, '?' for a list that
does not parse); EOL and NOP are not written. An option without a name
prints as its number with its data bytes: '99=5:10'.
"""
from __future__ import annotations

import socket
import struct
from collections.abc import Callable

from clickpy.io.ipsummary.octets import u16, u32

_ROUTE_OPTS = {7: "rr", 131: "lsrr", 137: "ssrr"}      # record route, loose, strict source route
_ROUTE_CODES = {name: code for code, name in _ROUTE_OPTS.items()}
_TCP_LENGTHS = {2: lambda ln: ln == 4, 3: lambda ln: ln == 3, 4: lambda ln: ln == 2,
                5: lambda ln: ln % 8 == 2, 8: lambda ln: ln == 10}
_TCP_SHOWN = {"all": {2, 3, 4, 5, 8, "x"}, "nt": {2, 3, 4, 5, "x"}, "sack": {4, 5}}
MAX_OPTION_BYTES = 40


def _walk(opt: bytes) -> list[bytes] | None:
    """Each option (type, length, data) up to EOL, NOPs left out; None when one overruns."""
    out, i, n = [], 0, len(opt)
    while i < n:
        t = opt[i]
        if t == 0:
            break
        if t == 1:
            i += 1
            continue
        if i + 1 >= n or opt[i + 1] < 2 or i + opt[i + 1] > n:
            return None
        out.append(opt[i:i + opt[i + 1]])
        i += opt[i + 1]
    return out


def _fmt_other(body: bytes) -> str:
    return str(body[0]) + "".join(("=" if k == 0 else ":") + str(x)
                                  for k, x in enumerate(body[2:]))


def _join(words: list[str] | None) -> str:
    if words is None:
        return "?"
    return ";".join(words) if words else "."


# IP options
def fmt_ip_opt(opt: bytes) -> str:
    """Record route and source routes as rr{a,b}+N, timestamps as ts{...}, others by number."""
    options, words = _walk(opt), []
    for body in options or ():
        t = body[0]
        if t in _ROUTE_OPTS:
            word = _fmt_ip_route(body)
        elif t == 68:
            word = _fmt_ip_ts(body) if len(body) >= 4 and body[2] >= 5 else None
        else:
            word = _fmt_other(body)
        if word is None:
            return "?"
        words.append(word)
    return _join(None if options is None else words)


def _fmt_ip_route(body: bytes) -> str | None:
    t, ln = body[0], body[1]
    if ln < 3 or body[2] < 4:
        return None
    ptr, o, sep, text = body[2] - 1, 3, "", ""
    while o + 4 <= ln:
        if o == ptr:
            if t == 7:
                break
            sep = "^"
        text += sep + ".".join(str(x) for x in body[o:o + 4])
        sep = ","
        o += 4
    if o == ln and o == ptr and t != 7:
        text += "^"
    tail = f"+{(ln - o) // 4}" if o + 4 <= ln and o == ptr and t == 7 else ""
    return f"{_ROUTE_OPTS[t]}{{{text}}}{tail}"


def _fmt_ip_ts(body: bytes) -> str:
    ln, ptr, flag = body[1], body[2] - 1, body[3] & 15
    size = 8 if flag in (1, 3) else 4
    name = "ts" + {0: "", 1: ".ip", 3: ".preip"}.get(flag, f".{flag}")
    text, sep, o = "", "", 4
    while o + size <= ln:
        if o == ptr:
            if flag != 3:
                break
            sep = "^"
        if flag != 0:
            text += sep + ".".join(str(x) for x in body[o:o + 4]) + "="
            o += 4
        else:
            text += sep
        if flag == 3 and o > ptr:
            text = text[:-1]
        else:
            v = u32(body, o)
            text += ("!" if v & 0x80000000 else "") + str(v & 0x7FFFFFFF)
        sep = ","
        o += 4
    if o == ln and o == ptr:
        text += "^"
    tail = f"+{(ln - o) // size}" if o + size <= ln and o == ptr else ""
    if body[3] & 0xF0:
        tail += f"++{body[3] >> 4}"
    return f"{name}{{{text}}}{tail}"


def parse_ip_opt(text: str) -> bytes:
    """Options from their text: rr/lsrr/ssrr{...}, numbers with =a:b data, nop, eol."""
    return _parse(text, _parse_ip_item, "IP")


def _parse_ip_item(item: str, out: bytearray):
    name, brace, _ = item.partition("{")
    if brace and name in _ROUTE_CODES:
        out += _parse_ip_route(_ROUTE_CODES[name], item[len(name) + 1:])
    else:
        _parse_other(item, out, checked_as="IP")


def _parse_ip_route(code: int, inner_rest: str) -> bytes:
    inner, _, rest = inner_rest.partition("}")
    body, ptr = bytearray(), None
    for a in (x for x in inner.split(",") if x):
        if a.startswith("^"):
            ptr, a = len(body), a[1:]
        ptr_after = a.endswith("^")
        if ptr_after:
            a = a[:-1]
        body += socket.inet_aton(a)
        if ptr_after:
            ptr = len(body)
    if inner.endswith("^") or ptr is None:
        ptr = len(body)
    if rest.startswith("+") and rest[1:].isdigit():
        body += bytes(4 * int(rest[1:]))
    return bytes((code, 3 + len(body), 4 + ptr)) + body


# TCP options
def fmt_tcp_opt(opt: bytes, which: str = "all") -> str:
    """Click's unparse_tcp_opt: which is 'all', 'nt' (no timestamps) or 'sack'."""
    options, words, show = _walk(opt), [], _TCP_SHOWN[which]
    for body in options or ():
        t, ln = body[0], body[1]
        if t in _TCP_LENGTHS and not _TCP_LENGTHS[t](ln):
            return "?"
        if (t if t in _TCP_LENGTHS else "x") not in show:
            continue
        if t == 2:
            words.append(f"mss{u16(body, 2)}")
        elif t == 3:
            words.append(f"wscale{body[2]}")
        elif t == 4:
            words.append("sackok")
        elif t == 5:
            words += [f"sack{u32(body, k)}-{u32(body, k + 4)}" for k in range(2, ln, 8)]
        elif t == 8:
            words.append(f"ts{u32(body, 2)}:{u32(body, 6)}")
        else:
            words.append(_fmt_other(body))
    return _join(None if options is None else words)


def parse_tcp_opt(text: str) -> bytes:
    """Options from their text: mss, wscale, sackok, sackA-B, tsA:B, numbers, nop, eol."""
    return _parse(text, _parse_tcp_item, "TCP")


def _parse_tcp_item(item: str, out: bytearray):
    if item.startswith("mss"):
        out += struct.pack("!BBH", 2, 4, int(item[3:]))
    elif item.startswith("wscale"):
        out += bytes((3, 3, int(item[6:])))
    elif item == "sackok":
        out += b"\x04\x02"
    elif item.startswith("sack"):
        a, _, z = item[4:].replace(":", "-").partition("-")
        out += struct.pack("!BBII", 5, 10, int(a), int(z))
    elif item.startswith("ts"):
        a, _, z = item[2:].partition(":")
        if not out:
            out += b"\x01\x01"                # NOP NOP: the timestamp's usual alignment
        out += struct.pack("!BBII", 8, 10, int(a), int(z))
    else:
        _parse_other(item, out)


# shared by both parsers
def _parse(text: str, parse_item: Callable, what: str) -> bytes:
    """Each item of ``text`` appended by ``parse_item(item, out)``; at most 40 bytes."""
    if text in ("", "."):
        return b""
    out = bytearray()
    for item in _split(text):
        parse_item(item, out)
    if len(out) > MAX_OPTION_BYTES:
        raise ValueError(f"{what} options too long")
    return bytes(out)


def _split(text: str) -> list[str]:
    """Words separated by ';' or ',', except inside braces (route addresses)."""
    items, depth, cur = [], 0, ""
    for c in text:
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        if c in ";," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += c
    items.append(cur)
    return items


def _parse_other(item: str, out: bytearray, checked_as: str | None = None):
    """nop, eol, or 'NUMBER[=a:b...]' appended to ``out``; ``checked_as`` ("IP")
    names the options in the error for a NUMBER that is not 0-255 in digits (TCP's
    reader takes any int() spelling)."""
    if item in ("nop", "eol"):
        out.append(1 if item == "nop" else 0)
        return
    number, eq, data = item.partition("=")
    if checked_as and (not number.isdigit() or int(number) > 255):
        raise ValueError(f"bad {checked_as} option '{item}'")
    vals = [int(x) for x in data.split(":")] if eq else []
    out.append(int(number))
    if eq:
        out.append(2 + len(vals))
        out += bytes(vals)
