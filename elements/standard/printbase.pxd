# printbase.pxd -- PrintBase: what Print, IPPrint and ARPPrint share
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, Packet

cdef enum:
    CONTENTS_NONE = 0           # CONTENTS: how packet bytes are shown
    CONTENTS_HEX = 1
    CONTENTS_ASCII = 2


cdef class PrintBase(Element):
    cdef bint active            # ACTIVE
    cdef object label           # LABEL
    cdef object outfile         # the open OUTFILE; None: standard error

    cdef object _line(self, Packet *p)
    cdef void _print(self, Batch *b) noexcept
