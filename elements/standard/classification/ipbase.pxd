# ipbase.pxd -- IPFilterBase: the base of IPClassifier and IPFilter (offsets from the IP header)
from clickpy.elements.standard.classification.base cimport ClassifierBase


cdef class IPFilterBase(ClassifierBase):
    cdef load_rules(self, list rules)
