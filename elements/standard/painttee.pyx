# painttee.pyx -- PaintTee: passes every packet on, copying those of one color to output 1
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_PAINT, Batch, Packet, pkt_clone
from clickpy.elements.standard.paintbase cimport PaintBase
from clickpy.runtime.args import MANDATORY, POSITIONAL, U8, AnnoArg, Arg


cdef class PaintTee(PaintBase):
    """
    =c
    PaintTee(COLOR [, ANNO])
    =s paint
    duplicates packets with given paint annotation
    =io
    One input. Output 0: every packet. Output 1: copies of the packets
    painted COLOR.
    =processing
    Agnostic; output 1 is push.
    =d
    Sends every packet to output 0. When a packet's paint annotation (or
    the one-byte annotation named by ANNO) equals COLOR, a clone of it also
    goes to output 1.
    =item COLOR
    Integer 0-255. The color to copy. Mandatory.
    =item ANNO
    Annotation. A one-byte annotation name or an offset 0-47. Default is
    PAINT.
    =n
    When the pool has no packet left for a clone, the clone is skipped.
    =e
      FromDevice(eth7) -> Paint(7) -> ...
      rt[7] -> pt :: PaintTee(7) -> ... -> ToDevice(eth7);
      pt[1] -> ICMPError(18.26.4.24, 5, 1) -> [0]rt;
    =h color read/write
    The color, an integer 0-255.
    =a Paint, CheckPaint, ICMPError
    """
    port_count = "1/2"
    processing = "a/ah"
    ARGS = (Arg("COLOR", U8, MANDATORY | POSITIONAL),
            Arg("ANNO", AnnoArg(1), POSITIONAL, default=ANNO_PAINT))

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>PaintTee.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>PaintTee.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef Packet *q
        if p.anno[self.anno] == self.color:
            q = pkt_clone(p)
            if q != NULL:
                self.output_push_one(1, q)      # the copy goes first, as in Click
        return 0
