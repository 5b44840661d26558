# fixipsrc.pyx -- FixIPSrc: rewrites the IPv4 source address of packets marked for it
from libc.stdint cimport uint8_t, uint32_t
from libc.string cimport memcpy

from clickpy.runtime.checksum cimport csum
from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_HLEN_MIN,
    IP_SRC,
    IP_SUM,
    ip_hlen,
    pkt_ip_header,
    store_be16,
)
from clickpy.runtime.packet cimport ANNO_FIX_IP_SRC, Batch, Packet, pkt_uniqueify
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, IPAddress


cdef class FixIPSrc(Element):
    """
    =c
    FixIPSrc(IPADDR)
    =s ip
    sets IP source field if requested by annotation
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects IPv4 packets with the network header annotation set. A packet
    whose Fix IP Source annotation is set gets its source address replaced
    by IPADDR, its header checksum recomputed and the annotation cleared;
    other packets pass unchanged. Elements such as ICMPError set the
    annotation on packets whose source must be the address of the
    interface they leave by (RFC 1812 4.3.2.4).
    =item IPADDR
    IP address or AddressInfo name. The outgoing interface's address.
    Mandatory.
    =n
    The annotation is clickpy's FIX_IP_SRC byte. Click recomputes the
    checksum over whatever header length the packet claims; clickpy passes
    a marked packet unchanged when its header length is below 20 bytes or
    runs past the packet, and drops it when no buffer is left to unshare
    it.
    =e
      ... -> ICMPError(10.0.0.1, timeexceeded) -> ... -> FixIPSrc(10.0.0.1) -> ...
    =a ICMPError
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("IPADDR", IPAddress, MANDATORY | POSITIONAL),)

    cdef uint8_t addr[4]        # IPADDR, network order

    def configure(self, args):
        cdef bytes a = args.IPADDR
        memcpy(self.addr, <const char *>a, 4)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>FixIPSrc.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>FixIPSrc.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint32_t hlen
        if not p.anno[ANNO_FIX_IP_SRC]:
            return 0
        ip = pkt_ip_header(p)
        if ip == NULL:
            return 0
        hlen = ip_hlen(ip)
        if hlen < IP_HLEN_MIN or hlen > <uint32_t>(p.data + p.length - ip):
            return 0
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)               # the data may have moved
        p.anno[ANNO_FIX_IP_SRC] = 0
        memcpy(ip + IP_SRC, self.addr, 4)
        store_be16(ip + IP_SUM, 0)
        store_be16(ip + IP_SUM, csum(ip, hlen))
        return 0
