# setipchecksum.pyx -- SetIPChecksum: recomputes the IPv4 header checksum
import sys

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport IP_HLEN_MIN, IP_SUM, ip_hlen, store_be16
from clickpy.runtime.packet cimport Batch, Packet, pkt_uniqueify


cdef class SetIPChecksum(Element):
    """
    =c
    SetIPChecksum()
    =s ip
    sets IP packets' checksums
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Computes each packet's IPv4 header checksum (RFC 1071) and stores it.
    The header is where the network header annotation points, or at the
    start of the data when there is none. Packets too short for a 20-byte
    header, whose header length is below 20 bytes, or whose header runs
    past the end are dropped; the first one prints a message to standard
    error.

    Elements that change an IP header, like DecIPTTL, SetIPDSCP and
    IPRewriter, already patch the checksum; SetIPChecksum is for headers
    built or edited by other means.
    =n
    A network header annotation pointing before the packet data (after a
    Strip) counts as bad in clickpy; Click checksums that header in place.
    =e
      ... -> StoreIPAddress(10.0.0.1, 12) -> SetIPChecksum -> ...
    =h drops read-only
    Number of packets dropped as bad.
    =a CheckIPHeader, DecIPTTL, SetIPDSCP, IPRewriter
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = ()

    cdef uint64_t n_drops       # bad packets dropped

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetIPChecksum.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetIPChecksum.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef int64_t avail
        cdef uint32_t hlen
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = p.buf.start + p.network_off if p.network_off >= 0 else p.data
        avail = <int64_t>(p.data + p.length - ip)
        if ip >= p.data and avail >= IP_HLEN_MIN:
            hlen = ip_hlen(ip)
            if hlen >= IP_HLEN_MIN and hlen <= avail:
                store_be16(ip + IP_SUM, 0)
                store_be16(ip + IP_SUM, csum(ip, hlen))
                return 0
        self.n_drops += 1
        if self.n_drops == 1:
            with gil:
                sys.stderr.write("SetIPChecksum: bad input packet\n")
        return DROP

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
