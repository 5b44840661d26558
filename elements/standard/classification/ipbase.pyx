# ipbase.pyx -- IPFilterBase: ClassifierBase for programs whose offsets count from the IP header
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet
from clickpy.elements.standard.classification.tree cimport ct_match_ip

import sys

from clickpy.elements.standard.classification import ipfilter


# inline, so that the C compiler inlines it into the batch loops (see base.pyx)
cdef inline int classify_ip(Element e, Packet *p) noexcept nogil:
    return ct_match_ip((<IPFilterBase>e).prog, p)


cdef class IPFilterBase(ClassifierBase):
    """A ClassifierBase whose program offsets count from the IP header (256
    on) and the transport header (512 on), as IPFilter's do."""

    cdef bint ip_offsets(self):
        return True

    cdef load_rules(self, list rules):
        """Compiles and installs IPFilter's ``ACTION PATTERN`` rules, hosts
        and networks named by AddressInfo included; prints the warnings."""
        warnings = []
        self.load(ipfilter.parse_ipfilter(rules, self.noutputs, warnings, self.address_names))
        for w in warnings:
            print(f"{self.landmark}: warning: {w}", file=sys.stderr)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, classify_ip)      # classify_ip inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, classify_ip)

    cdef int action(self, Packet *p) noexcept nogil:
        return ct_match_ip(self.prog, p)
