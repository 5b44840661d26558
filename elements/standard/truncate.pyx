# truncate.pyx -- Truncate: cuts packets down to a maximum length
from libc.stdint cimport uint32_t
from libc.string cimport memcpy

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport ANNO_EXTRA_LENGTH, Batch, Packet, pkt_len, pkt_take
from clickpy.runtime.args import POSITIONAL, MANDATORY, Bool, Unsigned, Arg


cdef class Truncate(Element):
    """
    =c
    Truncate(LENGTH [, EXTRA_LENGTH])
    =s basicmod
    limit packet length
    =io
    One input, one output.
    =processing
    Agnostic.
    =d
    Removes bytes from the end of every packet longer than LENGTH, leaving
    LENGTH bytes. With EXTRA_LENGTH true, the number of removed bytes is
    added to the packet's extra length annotation, so later elements (Pad,
    ToDump) know the original length.
    =item LENGTH
    Unsigned. Longest packet let through. Mandatory.
    =item EXTRA_LENGTH
    Boolean. Add removed bytes to the extra length annotation. Default is
    true.
    =n
    The extra length annotation is a 32-bit host-order integer at offset 28,
    as in Click.
    =e
      FromDevice(eth0) -> Truncate(68) -> ToDump(headers.pcap);
    =h nbytes read/write
    Same as LENGTH.
    =a Pad, Strip
    """
    port_count = "1/1"
    processing = "a/a"
    ARGS = (Arg("LENGTH", Unsigned, MANDATORY | POSITIONAL),
            Arg("EXTRA_LENGTH", Bool, default=True))

    cdef uint32_t nbytes        # LENGTH
    cdef bint extra_anno        # EXTRA_LENGTH

    def configure(self, args):
        self.nbytes = args.LENGTH
        self.extra_anno = args.EXTRA_LENGTH

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>Truncate.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>Truncate.action)

    cdef int action(self, Packet *p) noexcept nogil:
        cdef uint32_t cut, extra
        if pkt_len(p) > self.nbytes:
            cut = pkt_len(p) - self.nbytes
            if self.extra_anno:
                memcpy(&extra, &p.anno[ANNO_EXTRA_LENGTH], 4)
                extra += cut
                memcpy(&p.anno[ANNO_EXTRA_LENGTH], &extra, 4)
            pkt_take(p, cut)
        return 0

    def add_handlers(self):
        self.add_read_handler("nbytes", lambda: self.nbytes)
        self.add_write_handler("nbytes", self._write_nbytes)

    def _write_nbytes(self, value):
        self.nbytes = Unsigned.parse(value.strip())
