"""nameinfo -- protocol names and numbers, one table each (Click's NameInfo and IPNameInfo).

Every element and tool that reads or prints a protocol name takes it from
here: IP protocols, ICMP types and codes, TCP/UDP service ports, TCP flags.
Lookups by name fall back on the system's /etc/protocols and /etc/services
as Click's user-level driver does.
"""
from __future__ import annotations

import functools
import socket

__all__ = [
    "IP_PROTOS", "IP_PROTO_TCP_OR_UDP", "IP_PROTO_TRANSP", "IP_PROTO_PAYLOAD",
    "ICMP_TYPES", "ICMP_CODES", "PORTS", "TCP_FLAGS", "TCP_FLAG_CHARS", "ICMP_ERROR_TYPES",
    "ip_proto", "ip_proto_name", "icmp_type", "icmp_type_name", "icmp_code", "icmp_code_name",
    "port", "tcp_flags_text",
    "IP_PROTO_ICMP", "IP_PROTO_TCP", "IP_PROTO_UDP", "IP_PROTO_DCCP", "IP_PROTO_UDPLITE",
    "IP_PORT_PROTOS", "ICMP_ID_TYPES", "IP_ECN", "TCP_FLAG_OLD_CHARS",
    "ip_ecn", "ip_ecn_name", "tcp_flags",
]

# pseudo-protocols of the IP filter language (Click's IP_PROTO_* above 255)
IP_PROTO_TCP_OR_UDP = 0x10000       # "tcpudp"
IP_PROTO_TRANSP = 0x10001           # "transp": any transport protocol
IP_PROTO_PAYLOAD = 0x10002          # "payload"

# real protocol numbers that code tests for (headers.pxd has the same for Cython)
IP_PROTO_ICMP, IP_PROTO_TCP, IP_PROTO_UDP, IP_PROTO_DCCP = 1, 6, 17, 33
IP_PROTO_UDPLITE = 136              # unnamed in Click's table, so not in IP_PROTOS

# protocols whose header starts with 16-bit source and destination ports
IP_PORT_PROTOS = (IP_PROTO_TCP, IP_PROTO_UDP, IP_PROTO_DCCP, IP_PROTO_UDPLITE)

# IP protocols by name (Click's IPNameInfo T_IP_PROTO table)
IP_PROTOS = {
    "dccp": IP_PROTO_DCCP, "gre": 47, "icmp": IP_PROTO_ICMP, "igmp": 2, "ipip": 4, "sctp": 132,
    "tcp": IP_PROTO_TCP, "udp": IP_PROTO_UDP,
    "payload": IP_PROTO_PAYLOAD, "tcpudp": IP_PROTO_TCP_OR_UDP, "transp": IP_PROTO_TRANSP,
}

# ICMP message types by name (RFC 792, 950, 1256)
ICMP_TYPES = {
    "echo-reply": 0, "unreachable": 3, "sourcequench": 4, "redirect": 5, "echo": 8,
    "routeradvert": 9, "routersolicit": 10, "timeexceeded": 11, "parameterproblem": 12,
    "timestamp": 13, "timestamp-reply": 14, "inforeq": 15, "inforeq-reply": 16,
    "maskreq": 17, "maskreq-reply": 18,
}

# ICMP codes by name, for the types that name theirs (RFC 792, RFC 1812 5.2.7.1)
ICMP_CODES = {
    3: {"net": 0, "host": 1, "protocol": 2, "port": 3, "needfrag": 4, "srcroutefail": 5,
        "netunknown": 6, "hostunknown": 7, "isolated": 8, "netprohibited": 9,
        "hostprohibited": 10, "tosnet": 11, "toshost": 12, "filterprohibited": 13,
        "hostprecedence": 14, "precedencecutoff": 15},
    5: {"net": 0, "host": 1, "tosnet": 2, "toshost": 3},
    11: {"transit": 0, "reassembly": 1},
    12: {"erroratptr": 0, "missingopt": 1, "length": 2},
}

ICMP_ERROR_TYPES = (3, 4, 5, 11, 12)    # unreachable, sourcequench, redirect, timeexceeded, ...

# messages with an identifier and sequence number: echo, timestamp, inforeq and their replies
ICMP_ID_TYPES = (0, 8, 13, 14, 15, 16)

