# paintbase.pxd -- PaintBase: what Paint, CheckPaint and PaintTee share
from libc.stdint cimport uint8_t

from clickpy.runtime.element cimport Element


cdef class PaintBase(Element):
    cdef uint8_t color          # COLOR
    cdef uint8_t anno           # ANNO: annotation byte offset
