# align.pyx -- Align: moves packet data so its first byte sits at a chosen alignment
from libc.stdint cimport int32_t, uint32_t, uintptr_t
from libc.string cimport memmove

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport (
    Batch,
    Packet,
    pkt_expand,
    pkt_headroom,
    pkt_shared,
    pkt_tailroom,
    pkt_uniqueify,
)
from clickpy.runtime.args import POSITIONAL, MANDATORY, Unsigned, Arg


cdef class Align(Element):
    """
    =c
    Align(MODULUS, OFFSET)
    =s basicmod
    aligns packet data
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Makes each packet's first data byte lie OFFSET bytes past a
    MODULUS-byte boundary in memory. The data is moved within its buffer
    when there is room, copied to a new buffer otherwise; packets sharing
    their data with clones are copied first.
    =item MODULUS
    Unsigned. 2, 4 or 8. Mandatory.
    =item OFFSET
    Unsigned. Smaller than MODULUS. Mandatory.
    =n
    A packet is dropped when no buffer is left for a copy. clickpy has no
    click-align tool; insert Align by hand where an element needs aligned
    data.
    =e
      ... -> Align(4, 2) -> ...
    =a AlignmentInfo
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("MODULUS", Unsigned, MANDATORY | POSITIONAL),
            Arg("OFFSET", Unsigned, MANDATORY | POSITIONAL))

    cdef uint32_t offset        # OFFSET
    cdef uint32_t mask          # MODULUS - 1

    def configure(self, args):
        if args.MODULUS not in (2, 4, 8):
            raise ValueError("MODULUS must be 2, 4, or 8")
        if args.OFFSET >= args.MODULUS:
            raise ValueError("OFFSET must be smaller than MODULUS")
        self.offset = args.OFFSET
        self.mask = args.MODULUS - 1

    cdef inline uint32_t _delta(self, Packet *p) noexcept nogil:
        """Bytes to move the data forward (0 to mask) to reach the alignment."""
        return (self.offset - <uint32_t>(<uintptr_t>p.data & self.mask)) & self.mask

    cdef inline void _shift(self, Packet *p, int32_t d) noexcept nogil:
        """Moves the data ``d`` bytes within its buffer; header offsets follow."""
        memmove(p.data + d, p.data, p.length)
        p.data += d
        if p.network_off >= 0:
            p.network_off += d
        if p.transport_off >= 0:
            p.transport_off += d

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Align.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Align.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint32_t d = self._delta(p)
        if d == 0:
            return 0
        if pkt_shared(p):
            if pkt_uniqueify(p) < 0:
                return DROP
            d = self._delta(p)
            if d == 0:
                return 0
        if pkt_tailroom(p) < d and pkt_headroom(p) < self.mask + 1 - d:
            if pkt_expand(p, self.mask + 1, self.mask + 1) == NULL:
                return DROP
            d = self._delta(p)
            if d == 0:
                return 0
        if pkt_tailroom(p) >= d:
            self._shift(p, <int32_t>d)
        else:
            self._shift(p, -<int32_t>(self.mask + 1 - d))
        return 0
