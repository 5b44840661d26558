# unstrip.pyx -- Unstrip: gives back bytes in front of each packet's data
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport DROP, Element, action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_unpull
from clickpy.runtime.args import POSITIONAL, MANDATORY, Unsigned, Arg


cdef class Unstrip(Element):
    """
    =c
    Unstrip(LENGTH)
    =s basicmod
    unstrips bytes from front of packets
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Moves the start of every packet's data LENGTH bytes back, restoring
    bytes an earlier Strip removed. When the headroom is smaller than
    LENGTH, the packet is copied into a larger buffer and the new leading
    bytes are unspecified.
    =item LENGTH
    Unsigned. Bytes to add back. Mandatory.
    =n
    A packet is dropped when no buffer is left for the copy (Click drops it
    too).
    =e
      ... -> Strip(14) -> CheckIPHeader -> Unstrip(14) -> ...
    =a Strip
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LENGTH", Unsigned, MANDATORY | POSITIONAL),)

    cdef uint32_t nbytes        # LENGTH

    def configure(self, args):
        self.nbytes = args.LENGTH

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Unstrip.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Unstrip.action)

    cdef int action(self, Packet *p) noexcept nogil:
        if pkt_unpull(p, self.nbytes) < 0:
            return DROP
        return 0
