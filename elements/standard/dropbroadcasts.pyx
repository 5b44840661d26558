# dropbroadcasts.pyx -- DropBroadcasts: drops packets that arrived as link-level broadcasts
import sys

from libc.stdint cimport uint32_t, uint64_t

from clickpy.runtime.element cimport action_fn, Element, pull_actions, push_actions
from clickpy.runtime.packet cimport PKT_BROADCAST, PKT_MULTICAST, Batch, Packet


cdef class DropBroadcasts(Element):
    """
    =c
    DropBroadcasts
    =s annotations
    drops link-level broadcast and multicast packets
    =io
    One input. Output 0: other packets. Output 1 (optional): broadcast and
    multicast packets.
    =processing
    Agnostic; output 1 is push.
    =d
    Looks at each packet's packet type annotation, which FromDevice sets.
    Packets that arrived as link-level broadcast or multicast leave on
    output 1, or are dropped when output 1 is not connected; an IP router
    must not forward them (RFC 1812 5.3.4). The first such packet prints a
    message to standard error.
    =e
      FromDevice(eth0) -> DropBroadcasts -> ...
    =h drops read-only
    Number of broadcast and multicast packets seen.
    =a FromDevice, HostEtherFilter
    """
    port_count = "1/1-2"
    processing = "a/ah"
    ARGS = ()

    cdef uint64_t n_drops       # broadcast and multicast packets seen

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>DropBroadcasts.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>DropBroadcasts.action)

    cdef int action(self, Packet *p) noexcept nogil:
        if p.packet_type != PKT_BROADCAST and p.packet_type != PKT_MULTICAST:
            return 0
        if self.n_drops == 0:
            with gil:
                sys.stderr.write("DropBroadcasts: dropped a packet\n")
        self.n_drops += 1
        return 1                            # dropped when output 1 is not connected

    def add_handlers(self):
        self.add_read_handler("drops", lambda: self.n_drops)
