# paint.pyx -- Paint: sets one annotation byte (PAINT by default) to a color
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_PAINT, Batch, Packet
from clickpy.elements.standard.paintbase cimport PaintBase
from clickpy.runtime.args import POSITIONAL, MANDATORY, U8, AnnoArg, Arg

cdef class Paint(PaintBase):
    """
    =c
    Paint(COLOR [, ANNO])
    =s paint
    sets packet paint annotations
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Writes COLOR into each packet's paint annotation, or into the one-byte
    annotation named by ANNO, and passes the packet on.
    =item COLOR
    Integer 0-255. The color. Mandatory.
    =item ANNO
    Annotation. A one-byte annotation name (PAINT, ICMP_PARAMPROB,
    FIX_IP_SRC) or an offset 0-47 in the annotation area. Default is PAINT.
    =n
    Annotation offsets follow clickpy's annotation layout (PAINT is 16, as
    in Click).
    =e
      FromDevice(eth0) -> Paint(1) -> ...
    =h color read/write
    The color, an integer 0-255.
    =a CheckPaint, PaintTee, PaintSwitch
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("COLOR", U8, MANDATORY | POSITIONAL),
            Arg("ANNO", AnnoArg(1), POSITIONAL, default=ANNO_PAINT))

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Paint.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Paint.action)

    cdef int action(self, Packet *p) noexcept nogil:
        p.anno[self.anno] = self.color
        return 0
