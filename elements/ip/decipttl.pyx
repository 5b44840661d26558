# decipttl.pyx -- DecIPTTL: decrements IPv4 time-to-live and patches the checksum
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t

from clickpy.runtime.checksum cimport csum_replace16
from clickpy.runtime.element cimport DROP, Element, action_fn, pull_actions, push_actions
from clickpy.runtime.headers cimport (
    IP_DST,
    IP_SUM,
    IP_TTL,
    ip_addr_is_multicast,
    load_be16,
    pkt_ip_header,
)
from clickpy.runtime.packet cimport Batch, Packet, pkt_shared, pkt_uniqueify
from clickpy.runtime.args import Arg, Bool


cdef class DecIPTTL(Element):
    """
    =c
    DecIPTTL([ACTIVE, MULTICAST])
    =s ip
    decrements IP time-to-live, drops dead packets
    =io
    One input. Output 0: packets whose TTL was decremented. Output 1
    (optional): expired packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Expects IPv4 packets with the network header annotation set (by
    CheckIPHeader or MarkIPHeader). A packet whose time-to-live is 0 or 1
    has expired: it leaves on output 1 unchanged, or is dropped when output
    1 is not connected. Any other packet gets its TTL lowered by one and
    its header checksum patched incrementally (RFC 1624), after its data
    is made its own (a clone's buffer is copied first), and leaves on
    output 0.

    Output 1 is usually connected to ICMPError, to send time exceeded
    messages.
    =item ACTIVE
    Boolean. When false, packets pass through unchanged. Default is true.
    =item MULTICAST
    Boolean. When false, multicast packets (destination in 224.0.0.0/4)
    pass through unchanged. Default is true.
    =n
    Click asserts that the network header annotation is set. clickpy drops
    (and does not count under drops) packets without it or with fewer than
    20 header bytes there, and packets it cannot copy because the packet
    pool is empty.
    =e
      ... -> CheckIPHeader -> dt :: DecIPTTL -> ...
      dt[1] -> ICMPError(18.26.4.24, timeexceeded) -> ...
    =h drops read-only
    Number of expired packets (sent to output 1 or dropped there).
    =h active read/write
    Same as ACTIVE.
    =a ICMPError, CheckIPHeader, MarkIPHeader
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("ACTIVE", Bool, default=True),
            Arg("MULTICAST", Bool, default=True))

    cdef bint active            # ACTIVE: decrement at all
    cdef bint multicast         # MULTICAST: decrement multicast packets too
    cdef uint64_t n_drops       # expired packets

    def configure(self, args):
        self.active = args.ACTIVE
        self.multicast = args.MULTICAST

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>DecIPTTL.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>DecIPTTL.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint8_t *ip
        cdef uint8_t ttl
        cdef uint16_t word
        if not self.active:
            return 0
        ip = pkt_ip_header(p)
        if ip == NULL:
            return DROP
        if not self.multicast and ip_addr_is_multicast(ip + IP_DST):
            return 0
        ttl = ip[IP_TTL]
        if ttl <= 1:
            self.n_drops += 1
            return 1                        # expired: ICMP time exceeded territory
        if pkt_shared(p):                   # a clone sees this data: copy before writing
            if pkt_uniqueify(p) < 0:        # pool empty
                return DROP
            ip = pkt_ip_header(p)           # the data moved
        # TTL shares a 16-bit word with the protocol: old and new word for RFC 1624
        word = load_be16(ip + IP_TTL)
        csum_replace16(ip + IP_SUM, word, <uint16_t>(word - 0x0100))
        ip[IP_TTL] = ttl - 1
        return 0

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
        self.add_read_handler("active", lambda: self.active)
        self.add_write_handler("active", self._write_active)

    def _write_active(self, value):
        self.active = Bool.parse(value.strip())
