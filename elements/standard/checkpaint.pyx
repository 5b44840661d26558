# checkpaint.pyx -- CheckPaint: splits packets by whether an annotation byte holds a color
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_PAINT, Batch, Packet
from clickpy.elements.standard.paintbase cimport PaintBase
from clickpy.runtime.args import MANDATORY, POSITIONAL, U8, AnnoArg, Arg


cdef class CheckPaint(PaintBase):
    """
    =c
    CheckPaint(COLOR [, ANNO])
    =s paint
    checks packets' paint annotation
    =io
    One input. Output 0: packets painted COLOR. Output 1 (optional): the
    others.
    =processing
    Agnostic; output 1 is push.
    =d
    Packets whose paint annotation (or the one-byte annotation named by
    ANNO) equals COLOR leave on output 0. The others leave on output 1, or
    are dropped when there is no output 1.
    =item COLOR
    Integer 0-255. The color to look for. Mandatory.
    =item ANNO
    Annotation. A one-byte annotation name or an offset 0-47. Default is
    PAINT.
    =n
    Annotation offsets follow clickpy's annotation layout (PAINT is 16, as
    in Click).
    =e
      ... -> cp :: CheckPaint(2) -> ...; cp[1] -> Discard;
    =h color read/write
    The color, an integer 0-255.
    =a Paint, PaintTee, PaintSwitch
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("COLOR", U8, MANDATORY | POSITIONAL),
            Arg("ANNO", AnnoArg(1), POSITIONAL, default=ANNO_PAINT))

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckPaint.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckPaint.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return 0 if p.anno[self.anno] == self.color else 1
