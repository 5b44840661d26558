# setipdscp.pyx -- SetIPDSCP: sets the DSCP bits of the IPv4 TOS byte
from libc.stdint cimport uint32_t, uint8_t

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.headers cimport IP_TOS, pkt_ip_header
from clickpy.runtime.packet cimport Batch, Packet, pkt_uniqueify
from clickpy.elements.ip.iptos cimport ip_set_tos
from clickpy.runtime.args import MANDATORY, POSITIONAL, Arg, Unsigned


def _dscp(value):
    if value > 0x3F:
        raise ValueError("diffserv code point out of range")
    return value


cdef class SetIPDSCP(Element):
    """
    =c
    SetIPDSCP(DSCP)
    =s ip
    sets IP packets' DSCP fields
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Expects IPv4 packets with the network header annotation set. Sets the
    Differentiated Services Code Point, the upper six bits of the TOS byte
    (RFC 2474), to DSCP, keeps the two ECN bits, and patches the header
    checksum incrementally (RFC 1624).
    =item DSCP
    Unsigned 0-63. The code point. Mandatory.
    =n
    Click requires the annotation; clickpy drops packets without it or
    with fewer than 20 header bytes there, and packets it cannot unshare
    for lack of buffers.
    =e
      ... -> CheckIPHeader -> SetIPDSCP(46) -> ...
    =h dscp read/write
    The code point, as DSCP.
    =a SetIPChecksum, MarkIPCE, IPEncap
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("DSCP", Unsigned, MANDATORY | POSITIONAL),)

    cdef uint8_t tos_bits       # DSCP << 2

    def configure(self, args):
        self.tos_bits = _dscp(args.DSCP) << 2

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>SetIPDSCP.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>SetIPDSCP.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip = pkt_ip_header(p)
        if ip == NULL or pkt_uniqueify(p) < 0:
            return DROP
        ip = pkt_ip_header(p)               # the data may have moved
        ip_set_tos(ip, (ip[IP_TOS] & 0x03) | self.tos_bits)
        return 0

    def add_handlers(self):
        self.add_read_handler("dscp", lambda: self.tos_bits >> 2)
        self.add_write_handler("dscp", self._write_dscp)

    def _write_dscp(self, text):
        try:
            self.tos_bits = _dscp(Unsigned.parse(text.strip())) << 2
        except ValueError as e:
            raise ValueError(f"DSCP: {e}") from None
