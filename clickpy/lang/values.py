"""values -- parsers and printers for argument values: numbers, times, bandwidths, addresses"""
from __future__ import annotations

import os
import re
from fractions import Fraction

from clickpy.lang import confstring as cs

__all__ = [
    "parse_bool", "parse_int", "parse_unsigned", "parse_real", "parse_seconds",
    "parse_timestamp", "parse_bandwidth", "parse_ip", "parse_ip_prefix", "parse_netmask",
    "parse_ether", "parse_string", "parse_word", "parse_data", "parse_keyword",
    "parse_filename", "parse_element_name",
    "format_bool", "format_ip", "format_ip_prefix", "format_netmask", "format_ether",
    "format_bandwidth", "format_seconds", "format_timestamp", "format_real10",
]

# Parsers take the exact text (no surrounding whitespace) and raise ValueError
# with a short lower-case reason. Addresses are bytes in network order: an IPv4
# address is 4 bytes, an Ethernet address 6.

_TRUE = frozenset(("1", "t", "y", "true", "yes"))
_FALSE = frozenset(("0", "f", "n", "false", "no"))


def parse_bool(text: str) -> bool:
    """true/false/yes/no/1/0 and t/f/y/n, lower case only (BoolArg)."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("expected boolean")


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def _int_span(text: str, signed: bool, base: int = 0) -> tuple[int, int] | None:
    """Value and sign of an integer in Click's IntArg syntax, or None.

    Optional sign ('-' only when signed), then 0x/0X hex, 0b/0B binary,
    leading-0 octal or decimal; '_' may separate digits. The whole text must
    be consumed ("08" is a bad octal number, as in Click).
    """
    n = len(text)
    i = 0
    neg = False
    if i < n and (text[i] == "+" or (signed and text[i] == "-")):
        neg = text[i] == "-"
        i += 1
    if base in (0, 16) and i + 2 < n and text[i] == "0" and text[i + 1] in "xX":
        i += 2
        base = 16
    elif base == 0 and i + 2 < n and text[i] == "0" and text[i + 1] in "bB":
        i += 2
        base = 2
    elif base == 0:
        base = 8 if i < n and text[i] == "0" else 10
    digits = []
    last = -1
    while i < n:
        c = text[i]
        if c == "_" and last == i and digits:
            pass
        else:
            try:
                d = int(c, 16) if c.isascii() else 99
            except ValueError:
                d = 99
            if d >= base:
                break
            digits.append(c)
            last = i + 1
        i += 1
    if not digits or last != n:
        return None
    return int("".join(digits), base), neg


def parse_int(text: str, bits: int | None = 32) -> int:
    """A signed integer fitting in `bits` bits (IntArg); None means unbounded."""
    r = _int_span(text, True)
    if r is None:
        raise ValueError("expected integer")
    v = -r[0] if r[1] else r[0]
    if bits is not None:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        if v < lo:
            raise ValueError(f"out of range, bound {lo}")
        if v > hi:
            raise ValueError(f"out of range, bound {hi}")
    return v


def parse_unsigned(text: str, bits: int | None = 32) -> int:
    """An unsigned integer fitting in `bits` bits (IntArg); no '-' sign allowed."""
    r = _int_span(text, False)
    if r is None:
        raise ValueError("expected unsigned integer")
    if bits is not None and r[0] >= 1 << bits:
        raise ValueError(f"out of range, bound {(1 << bits) - 1}")
    return r[0]


_REAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_HEXREAL = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                      r"(?:[pP][+-]?[0-9]+)?\Z")
_SPECIAL_REAL = re.compile(r"[+-]?(?:inf|infinity|nan)\Z", re.IGNORECASE)


def parse_real(text: str) -> float:
    """A floating-point number in strtod() syntax (DoubleArg), inf/nan included."""
    if _REAL.match(text):
        v = float(text)
        if v in (float("inf"), float("-inf")):
            raise ValueError(f"out of range, bound {'-' if v < 0 else ''}inf")
        if v == 0 and re.search(r"[1-9]", text.split("e")[0].split("E")[0]):
            raise ValueError("underflow, rounded to 0")
        return v
    if _HEXREAL.match(text):
        sign = -1.0 if text[0] == "-" else 1.0
        body = text.lstrip("+-")
        if "p" not in body.lower():
            body += "p0"
        return sign * float.fromhex(body)
    if _SPECIAL_REAL.match(text):
        return float(text)
    raise ValueError("expected real number")


def _decimal(text: str, signed: bool = False) -> Fraction | None:
    """Exact value of a decimal number in Click's fraction syntax, or None.

    [+-]digits[.digits][e[+-]digits], '_' allowed between digits, "5." and
    ".5" accepted; '-' only when signed.
    """
    n = len(text)
    i = 0
    neg = False
    if i < n and (text[i] == "+" or (signed and text[i] == "-")):
        neg = text[i] == "-"
        i += 1
    first = i
    last = first - 1                      # index just past the last digit
    point = False
    digits = []
    int_digits = 0
    while i < n:
        c = text[i]
        if c == "_" and last == i:
            pass
        elif c == "." and not point and (last == i or first == i):
            point = True
        elif "0" <= c <= "9":
            digits.append(c)
            if not point:
                int_digits += 1
            last = i + 1
        else:
            break
        i += 1
    if not digits:
        return None
    exp = 0
    if i + 1 < n and text[i] in "eE":
        j = i + 1 + (text[i + 1] in "+-")
        k = j
        while k < n and "0" <= text[k] <= "9":
            k += 1
        if k > j:
            exp = int(text[j:k])
            if text[i + 1] == "-":
                exp = -exp
            i = k
    if i != n:
        return None
    # a value beyond any C type only needs to stay beyond it: bound the work
    # that thousands of digits or an exponent of 1e9 would cost
    scale = int_digits - len(digits) + exp
    if len(digits) > _MAX_DIGITS:
        scale += len(digits) - _MAX_DIGITS
        digits = digits[:_MAX_DIGITS]
    scale = max(-_MAX_SCALE, min(scale, _MAX_SCALE))
    v = Fraction(int("".join(digits))) * Fraction(10) ** scale
    return -v if neg else v


_MAX_DIGITS = 60        # significant digits kept; far more than any C type holds
_MAX_SCALE = 400        # 10**400: beyond every numeric range, still cheap


def _units(text: str, units, prefixes) -> tuple[str, Fraction]:
    """Strip a unit suffix (and one prefix letter) from text (UnitArg).

    Units are tried in order, the first whose suffix ends the text wins;
    whitespace between number and unit is allowed. Returns the number text
    and the multiplier (1 when no unit matched).
    """
    for suffix, mult in units:
        if text.endswith(suffix):
            num = text[:-len(suffix)]
            if num and num[-1] in prefixes:
                mult = mult * prefixes[num[-1]]
                num = num[:-1]
            return num.rstrip(cs.SPACE), mult
    return text, Fraction(1)


_SECONDS_UNITS = (("s", Fraction(1)), ("sec", Fraction(1)), ("m", Fraction(60)),
                  ("min", Fraction(60)), ("h", Fraction(3600)), ("hr", Fraction(3600)),
                  ("d", Fraction(86400)), ("day", Fraction(86400)))
_SECONDS_PREFIXES = {"m": Fraction(1, 10**3), "u": Fraction(1, 10**6), "n": Fraction(1, 10**9)}

_BANDWIDTH_UNITS = (("baud", Fraction(1, 8)), ("bps", Fraction(1, 8)), ("b/s", Fraction(1, 8)),
                    ("Bps", Fraction(1)), ("B/s", Fraction(1)))
_BANDWIDTH_PREFIXES = {"k": Fraction(10**3), "K": Fraction(10**3), "M": Fraction(10**6),
                       "G": Fraction(10**9)}


# Times saturate, as Click's do (cp_time keeps 32-bit seconds and stores the
# largest value on overflow): a huge TIMEOUT or INTERVAL means "never", and
# every time fits a C int64 of nanoseconds, even added to the current time.
TIME_MAX = Fraction(2**32) - Fraction(1, 10**9)     # seconds


def _seconds_fraction(text: str, signed: bool) -> Fraction:
    num, mult = _units(text, _SECONDS_UNITS, _SECONDS_PREFIXES)
    v = _decimal(num, signed)
    if v is None:
        raise ValueError("expected time in seconds" if not signed else "expected timestamp")
    return max(-TIME_MAX, min(v * mult, TIME_MAX))


def parse_seconds(text: str) -> float:
    """A non-negative time in seconds (SecondsArg): "1.5", "10ms", "2 min".

    Units: s sec, m min, h hr, d day; s/sec take the prefixes m, u, n
    (ms, msec, us, usec, ns, nsec). A bare number means seconds. Values
    past 2^32 seconds saturate there, as Click's do.
    """
    return float(_seconds_fraction(text, False))


def parse_timestamp(text: str, signed: bool = False) -> int:
    """A time in seconds with units, as whole nanoseconds (TimestampArg).

    Same syntax as parse_seconds, rounded to the nearest nanosecond; a
    leading '-' is accepted when signed. Nanoseconds keep Unix times exact.
    """
    v = _seconds_fraction(text, signed) * 10**9
    return int(v + Fraction(1, 2)) if v >= 0 else -int(-v + Fraction(1, 2))


def parse_bandwidth(text: str, max_value: int = 0xFFFFFFFF) -> int:
    """A bandwidth in bytes per second, rounded to an integer (BandwidthArg).

    bps, b/s and baud count bits, Bps and B/s bytes, each with an optional
    k/K, M or G prefix ("10Mbps", "1.5 kBps"); a bare number means bytes/s.
    Values above max_value (Click's 32-bit limit by default) are out of range.
    """
    num, mult = _units(text, _BANDWIDTH_UNITS, _BANDWIDTH_PREFIXES)
    v = _decimal(num)
    if v is None:
        raise ValueError("expected bandwidth")
    r = int(v * mult + Fraction(1, 2))
    if r > max_value:
        raise ValueError("out of range")
    return r


def format_real10(value: int, digits: int) -> str:
    """value / 10**digits in decimal without trailing zeros (cp_unparse_real10)."""
    sign = "-" if value < 0 else ""
    ip, fp = divmod(abs(value), 10**digits)
    if not fp:
        return f"{sign}{ip}"
    return f"{sign}{ip}.{fp:0{digits}d}".rstrip("0")


def format_bandwidth(bps: int) -> str:
    """Bytes per second as Click prints them: "8kbps", "1.5Mbps", "1Gbps"."""
    if bps >= 0x20000000:
        return format_real10(bps, 6) + "MBps"
    if bps >= 125000000:
        return format_real10(bps * 8, 9) + "Gbps"
    if bps >= 125000:
        return format_real10(bps * 8, 6) + "Mbps"
    return format_real10(bps * 8, 3) + "kbps"


def format_timestamp(ns: int) -> str:
    """Nanoseconds as "SEC.USEC" (6 digits, or 9 when not whole microseconds)."""
    sign = "-" if ns < 0 else ""
    sec, sub = divmod(abs(ns), 10**9)
    if sub % 1000 == 0:
        return f"{sign}{sec}.{sub // 1000:06d}"
    return f"{sign}{sec}.{sub:09d}"


def format_seconds(value: float | int, ns: bool = False) -> str:
    """An interval as Click prints it: "250ms", "15us", "7ns", "1.500000s".

    value is seconds (float), or nanoseconds when ns is true
    (Timestamp::unparse_interval).
    """
    t = int(value) if ns else round(value * 10**9)
    if t >= 0 and t < 10**9:
        if t % 10**6 == 0:
            return f"{t // 10**6}ms"
        if t % 1000 == 0:
            return f"{t // 1000}us"
        return f"{t}ns"
    return format_timestamp(t) + "s"


def _ip_parts(text: str, i: int, end: int) -> tuple[list[int], int]:
    """Up to four dotted decimal parts from text[i:end] (basic_parse)."""
    parts: list[int] = []
    while len(parts) < 4 and i < end and (not parts or text[i] == "."):
        j = i + (1 if parts else 0)
        if j >= end or not "0" <= text[j] <= "9":
            break
        k = j
        v = 0
        while k < end and "0" <= text[k] <= "9" and v <= 255:
            v = v * 10 + ord(text[k]) - 48
            k += 1
        if v > 255:
            break
        parts.append(v)
        i = k
    return parts, i


# the common spellings, parsed without the general scanner (100,000-route tables)
_DOTTED = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\Z")
_DOTTED_LEN = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})/([0-9]{1,2})\Z")


def parse_ip(text: str) -> bytes:
    """A dotted-quad IPv4 address ("18.26.4.15") as 4 bytes (IPAddressArg)."""
    m = _DOTTED.match(text)
    if m:
        parts = [int(x) for x in m.groups()]
        if max(parts) <= 255:
            return bytes(parts)
    parts, i = _ip_parts(text, 0, len(text))
    if len(parts) != 4 or i != len(text):
        raise ValueError("expected IP address")
    return bytes(parts)


def format_ip(addr: bytes) -> str:
    return ".".join(str(b) for b in addr)


def _prefix_len(mask: bytes) -> int:
    """Prefix length of a contiguous mask, or -1."""
    m = int.from_bytes(mask, "big")
    inv = ~m & 0xFFFFFFFF
    return 32 - inv.bit_length() if inv & (inv + 1) == 0 else -1


def _make_mask(bits: int) -> bytes:
    return ((0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF).to_bytes(4, "big")


def parse_netmask(text: str) -> bytes:
    """A mask as a prefix length 0-32 or a dotted quad, as 4 bytes.

    Non-contiguous dotted masks are accepted, as in Click's prefixes.
    """
    r = _int_span(text, True, 10)
    if r is not None and not r[1] and r[0] <= 32:
        return _make_mask(r[0])
    if r is not None and r[1] and r[0] == 0:
        return _make_mask(0)
    try:
        return parse_ip(text)
    except ValueError:
        raise ValueError("expected IP netmask") from None


def parse_ip_prefix(text: str, allow_bare: bool = True) -> tuple[bytes, bytes]:
    """An address and mask: "18.26.4/24", "1.0.0.0/255.0.0.0" (IPPrefixArg).

    The address before '/' may have fewer than four parts, but the mask may
    not cover bytes that were left out ("18.26/24" is an error). Host bits
    are kept ("10.0.0.1/8" gives 10.0.0.1). A bare address means /32 when
    allow_bare (Click's IPPrefixArg defaults to false).
    """
    m = _DOTTED_LEN.match(text)
    if m:
        parts = [int(x) for x in m.groups()]
        if max(parts[:4]) <= 255 and parts[4] <= 32:
            return bytes(parts[:4]), _make_mask(parts[4])
    slash = text.rfind("/")
    if 0 < slash < len(text) - 1:
        parts, i = _ip_parts(text, 0, slash)
        if i == slash:
            try:
                mask = parse_netmask(text[slash + 1:])
            except ValueError:
                mask = None
            if mask is not None:
                m = int.from_bytes(mask, "big")
                covered = int.from_bytes(_make_mask(len(parts) * 8), "big")
                if m & covered == m:
                    return bytes(parts + [0] * (4 - len(parts))), mask
    if allow_bare:
        try:
            return parse_ip(text), b"\xff\xff\xff\xff"
        except ValueError:
            pass
    raise ValueError("expected IP address prefix")


def format_netmask(mask: bytes) -> str:
    """A prefix length if the mask is contiguous, else a dotted quad (unparse_mask)."""
    n = _prefix_len(mask)
    return str(n) if n >= 0 else format_ip(mask)


def format_ip_prefix(addr: bytes, mask: bytes) -> str:
    return format_ip(addr) + "/" + format_netmask(mask)


def parse_ether(text: str) -> bytes:
    """An Ethernet address, 6 bytes: "00:a0:c9:9c:fd:9c" or "0-a0-c9-9c-fd-9c".

    Groups have one or two hex digits and one separator throughout
    (EtherAddressArg).
    """
    out = [0] * 6
    d = p = 0
    sep = ""
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in cs._HEX:
            if p == 2:
                break
            out[d] = (out[d] << 4 if p else 0) + int(c, 16)
            p += 1
        else:
            if not sep and c in "-:":
                sep = c
            if c == sep and p in (1, 2) and d < 5:
                p = 0
                d += 1
            else:
                break
        i += 1
    if i != n or p == 0 or d != 5:
        raise ValueError("expected Ethernet address")
    return bytes(out)


def format_ether(addr: bytes, sep: str = "-") -> str:
    """Upper-case hex pairs; Click prints dashes ("00-A0-C9-9C-FD-9C")."""
    return sep.join(f"{b:02X}" for b in addr)


def _string_end(text: str) -> int:
    """End of the first space-separated item, quotes respected (cp_string)."""
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c in cs.SPACE:
            break
        if c == '"':
            i = cs._skip_double_quote(text, i, n)
        elif c == "'":
            i = cs._skip_single_quote(text, i, n)
        elif c == "\\" and i + 1 < n and text[i + 1] == "<":
            i = cs._skip_backslash(text, i, n)
        else:
            i += 1
    return i


def parse_string(text: str) -> str:
    """One possibly-quoted item, unquoted (StringArg): no unquoted spaces, not empty.

    '"a b"' gives 'a b'; 'a b' is an error, as in Click.
    """
    if not text or _string_end(text) != len(text):
        raise ValueError("expected string")
    return cs.unquote(text)


def parse_word(text: str) -> str:
    """Like parse_string, but the result must be a word (no spaces, quotes, commas)."""
    try:
        w = parse_string(text)
    except ValueError:
        w = ""
    if not cs.is_word(w):
        raise ValueError("expected word")
    return w


def parse_data(text: str) -> bytes:
    """Like parse_string, as bytes: '"\\<00 ff>"' or \\<00 ff> give b'\\x00\\xff'."""
    try:
        return cs.to_bytes(parse_string(text))
    except ValueError:
        raise ValueError("expected data") from None


def parse_keyword(text: str) -> str:
    """A keyword: letters, digits and '_.:?!' (KeywordArg)."""
    if not text or not all(c.isascii() and (c.isalnum() or c in "_.:?!") for c in text):
        raise ValueError("expected keyword")
    return text


def parse_filename(text: str) -> str:
    """A file name (FilenameArg): a string, '~' expanded, '//' collapsed."""
    try:
        fn = parse_string(text)
    except ValueError:
        fn = ""
    if not fn:
        raise ValueError("expected filename")
    if fn.startswith("~"):
        fn = os.path.expanduser(fn)
    while "//" in fn:
        fn = fn.replace("//", "/")
    return fn


def parse_element_name(text: str) -> str:
    """An element name, kept as text; resolving it is the router's job (ElementArg)."""
    if not cs.is_click_id(text):
        raise ValueError("does not name an element")
    return text
