"""reader -- dump text to packets: field lists, header lines, a line's words (FromIPSummaryDump)."""
from __future__ import annotations

import socket
from collections.abc import Callable

from clickpy.io.ipsummary.builder import Builder
from clickpy.io.ipsummary.fields import Field, field_words
from clickpy.io.ipsummary.values import PROTO_LETTERS
from clickpy.runtime.nameinfo import IP_PROTOS

BANNER_WORD = "!IPSummaryDump"
# lines that may open a dump written without a banner
HEADER_WORDS = ("!creator", "!data", "!contents", "!proto", "!flowid")
_PROTO_NAMES = ("tcp", "udp", "icmp")


def read_fields(text: str, warn: Callable[[str], None] | None = None) -> list[Field | None]:
    """A field list to read. A name that is unknown, or that cannot be read
    back (payload_md5), raises ValueError, or with ``warn`` is reported to it
    and stands as None (its words are skipped)."""
    fields = []
    for word, f in field_words(text):
        if f is None or f.inject is None:
            if warn is None:
                raise ValueError(f"unknown content type '{word}'")
            what = "unknown content type" if f is None else "content type ignored on input"
            warn(f"{what} '{word}'")
            f = None
        fields.append(f)
    return fields


def minor_version(banner: str) -> int | None:
    """N of a '!IPSummaryDump 1.N' line, or None when it does not say."""
    try:
        _major, minor = banner.split()[1].split(".")
        return int(minor)
    except (IndexError, ValueError):
        return None


def dump_proto(word: str) -> int | None:
    """A protocol of '!proto' or FLOWID: T, U, I, tcp, udp, icmp or a number below 256."""
    if word in PROTO_LETTERS:
        return PROTO_LETTERS[word]
    if word in _PROTO_NAMES:
        return IP_PROTOS[word]
    if word.isdigit() and int(word) < 256:
        return int(word)
    return None


def parse_flowid(text: str) -> tuple[tuple, str | None]:
    """'SRC SPORT DST DPORT [PROTO]' ('-' for none): ((src4, sport, dst4, dport), PROTO word)."""
    words = text.split()
    try:
        src = socket.inet_aton(words[0]) if words[0] != "-" else bytes(4)
        sport = int(words[1]) if words[1] != "-" else 0
        dst = socket.inet_aton(words[2]) if words[2] != "-" else bytes(4)
        dport = int(words[3]) if words[3] != "-" else 0
        if sport > 65535 or dport > 65535:
            raise ValueError
    except (IndexError, ValueError, OSError):
        raise ValueError("bad !flowid specification") from None
    return (src, sport, dst, dport), (words[4] if len(words) >= 5 else None)


def split_line(line: str, n: int) -> list[str]:
    """The first ``n`` words of a line; double-quoted words may hold spaces."""
    out, i, end = [], 0, len(line)
    while len(out) < n and i < end:
        while i < end and line[i] in " \t\r":
            i += 1
        if i >= end:
            break
        j = i
        while j < end and line[j] not in " \t\r":
            if line[j] == '"':
                j += 1
                while j < end and line[j] != '"':
                    j += 2 if line[j] == "\\" else 1
            j += 1
        out.append(line[i:j])
        i = j
    return out


def make_packet(fields: list[Field | None], line: str, builder: Builder, checksum: bool):
    """A packet from one line: (data, network offset or -1, timestamp ns, annotations,
    extra length, IP header length), or None when no field could be read."""
    args, nfields = split_line(line, len(fields)), 0
    order = sorted(range(len(fields)), key=lambda i: (fields[i].order if fields[i] else 0, i))
    for i in order:
        f = fields[i]
        if f is None or i >= len(args) or args[i] == "-":
            continue
        try:
            value = f.parse(args[i])
        except (ValueError, OSError, UnicodeEncodeError):
            continue
        f.inject(builder, value)
        nfields += 1
    if not nfields:
        return None
    data, nh, extra = builder.finish(checksum)
    hl = (builder.ip[0] & 15) * 4 if nh >= 0 else 0
    return data, nh, builder.ts_ns, bytes(builder.anno), extra, hl
