# iptos.pxd -- rewriting the IPv4 TOS byte: MarkIPCE and SetIPDSCP
#
# Inline only: compiled into each element that cimports it.
from libc.stdint cimport uint8_t, uint16_t

from clickpy.runtime.checksum cimport csum_replace16
from clickpy.runtime.headers cimport IP_SUM, IP_TOS, IP_VHL, load_be16


cdef inline void ip_set_tos(uint8_t *ip, uint8_t tos) noexcept nogil:
    """Writes ``tos`` into the TOS byte of the (writable) header ``ip`` and
    patches the header checksum (RFC 1624): the TOS byte shares a 16-bit
    word with version and header length."""
    cdef uint16_t old = load_be16(ip + IP_VHL)
    ip[IP_TOS] = tos
    csum_replace16(ip + IP_SUM, old, load_be16(ip + IP_VHL))
