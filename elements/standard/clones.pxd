# clones.pxd -- pushing copies of a batch: Tee, PullTee and Hub
#
# Inline only: compiled into each element that cimports it.
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, pkt_clone


cdef inline void push_clones(Element e, int port, Batch *b) noexcept nogil:
    """Pushes clones of the packets in ``b`` out of ``port``; ``b`` is kept.
    A clone the pool has no packet for is skipped."""
    cdef Batch c
    cdef uint32_t j
    c.n = 0
    for j in range(b.n):
        c.p[c.n] = pkt_clone(b.p[j])
        if c.p[c.n] != NULL:
            c.n += 1
    if c.n:
        e.output_push(port, &c)
