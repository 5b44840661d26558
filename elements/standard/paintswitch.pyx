# paintswitch.pyx -- PaintSwitch: the paint annotation names the output port
from libc.stdint cimport uint8_t, uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport (
    ANNO_PAINT,
    BATCH_MAX,
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
    Within a batch, packets reach each output in arrival order, but the
    outputs are served one after another. When the pool has no packet left
    for a clone, the clone is skipped.
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

    cdef inline void _emit(self, int out, Packet *p, Batch *b, uint32_t *keep) noexcept nogil:
        cdef Batch *s
        if out == 0:
            b.p[keep[0]] = p            # output 0 reuses the input batch; keep <= current index
            keep[0] += 1
        elif out < self._noutputs:
            s = &self._split[out]
            s.p[s.n] = p
            s.n += 1
            if s.n == BATCH_MAX:
                self._flush_splits()
        else:
            pkt_kill(p)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef uint32_t i, n = b.n, keep = 0
        cdef int out, j, nout = self._noutputs
        cdef Packet *p
        cdef Packet *q
        for i in range(n):
            p = b.p[i]
            out = p.anno[self.anno]
            if out != PAINT_ALL:
                self._emit(out, p, b, &keep)
                continue
            if nout == 0:
                pkt_kill(p)
                continue
            for j in range(nout - 1):
                q = pkt_clone(p)
                if q != NULL:
                    self._emit(j, q, b, &keep)
            self._emit(nout - 1, p, b, &keep)
        b.n = keep
        if keep:
            self.output_push(0, b)
        self._flush_splits()
