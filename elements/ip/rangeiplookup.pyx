# rangeiplookup.pyx -- RangeIPLookup: IP routing lookup by binary search over address ranges
from libc.stdint cimport int32_t, uint32_t
from libc.stdlib cimport calloc, free, malloc, qsort

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet

from clickpy.elements.ip.iproutetable cimport IPRouteTable, rt_dst_anno, rt_forward

cdef enum:
    KICK_BITS = 16              # the kickstart table indexes the top 16 address bits
    KICK_SIZE = 1 << KICK_BITS
    MAX_DEPTH = 34              # nested prefixes: /0 to /32, plus one

ctypedef struct Span:           # one route as an address interval, for the rebuild
    uint32_t start              # first address
    uint32_t last               # last address
    int32_t plen
    uint32_t key


cdef int _span_cmp(const void *x, const void *y) noexcept nogil:
    # by first address, then shorter prefixes (enclosing intervals) first
    cdef const Span *a = <const Span *>x
    cdef const Span *b = <const Span *>y
    if a.start != b.start:
        return -1 if a.start < b.start else 1
    return a.plen - b.plen


cdef class RangeIPLookup(IPRouteTable):
    """
    =c
    RangeIPLookup(ADDR1/MASK1 [GW1] OUT1, ADDR2/MASK2 [GW2] OUT2, ...)
    =s iproute
    IP routing lookup through binary search in a very compact table
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

    The routes are flattened into a sorted array of address ranges, each
    with the route that wins throughout it (at most two ranges a route); a
    kickstart table indexed by the top 16 address bits narrows the binary
    search to the ranges starting in that /16. The array is small enough to
    stay in the CPU caches. Every change of the table rebuilds it, so
    updates cost time in proportion to the table size.
    =n
    Click distills its ranges from a DirectIPLookup table kept beside them
    (about 33 MB); clickpy builds them from the sorted routes and keeps no
    such table. Masks must be contiguous. The table handler lists routes in
    the order they were added; Click's lists them in hash-table order.
    =e
      rt :: RangeIPLookup(18.26.4.24/32 0, 18.26.4/24 1, 0/0 18.26.4.1 1);
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
    as one operation (one rebuild): when one fails, the earlier ones are undone.
    =h flush write-only
    Removes every route.
    =a DirectIPLookup, RadixIPLookup, LinearIPLookup, StaticIPLookup, GetIPAddress
    """
    port_count = "1/-"
    processing = "h/h"

    FLUSH_HANDLER = True            # as Click's; RadixIPLookup has none

    cdef uint32_t *starts           # first address of each range, ascending; starts[0] == 0
    cdef uint32_t *keys             # the winning route of each range; 0: none
    cdef uint32_t nranges           # ranges in use (at least 1)
    cdef uint32_t *kick_lo          # per top-16-bit value: the range holding its first address
    cdef uint32_t *kick_n           # ... and how many more ranges start inside it
    cdef bint active                # rebuild on changes (after initialize, like Click)

    def __cinit__(self):
        self.starts = <uint32_t *>calloc(1, sizeof(uint32_t))
        self.keys = <uint32_t *>calloc(1, sizeof(uint32_t))
        self.nranges = 1
        self.kick_lo = <uint32_t *>calloc(KICK_SIZE, sizeof(uint32_t))
        self.kick_n = <uint32_t *>calloc(KICK_SIZE, sizeof(uint32_t))
        self.active = False
        if (self.starts == NULL or self.keys == NULL or self.kick_lo == NULL
                or self.kick_n == NULL):
            raise MemoryError()

    def __dealloc__(self):
        free(self.starts)
        free(self.keys)
        free(self.kick_lo)
        free(self.kick_n)

    def initialize(self):
        self.active = True
        self._rebuild()

    cdef inline uint32_t _lookup(self, uint32_t a) noexcept nogil:
        # the last range starting at or before a
        cdef uint32_t h = a >> (32 - KICK_BITS)
        cdef uint32_t lo = self.kick_lo[h], hi = lo + self.kick_n[h], mid
        while lo < hi:
            mid = (lo + hi + 1) >> 1
            if self.starts[mid] <= a:
                lo = mid
            else:
                hi = mid - 1
        return self.keys[lo]

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>RangeIPLookup.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>RangeIPLookup.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return rt_forward(p, &self.slots[self._lookup(rt_dst_anno(p))])

    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(n):
            keys[i] = self._lookup(a[i])

    # -- the range array (cold) ----------------------------------------------
    cdef inline void _emit(self, uint32_t start, uint32_t key) noexcept nogil:
        """Appends a range; a range starting where the previous one does
        replaces it, and neighbours with one route merge."""
        cdef uint32_t n = self.nranges
        if n and self.starts[n - 1] == start:
            self.keys[n - 1] = key
            if n >= 2 and self.keys[n - 2] == key:
                self.nranges -= 1
        elif not n or self.keys[n - 1] != key:
            self.starts[n] = start
            self.keys[n] = key
            self.nranges += 1

    cdef int _rebuild(self) except -1:
        cdef uint32_t k, n = 0, depth = 0, h, i
        cdef Span *spans = <Span *>malloc((self.nkeys + 1) * sizeof(Span))
        cdef Span *stack[MAX_DEPTH]
        cdef Span *s
        cdef uint32_t *starts
        cdef uint32_t *keys
        if spans == NULL:
            raise MemoryError()
        for k in range(1, self.nkeys):
            if self.slots[k].port >= 0:
                spans[n].start = self.slots[k].addr
                spans[n].last = self.slots[k].addr | ~self.slots[k].mask
                spans[n].plen = self.slots[k].plen
                spans[n].key = k
                n += 1
        qsort(spans, n, sizeof(Span), _span_cmp)
        starts = <uint32_t *>malloc((2 * n + 1) * sizeof(uint32_t))
        keys = <uint32_t *>malloc((2 * n + 1) * sizeof(uint32_t))
        if starts == NULL or keys == NULL:
            free(spans)
            free(starts)
            free(keys)
            raise MemoryError()
        free(self.starts)
        free(self.keys)
        self.starts = starts
        self.keys = keys
        self.nranges = 0
        self._emit(0, 0)
        # sweep: enclosing routes wait on a stack while nested ones pass by;
        # where a route ends, the one around it takes over again
        for i in range(n + 1):
            while depth and (i == n or stack[depth - 1].last < spans[i].start):
                depth -= 1
                s = stack[depth]
                if s.last != 0xFFFFFFFFu:
                    self._emit(s.last + 1, stack[depth - 1].key if depth else 0)
            if i < n:
                stack[depth] = &spans[i]
                depth += 1
                self._emit(spans[i].start, spans[i].key)
        free(spans)
        # kickstart: for each /16, the range holding its first address and
        # the number of ranges starting later inside it
        i = 0
        for h in range(<uint32_t>KICK_SIZE):
            while i + 1 < self.nranges and self.starts[i + 1] <= (h << (32 - KICK_BITS)):
                i += 1
            self.kick_lo[h] = i
        for h in range(<uint32_t>KICK_SIZE - 1):
            self.kick_n[h] = self.kick_lo[h + 1] - self.kick_lo[h]
            if self.kick_n[h] and self.starts[self.kick_lo[h + 1]] == ((h + 1) << (32 - KICK_BITS)):
                self.kick_n[h] -= 1
        self.kick_n[KICK_SIZE - 1] = self.nranges - 1 - self.kick_lo[KICK_SIZE - 1]
        return 0

    def _rt_commit(self):
        # routes change only the slots (the base's no-op link and unlink);
        # a commit rebuilds the ranges from them
        if self.active:
            self._rebuild()
