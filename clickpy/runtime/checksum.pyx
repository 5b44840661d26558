# checksum.pyx -- the runtime's Internet checksum for Python callers (tools, tests, dumps)
"""Python access to checksum.pxd's C code: one implementation for the data
path and for the host-side tools that build packets (FromIPSummaryDump,
``clickpy bench``)."""
from libc.stdint cimport uint8_t, uint32_t

__all__ = ["internet_checksum"]


def internet_checksum(const uint8_t[::1] data not None):
    """The RFC 1071 Internet checksum of ``data`` (bytes-like), as a number:
    the value to store, big-endian, in a checksum field that was zero."""
    if data.shape[0] == 0:
        return 0xFFFF
    return csum(&data[0], <uint32_t>data.shape[0])
