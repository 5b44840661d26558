# base.pxd -- ClassifierBase: what Classifier, IPClassifier and IPFilter share
from libc.stdint cimport uint32_t

from clickpy.elements.standard.classification.tree cimport ClassTree, CTProgram
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, Packet


cdef class ClassifierBase(Element):
    cdef ClassTree tree         # the compiled patterns (owns the arrays)
    cdef CTProgram *prog        # tree's program, for the data path
    cdef object program         # compiler.Program, for the handler

    cdef bint ip_offsets(self)
    cdef list one_per_output(self, args)
    cdef load(self, program)
