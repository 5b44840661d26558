# strip.pyx -- Strip: removes bytes from the front of each packet
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element, action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_pull
from clickpy.runtime.args import POSITIONAL, MANDATORY, Unsigned, Arg


cdef class Strip(Element):
    """
    =c
    Strip(LENGTH)
    =s basicmod
    strips bytes from front of packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Removes LENGTH bytes from the front of every packet; a shorter packet
    loses all its data. The bytes stay in the buffer's headroom, so Unstrip
    can give them back.
    =item LENGTH
    Unsigned. Bytes to remove. Mandatory.
    =e
      FromDevice(eth0) -> Strip(14) -> CheckIPHeader -> ...
    =a Unstrip, StripToNetworkHeader, Truncate
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LENGTH", Unsigned, MANDATORY | POSITIONAL),)

    cdef uint32_t nbytes        # LENGTH

    def configure(self, args):
        self.nbytes = args.LENGTH

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Strip.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Strip.action)

    cdef int action(self, Packet *p) noexcept nogil:
        pkt_pull(p, self.nbytes)
        return 0
