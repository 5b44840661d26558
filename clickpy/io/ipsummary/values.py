"""values -- the text of one field value and back: numbers, times, fragments, names, payloads.

Each ``fmt_*`` turns a value into its dump word; each ``parse_*`` reads a
word back, raising ValueError when it is bad. IP and TCP options are in
options.py.
"""
from __future__ import annotations

import hashlib

from clickpy.lang import confstring as cs
from clickpy.runtime import nameinfo
from clickpy.runtime.nameinfo import IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP

# the dump's one-letter protocols (other protocols print as numbers)
PROTO_LETTERS = {"T": IP_PROTO_TCP, "U": IP_PROTO_UDP, "I": IP_PROTO_ICMP}
_LETTER_OF = {v: k for k, v in PROTO_LETTERS.items()}
MD5_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@"
_DIRECTIONS = {">": 0, "<": 1, "L": 0, "R": 1, "X": 1}
_FRAG_WORDS = {".": 0, "!": 0x4000, "F": 0x2000, "f": 100}


def num(bits: int):
    """A parser of unsigned numbers below 2**bits (decimal, or 0x hex)."""
    top = (1 << bits) - 1

    def parse(text: str) -> int:
        v = int(text, 0) if text[:2].lower() == "0x" else int(text)
        if not 0 <= v <= top:
            raise ValueError(f"out of range: {text}")
        return v
    return parse


# time and direction
def fmt_timestamp(ns: int) -> str:
    sec, sub = divmod(ns, 1_000_000_000)
    return f"{sec}.{sub // 1000:06d}" if sub % 1000 == 0 else f"{sec}.{sub:09d}"


def parse_timestamp(text: str) -> int:
    sec, dot, frac = text.partition(".")
    if not sec.isdigit() or (dot and not frac.isdigit()) or len(frac) > 9:
        raise ValueError(f"bad timestamp '{text}'")
    return int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])


def fmt_direction(v: int) -> str:
    return ">" if v == 0 else "<" if v == 1 else str(v)


def parse_direction(text: str) -> int:
    return _DIRECTIONS.get(text) if text in "><LRX" and text else num(8)(text)


# IP header words
def fmt_frag(v: int) -> str:
    if v & 0x3FFF:
        return "F" if v & 0x1FFF == 0 else "f"
    return "!" if v & 0x4000 else "."


def fmt_fragoff(v: int) -> str:
    return f"{(v & 0x1FFF) << 3}" + ("+" if v & 0x2000 else "") + ("!" if v & 0x4000 else "")


def parse_fragoff(text: str) -> int:
    """ip_frag's and ip_fragoff's words: '.', '!', 'F', 'f', or bytes with '+' (MF), '!' (DF)."""
    if text in _FRAG_WORDS:
        return _FRAG_WORDS[text]
    i = 0
    while i < len(text) and text[i].isdigit():
        i += 1
    if i == 0:
        raise ValueError(f"bad fragment offset '{text}'")
    v = int(text[:i]) >> 3                      # bytes (format 1.1 and later)
    for c in text[i:]:
        if c == "!":
            v |= 0x4000
        elif c == "+":
            v |= 0x2000
        else:
            raise ValueError(f"bad fragment offset '{text}'")
    return v


def fmt_proto(v: int) -> str:
    return _LETTER_OF.get(v, str(v))


def parse_proto(text: str) -> int:
    return PROTO_LETTERS.get(text) or num(8)(text)


def fmt_ecn(v: int) -> str:
    return nameinfo.ip_ecn_name(v)


def parse_ecn(text: str) -> int:
    v = nameinfo.ip_ecn(text)
    if v is not None:
        return v
    if text == "-":
        return 0
    if text in ("0", "1", "2", "3"):
        return int(text)
    raise ValueError(f"bad ECN '{text}'")


# Ethernet
def fmt_ether(b: bytes) -> str:
    return "-".join(f"{x:02X}" for x in b)


def parse_ether(text: str) -> bytes:
    parts = text.replace(":", "-").split("-")
    if len(parts) != 6:
        raise ValueError(f"bad Ethernet address '{text}'")
    return bytes(int(p, 16) for p in parts)


def fmt_eth_type(v: int) -> str:
    return f"{v:04X}"


def parse_eth_type(text: str) -> int:
    return num(16)(str(int(text, 16)))


# TCP, ICMP
def fmt_tcp_flags(v: int) -> str:
    return nameinfo.tcp_flags_text(v) or "."


def parse_tcp_flags(text: str) -> int:
    if text == ".":
        return 0
    if text[:1].isdigit():
        v = int(text, 0)
        if v >= 0x1000:
            raise ValueError("bad TCP flags")
        return v
    v = nameinfo.tcp_flags(text)
    if v is None:
        raise ValueError(f"bad TCP flags '{text}'")
    return v


def fmt_icmp_type_name(v: int) -> str:
    return nameinfo.icmp_type_name(v) or str(v)


def parse_icmp_type(text: str) -> int:
    v = nameinfo.icmp_type(text)
    return num(8)(text) if v is None else v


def fmt_icmp_code_name(type_code: tuple[int, int]) -> str:
    return nameinfo.icmp_code_name(*type_code) or str(type_code[1])


# payload
def quote_payload(b: bytes) -> str:
    """Click's cp_quote, always double-quoted: confstring's quote leaves plain words bare."""
    text = cs.quote(cs.from_bytes(b))
    return text if text.startswith('"') else f'"{text}"'


def parse_payload(text: str) -> bytes:
    return cs.to_bytes(cs.unquote(text))


def md5_text(b: bytes) -> str:
    """An MD5 digest as 22 characters of [A-Za-z0-9_@], 6 bits each, low bits first."""
    v = int.from_bytes(hashlib.md5(b).digest(), "little")
    return "".join(MD5_CHARS[(v >> bit) & 63] for bit in range(0, 128, 6))


def md5_hex(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()
