# markipce.pyx -- MarkIPCE: marks ECN-capable IPv4 packets Congestion Experienced
from libc.stdint cimport uint32_t, uint64_t, uint8_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport IP_TOS, pkt_ip_header
from clickpy.runtime.packet cimport Batch, Packet, pkt_uniqueify
from clickpy.elements.ip.iptos cimport ip_set_tos
from clickpy.runtime.args import POSITIONAL, Arg, Bool

cdef enum:
    IP_ECNMASK = 0x03           # ECN field, low bits of the TOS byte (RFC 3168 5)
    IP_ECN_NOT_ECT = 0x00
    IP_ECN_CE = 0x03


cdef class MarkIPCE(Element):
    """
    =c
    MarkIPCE([FORCE])
    =s ip
    sets IP packets' ECN field to Congestion Experienced
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects IPv4 packets with the network header annotation set. Sets the
    ECN field of each packet to Congestion Experienced (3) and patches the
    header checksum incrementally (RFC 1624). Packets already marked CE
    pass unchanged. Packets that are not ECN-capable (ECN field 0) are
    dropped, as RFC 3168 section 5 has a router do instead of marking,
    unless FORCE is true, when they are marked too.
    =item FORCE
    Boolean. Mark packets that are not ECN-capable as well. Default is
    false.
    =n
    Click never counts its drops (its drops handler stays 0); clickpy
    counts the not-ECN-capable packets it drops. Packets without an IP
    header annotation, with fewer than 20 header bytes there, or that
    cannot be unshared for lack of buffers are dropped (and not counted);
    Click requires the annotation.
    =e
      ... -> CheckIPHeader -> RED(...) -> MarkIPCE -> ...
    =h drops read-only
    Number of packets dropped because they were not ECN-capable.
    =a SetIPDSCP, IPEncap
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("FORCE", Bool, POSITIONAL, default=False),)

    cdef bint force             # FORCE: mark not-ECT packets too
    cdef uint64_t n_drops       # not-ECT packets dropped

    def configure(self, args):
        self.force = args.FORCE

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>MarkIPCE.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>MarkIPCE.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        cdef uint8_t ecn
        if ip == NULL:
            return DROP
        ecn = ip[IP_TOS] & IP_ECNMASK
        if ecn == IP_ECN_NOT_ECT and not self.force:
            self.n_drops += 1
            return DROP
        if ecn == IP_ECN_CE:
            return 0
        if pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)               # the data may have moved
        ip_set_tos(ip, ip[IP_TOS] | IP_ECN_CE)
        return 0

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
