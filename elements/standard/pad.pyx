# pad.pyx -- Pad: lengthens packets to a minimum length or by their extra length annotation
from libc.stdint cimport uint32_t
from libc.string cimport memcpy, memset

from clickpy.runtime.element cimport DROP, action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_EXTRA_LENGTH, Batch, Packet, pkt_len, pkt_put
from clickpy.runtime.args import POSITIONAL, Bool, Unsigned, Arg


cdef class Pad(Element):
    """
    =c
    Pad([LENGTH, ZERO])
    =s basicmod
    extend packet length
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Lengthens every packet shorter than LENGTH to LENGTH bytes. With LENGTH
    zero or absent, each packet grows instead by its extra length
    annotation (what Truncate removed). Packets leave with extra length
    annotation zero.
    =item LENGTH
    Unsigned. Minimum packet length; 0 means use the extra length
    annotation. Default is 0.
    =item ZERO
    Boolean. Fill the added bytes with zeros; when false they are left
    uninitialized. Default is true.
    =n
    A packet is dropped when no buffer is left to grow it (as in Click).
    =e
      ... -> Pad(60) -> ToDevice(eth0);
    =a Truncate
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LENGTH", Unsigned, POSITIONAL, default=0),
            Arg("ZERO", Bool, default=True))

    cdef uint32_t nbytes        # LENGTH; 0: use the extra length annotation
    cdef bint zero              # ZERO

    def configure(self, args):
        self.nbytes = args.LENGTH
        self.zero = args.ZERO

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Pad.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Pad.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint32_t nput = 0, old
        if self.nbytes:
            if pkt_len(p) < self.nbytes:
                nput = self.nbytes - pkt_len(p)
        else:
            memcpy(&nput, &p.anno[ANNO_EXTRA_LENGTH], 4)
        if nput:
            old = pkt_len(p)
            if pkt_put(p, nput) < 0:
                return DROP
            if self.zero:
                memset(p.data + old, 0, nput)
        memset(&p.anno[ANNO_EXTRA_LENGTH], 0, 4)
        return 0
