# checklength.pyx -- CheckLength: sends packets longer than a limit to output 1
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet, pkt_len
from clickpy.runtime.args import POSITIONAL, MANDATORY, Unsigned, Arg


cdef class CheckLength(Element):
    """
    =c
    CheckLength(LENGTH)
    =s classification
    drops large packets
    =io
    One input. Output 0: packets of at most LENGTH bytes. Output 1
    (optional): longer packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Compares every packet's length with LENGTH. Packets no longer than
    LENGTH leave on output 0; longer ones leave on output 1, or are
    dropped when there is no output 1.
    =item LENGTH
    Unsigned. Longest packet sent to output 0. Mandatory.
    =e
      ... -> cl :: CheckLength(1500) -> ...; cl[1] -> Discard;
    =h length read/write
    Same as LENGTH.
    =a Truncate
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = (Arg("LENGTH", Unsigned, MANDATORY | POSITIONAL),)

    cdef uint32_t max_len       # LENGTH

    def configure(self, args):
        self.max_len = args.LENGTH

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>CheckLength.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>CheckLength.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return 1 if pkt_len(p) > self.max_len else 0

    def add_handlers(self):
        self.add_read_handler("length", lambda: self.max_len)
        self.add_write_handler("length", self._write_length)

    def _write_length(self, value):
        self.max_len = Unsigned.parse(value.strip())
