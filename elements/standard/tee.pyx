# tee.pyx -- Tee and PullTee: copy every packet to each output
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch
from clickpy.elements.standard.clones cimport push_clones
from clickpy.runtime.args import POSITIONAL, Unsigned, Arg


def _check_arms(e, args):
    if args.N is not None and args.N != e.noutputs:
        raise ValueError(f"{e.noutputs} outputs implies {e.noutputs} arms")


cdef class Tee(Element):
    """
    =c
    Tee([N])
    =s basictransfer
    duplicates packets
    =io
    One input, one or more outputs.
    =processing
    Push.
    =d
    Sends a copy of every packet to each output: clones to all but the
    last output, the packet itself to the last. N, when given, must equal
    the number of outputs.
    =item N
    Unsigned. The number of outputs. Default is the number connected.
    =n
    Copies of a batch go out one output at a time (output 0 first), where
    Click sends each packet to every output before the next. When the pool
    has no packet left for a clone, that copy is skipped.
    =e
      ... -> t :: Tee(2); t[0] -> ToDump(a.pcap); t[1] -> Discard;
    =a PullTee, Hub
    """
    port_count = "1/1-"
    processing = "h/h"
    ARGS = (Arg("N", Unsigned, POSITIONAL, default=None),)

    def configure(self, args):
        _check_arms(self, args)

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef int i
        for i in range(self._noutputs - 1):
            push_clones(self, i, b)
        self.output_push(self._noutputs - 1, b)


cdef class PullTee(Element):
    """
    =c
    PullTee([N])
    =s basictransfer
    duplicates packets
    =io
    One input, one or more outputs.
    =processing
    Input and output 0 pull; the other outputs push.
    =d
    Each packet pulled from output 0 is pulled from the input; clones of it
    are pushed to the other outputs before it is returned. N, when given,
    must equal the number of outputs.
    =item N
    Unsigned. The number of outputs. Default is the number connected.
    =n
    Works on batches: the clones of a whole batch are pushed before the
    batch is returned. When the pool has no packet left for a clone, that
    copy is skipped.
    =e
      q :: Queue -> pt :: PullTee -> ToDevice(eth0); pt[1] -> ToDump(sent.pcap);
    =a Tee
    """
    port_count = "1/1-"
    processing = "l/lh"
    ARGS = (Arg("N", Unsigned, POSITIONAL, default=None),)

    def configure(self, args):
        _check_arms(self, args)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        cdef int i
        if self.input_pull(0, b, max) == 0:
            return 0
        for i in range(1, self._noutputs):
            push_clones(self, i, b)
        return b.n
