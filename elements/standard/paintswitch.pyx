# paintswitch.pyx -- PaintSwitch: the paint annotation names the output port
from libc.stdint cimport uint8_t, uint32_t

from clickpy.runtime.element cimport Element, Emitter, emit, emit_flush, emit_init
from clickpy.runtime.packet cimport (
    ANNO_PAINT,
    Batch,
    Packet,
    pkt_clone,
    pkt_kill,
)
from clickpy.runtime.args import POSITIONAL, AnnoArg, Arg

cdef enum:
    PAINT_ALL = 255             # this paint value sends a packet to every output


cdef class PaintSwitch(Element):
    """
    =c
    PaintSwitch([ANNO])
    =s paint
    sends packet stream to output chosen per-packet
    =io
    One input, any number of outputs.
    =processing
    Push.
    =d
    Sends each packet to output K, where K is its paint annotation (or the
    one-byte annotation named by ANNO). A packet painted 255 goes to every
    output (clones to all but the last). A packet whose output does not
    exist is dropped.
    =item ANNO
    Annotation. A one-byte annotation name or an offset 0-47. Default is
    PAINT.
    =n
    When the pool has no packet left for a clone, the clone is skipped.
    =e
      ... -> ps :: PaintSwitch; ps[0] -> a; ps[1] -> b;
    =a Paint, PaintTee, StaticSwitch, Switch
    """
    port_count = "1/-"
    processing = "h/h"
    ARGS = (Arg("ANNO", AnnoArg(1), POSITIONAL, default=ANNO_PAINT),)

    cdef uint8_t anno           # ANNO: annotation byte offset

    def configure(self, args):
        self.anno = args.ANNO

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef uint32_t i
        cdef int out, j, nout = self._noutputs
        cdef Packet *p
        cdef Packet *q
        cdef Emitter em
        emit_init(&em)
        for i in range(b.n):
            p = b.p[i]
            out = p.anno[self.anno]
            if out != PAINT_ALL:
                if out < nout:
                    emit(self, &em, out, p)
                else:
                    pkt_kill(p)
                continue
            if nout == 0:
                pkt_kill(p)
                continue
            for j in range(nout - 1):
                q = pkt_clone(p)
                if q != NULL:
                    emit(self, &em, j, q)
            emit(self, &em, nout - 1, p)
        b.n = 0
        emit_flush(self, &em)