# the IP ECN field's values by name: Click's words first, then RFC 3168's
IP_ECN = {"no": 0, "ect1": 1, "ect2": 2, "ce": 3, "ECT(1)": 1, "ECT(0)": 2, "CE": 3}

# TCP and UDP service ports by name (Click's built-in table; /etc/services adds more)
PORTS = {
    "auth": 113, "bootpc": 68, "bootps": 67, "chargen": 19, "daytime": 13, "discard": 9,
    "dns": 53, "domain": 53, "echo": 7, "finger": 79, "ftp": 21, "ftp-data": 20,
    "https": 443, "imap3": 220, "imaps": 993, "irc": 194, "netbios-dgm": 138,
    "netbios-ns": 137, "netbios-ssn": 139, "nntp": 119, "ntp": 123, "pop3": 110,
    "pop3s": 995, "pptp": 1723, "rip": 520, "route": 520, "smtp": 25, "snmp": 161,
    "snmp-trap": 162, "ssh": 22, "sunrpc": 111, "telnet": 23, "tftp": 69, "www": 80,
}

# TCP header flags by name (Click's T_TCP_OPT table: "tcp opt syn")
TCP_FLAGS = {"fin": 0x01, "syn": 0x02, "rst": 0x04, "psh": 0x08, "ack": 0x10, "urg": 0x20}

# one letter a flag, bit 0 (FIN) to bit 8 (NS), as IP summary dumps write flags
TCP_FLAG_CHARS = "FSRPAUECN"

# letters older dumps used, read but never written: bit numbers (X: ECE; W, Y: CWR)
TCP_FLAG_OLD_CHARS = {"W": 7, "X": 6, "Y": 7}


@functools.cache
def _reverse(table_id: int) -> dict[int, str]:
    table = {0: IP_PROTOS, 1: ICMP_TYPES, 2: IP_ECN}[table_id]
    out = {}
    for name, number in table.items():
        out.setdefault(number, name)        # the first name listed wins
    return out


def ip_proto(text: str) -> int | None:
    """An IP protocol number for a name (Click's table, then /etc/protocols), or None."""
    if text in IP_PROTOS:
        return IP_PROTOS[text]
    try:
        return socket.getprotobyname(text)
    except OSError:
        return None


def ip_proto_name(number: int) -> str | None:
    """Click's name for a real IP protocol number (0-255), or None."""
    return _reverse(0).get(number) if number < 256 else None


def icmp_type(text: str) -> int | None:
    return ICMP_TYPES.get(text)


def icmp_type_name(number: int) -> str | None:
    return _reverse(1).get(number)


def icmp_code(icmp_type_number: int, text: str) -> int | None:
    return ICMP_CODES.get(icmp_type_number, {}).get(text)


def icmp_code_name(icmp_type_number: int, code: int) -> str | None:
    for name, number in ICMP_CODES.get(icmp_type_number, {}).items():
        if number == code:
            return name
    return None


def port(text: str, proto: str = "tcp") -> int | None:
    """A port number for a service name (Click's table, then /etc/services), or None."""
    if text in PORTS:
        return PORTS[text]
    try:
        return socket.getservbyname(text, proto)
    except OSError:
        return None


def tcp_flags_text(flags: int) -> str:
    """Flags as letters, FIN first ("SA" for SYN-ACK), as IP summary dumps print them."""
    return "".join(c for i, c in enumerate(TCP_FLAG_CHARS) if flags & (1 << i))


def tcp_flags(text: str) -> int | None:
    """Flags from letters ("SA" -> 0x12; old letters too), the inverse of tcp_flags_text;
    None when a letter names no flag."""
    flags = 0
    for c in text:
        bit = TCP_FLAG_CHARS.find(c) if c in TCP_FLAG_CHARS else TCP_FLAG_OLD_CHARS.get(c)
        if bit is None:
            return None
        flags |= 1 << bit
    return flags


def ip_ecn(text: str) -> int | None:
    return IP_ECN.get(text)


def ip_ecn_name(value: int) -> str | None:
    """Click's word for an ECN value (0-3): "no", "ect1", "ect2", "ce"."""
    return _reverse(2).get(value)
