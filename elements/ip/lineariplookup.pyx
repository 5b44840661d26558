# lineariplookup.pyx -- LinearIPLookup: IP routing table searched route by route
from libc.stdint cimport uint32_t

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet

from clickpy.elements.ip.iproutetable cimport IPRouteSlot, IPRouteTable, rt_dst_anno, rt_forward


cdef class LinearIPLookup(IPRouteTable):
    """
    =c
    LinearIPLookup(ADDR1/MASK1 [GW1] OUT1, ADDR2/MASK2 [GW2] OUT2, ...)
    =s iproute
    simple IP routing table
    =io
    One input, any number of outputs.
    =processing
    Push.
    =d
    Looks up each packet's destination IP annotation in the routing table
    (longest-prefix match), replaces the annotation with the route's
    gateway when the route has one, and sends the packet to the route's
    output. Packets matching no route are dropped.

    Each argument is a route: a destination prefix (a bare address means
    /32), an optional gateway (C<-> for none) and an output port. A prefix
    given twice keeps its first route.

    Every lookup compares the address with every route, so this element
    suits small tables; RadixIPLookup, DirectIPLookup and RangeIPLookup scale
    to full routing tables.
    =n
    Click prints "no gw" for each packet without a route; clickpy drops it
    silently. Click's one-entry lookup caches are left out.
    =e
      ... -> GetIPAddress(16) -> rt;
      rt :: LinearIPLookup(18.26.4.24/32 0, 18.26.4.255/32 0,
                           18.26.4/24 1, 0/0 18.26.4.1 1);
      rt[0] -> ToHost;
      rt[1] -> ... -> ToDevice(eth0);
    =h table read-only
    The routing table, one C<ADDR/MASK GW OUT> route a line (C<-> for no gateway).
    =h lookup read-only
    With an address parameter: the output port, then the gateway if any, of
    the route for that address; C<-1> when none matches.
    =h add write-only
    Adds a route, C<ADDR/MASK [GW] OUT>; fails if the prefix has a route already.
    =h set write-only
    Adds a route, replacing any route for the same prefix.
    =h remove write-only
    Removes the route for C<ADDR/MASK> (with C<GW OUT>, only that route).
    =h ctrl write-only
    Lines of C<add ROUTE>, C<set ROUTE> and C<remove ROUTE> commands, applied
    as one operation: when one fails, the earlier ones are undone.
    =a RadixIPLookup, DirectIPLookup, RangeIPLookup, StaticIPLookup, GetIPAddress
    """
    port_count = "1/-"
    processing = "h/h"

    LINEAR_KEYS = True              # Click's LinearIPLookup key order
    CONTIGUOUS_MASKS = False        # any mask: the most specific route wins
    TABBED_TABLE = False

    cdef inline uint32_t _lookup(self, uint32_t a) noexcept nogil:
        # the most specific route containing a; with contiguous masks the
        # longest prefix, as Click's mask_as_specific test
        cdef uint32_t k, best = 0, best_mask = 0
        cdef IPRouteSlot *r
        for k in range(1, self.nkeys):
            r = &self.slots[k]
            if r.port >= 0 and (a & r.mask) == r.addr \
                    and (best == 0 or (r.mask & best_mask) == best_mask):
                best = k
                best_mask = r.mask
        return best

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>LinearIPLookup.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>LinearIPLookup.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return rt_forward(p, &self.slots[self._lookup(rt_dst_anno(p))])

    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(n):
            keys[i] = self._lookup(a[i])
