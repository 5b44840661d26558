"""octets -- integers read from packet bytes: big-endian header words, little-endian annotations."""
from __future__ import annotations

import struct


def u16(d, i: int) -> int:
    return (d[i] << 8) | d[i + 1]


def u32(d, i: int) -> int:
    return (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]


def u32le(d, i: int) -> int:
    return struct.unpack_from("<I", d, i)[0]
