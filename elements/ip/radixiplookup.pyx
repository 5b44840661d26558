# radixiplookup.pyx -- RadixIPLookup: IP routing table in a multibit trie (16 + 4-bit levels)
from libc.stdint cimport uint32_t
from libc.stdlib cimport calloc, free, realloc
from libc.string cimport memset

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet

from clickpy.elements.ip.iproutetable cimport IPRouteTable, rt_dst_anno, rt_forward

cdef enum:
    ROOT_BITS = 16              # the root indexes the top 16 address bits
    STRIDE = 4                  # each level below takes 4 more bits
    FANOUT = 16                 # entries per node below the root

ctypedef struct RadixEntry:
    uint32_t key                # longest route ending at this level that covers the entry; 0: none
    uint32_t child              # node for the next 4 bits; 0: none


cdef class RadixIPLookup(IPRouteTable):
    """
    =c
    RadixIPLookup(ADDR1/MASK1 [GW1] OUT1, ADDR2/MASK2 [GW2] OUT2, ...)
    =s iproute
    IP lookup using a radix trie
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

    The routes live in a multibit trie: a root of 65536 entries indexed by
    the top 16 address bits, then levels of 16 entries for each further 4
    bits, so a lookup visits at most 5 entries. Each entry holds the longest
    route that ends at its level and covers it; a lookup keeps the last one
    it meets.
    =n
    Click's trie has a 256-entry root and 4-bit levels (7 levels at most).
    Masks must be contiguous (Click accepts others and mishandles them).
    Click prints "no route" for the first five unrouted packets; clickpy
    drops them silently. Trie nodes emptied by removals are kept for reuse
    by later routes, as in Click.
    =e
      rt :: RadixIPLookup(18.26.4.24/32 0, 18.26.4/24 1, 0/0 18.26.4.1 1);
    =h table read-only
    The routing table, one C<ADDR/MASK GW OUT> route a line in tab-padded
    columns (C<-> for no gateway).
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
    =a DirectIPLookup, RangeIPLookup, LinearIPLookup, StaticIPLookup, GetIPAddress
    """
    port_count = "1/-"
    processing = "h/h"

    cdef RadixEntry *root           # 1 << ROOT_BITS entries
    cdef RadixEntry *nodes          # FANOUT entries a node; node 0 is never used
    cdef uint32_t nnodes            # nodes handed out (node 0 included)
    cdef uint32_t node_cap          # nodes allocated
    cdef uint32_t default_key       # the /0 route's key; 0: none

    def __cinit__(self):
        self.nodes = NULL
        self.nnodes = 1
        self.node_cap = 0
        self.default_key = 0
        self.root = <RadixEntry *>calloc(1 << ROOT_BITS, sizeof(RadixEntry))
        if self.root == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.root)
        free(self.nodes)

    cdef inline uint32_t _lookup(self, uint32_t a) noexcept nogil:
        cdef uint32_t key = self.default_key
        cdef RadixEntry *e = &self.root[a >> (32 - ROOT_BITS)]
        cdef uint32_t shift = 32 - ROOT_BITS
        if e.key:
            key = e.key
        while e.child:
            shift -= STRIDE
            e = &self.nodes[e.child * FANOUT + ((a >> shift) & (FANOUT - 1))]
            if e.key:
                key = e.key
        return key

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>RadixIPLookup.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>RadixIPLookup.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return rt_forward(p, &self.slots[self._lookup(rt_dst_anno(p))])

    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(n):
            keys[i] = self._lookup(a[i])

    # -- trie updates (cold) -------------------------------------------------
    cdef uint32_t _new_node(self) except 0:
        cdef uint32_t want
        cdef RadixEntry *v
        if self.nnodes >= self.node_cap:
            want = self.node_cap * 2 if self.node_cap else 64
            v = <RadixEntry *>realloc(self.nodes, want * FANOUT * sizeof(RadixEntry))
            if v == NULL:
                raise MemoryError()
            memset(&v[self.node_cap * FANOUT], 0,
                   (want - self.node_cap) * FANOUT * sizeof(RadixEntry))
            self.nodes = v
            self.node_cap = want
        self.nnodes += 1
        return self.nnodes - 1

    cdef RadixEntry *_level(self, uint32_t addr, int plen, bint create,
                            int *base) except? NULL:
        """The entries of the level where a ``plen``-bit prefix ends (first
        entry of its node, or the root); ``base[0]`` gets the level's last bit
        count. NULL when the node is missing and ``create`` is false."""
        cdef uint32_t node, loc = addr >> (32 - ROOT_BITS)
        cdef int bits = ROOT_BITS
        cdef RadixEntry *parent = &self.root[loc]
        while plen > bits:
            node = parent.child
            if node == 0:
                if not create:
                    return NULL
                node = self._new_node()         # may move self.nodes
                parent = &self.root[loc] if bits == ROOT_BITS else &self.nodes[loc]
                parent.child = node
            bits += STRIDE
            loc = node * FANOUT + ((addr >> (32 - bits)) & (FANOUT - 1))
            parent = &self.nodes[loc]
        base[0] = bits
        if bits == ROOT_BITS:
            return self.root
        return &self.nodes[(loc // FANOUT) * FANOUT]

    cdef int _span(self, uint32_t addr, int plen, int bits, uint32_t *first) noexcept:
        """How many entries a ``plen``-bit prefix covers in its level; the
        first one's index goes to ``first[0]``."""
        cdef int level_bits = ROOT_BITS if bits == ROOT_BITS else STRIDE
        cdef uint32_t idx = (addr >> (32 - bits)) & ((1u << level_bits) - 1)
        cdef int n = 1 << (bits - plen)
        first[0] = idx & ~(<uint32_t>n - 1)
        return n

    def _rt_link(self, uint32_t key, route):
        cdef int plen = route.plen, bits, n, i
        cdef uint32_t first, k
        cdef RadixEntry *level
        if plen == 0:
            self.default_key = key
            return
        level = self._level(route.addr, plen, True, &bits)
        n = self._span(route.addr, plen, bits, &first)
        for i in range(n):
            k = level[first + i].key
            if k == 0 or self.slots[k].plen < plen:
                level[first + i].key = key

    def _rt_unlink(self, uint32_t key, route, cover):
        cdef int plen = route.plen, bits, n, i, lo, ln
        cdef uint32_t first, rep = 0
        cdef RadixEntry *level
        if plen == 0:
            self.default_key = 0
            return
        level = self._level(route.addr, plen, False, &bits)
        if level == NULL:
            return
        # the next-longest route ending at this level takes the entries back
        lo = 1 if bits == ROOT_BITS else bits - STRIDE + 1
        for ln in range(plen - 1, lo - 1, -1):
            if cover[ln]:
                rep = cover[ln]
                break
        n = self._span(route.addr, plen, bits, &first)
        for i in range(n):
            if level[first + i].key == key:
                level[first + i].key = rep
