# hub.pyx -- Hub: copies each packet to every output but the one matching its input
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Batch, batch_kill
from clickpy.elements.standard.clones cimport push_clones


cdef class Hub(Element):
    """
    =c
    Hub
    =s basictransfer
    duplicates packets like a hub
    =io
    Any number of inputs, as many outputs.
    =processing
    Push.
    =d
    A packet arriving on input N leaves on every output except output N,
    much like an Ethernet hub (nothing here is Ethernet-specific). With
    only one port pair, packets are dropped.
    =n
    Copies of a batch go out one output at a time. When the pool has no
    packet left for a clone, that copy is skipped.
    =e
      a, b, c => hub :: Hub => a, b, c;
    =a Tee, EtherSwitch
    """
    port_count = "-/="
    processing = "h/h"
    flow_code = "#/[^#]"
    ARGS = ()

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        cdef int i, last = self._noutputs - 1
        if last == port:
            last -= 1                   # the original goes to the highest other output
        if last < 0:
            batch_kill(b)
            return
        for i in range(last):
            if i != port:
                push_clones(self, i, b)
        self.output_push(last, b)
