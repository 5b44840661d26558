# directiplookup.pyx -- DirectIPLookup: IP routing table in DIR-24-8 direct-indexed tables
from libc.stdint cimport uint32_t
from libc.stdlib cimport calloc, free, realloc
from libc.string cimport memset

from clickpy.runtime.element cimport action_fn, pull_actions, push_actions
from clickpy.runtime.packet cimport Batch, Packet

from clickpy.elements.ip.iproutetable cimport IPRouteTable, rt_dst_anno, rt_forward

cdef enum:
    TBL24_SIZE = 1 << 24        # first-level entries: one per /24
    BLOCK = 256                 # second-level entries: one per address of a /24

# a first-level entry with this bit set names a second-level block
cdef uint32_t EXTENDED = 0x80000000u


cdef class DirectIPLookup(IPRouteTable):
    """
    =c
    DirectIPLookup(ADDR1/MASK1 [GW1] OUT1, ADDR2/MASK2 [GW2] OUT2, ...)
    =s iproute
    IP routing lookup using direct-indexed tables
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
    /32), an optional gateway (C<-> for none) and an output port. No prefix
    should appear twice; a repeated one keeps its first route.

    Implements the DIR-24-8-BASIC scheme of Gupta, Lin and McKeown: a
    first-level table indexed by the top 24 address bits answers most
    lookups in one memory access; a /24 holding longer routes points to a
    256-entry second-level block indexed by the last 8 bits. Routes can be
    added and removed at any time; a removed route's entries go back to the
    next-longest route covering them.
    =n
    The first-level table holds 32-bit entries (64 MB of address space,
    touched only where routes are) where Click's holds 16-bit ones; there is
    no limit on the number of next hops or second-level blocks. Masks must
    be contiguous. The table handler lists routes in the order they were
    added; Click's lists them in hash-table order.
    =e
      rt :: DirectIPLookup(18.26.4.24/32 0, 18.26.4/24 1, 0/0 18.26.4.1 1);
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
    =h flush write-only
    Removes every route.
    =a RadixIPLookup, RangeIPLookup, LinearIPLookup, StaticIPLookup, GetIPAddress

    Pankaj Gupta, Steven Lin, and Nick McKeown. "Routing Lookups in Hardware
    at Memory Access Speeds". In Proc. IEEE Infocom 1998, Vol. 3, pp.
    1240-1247.
    """
    port_count = "1/-"
    processing = "h/h"

    FLUSH_HANDLER = True            # as Click's; RadixIPLookup has none

    cdef uint32_t *tbl24            # TBL24_SIZE entries: a key, or EXTENDED | block
    cdef uint32_t *tbl8             # BLOCK keys a block
    cdef uint32_t nblocks           # blocks handed out
    cdef uint32_t block_cap         # blocks allocated
    cdef object free_blocks         # blocks given back, for reuse (a list)

    def __cinit__(self):
        self.tbl8 = NULL
        self.nblocks = self.block_cap = 0
        self.free_blocks = []
        self.tbl24 = <uint32_t *>calloc(TBL24_SIZE, sizeof(uint32_t))
        if self.tbl24 == NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.tbl24)
        free(self.tbl8)

    cdef inline uint32_t _lookup(self, uint32_t a) noexcept nogil:
        cdef uint32_t e = self.tbl24[a >> 8]
        if e & EXTENDED:
            e = self.tbl8[((e & ~EXTENDED) << 8) | (a & 0xFF)]
        return e

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, <action_fn>DirectIPLookup.action)      # action inlined in the loop

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, <action_fn>DirectIPLookup.action)

    cdef int action(self, Packet *p) noexcept nogil:
        return rt_forward(p, &self.slots[self._lookup(rt_dst_anno(p))])

    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(n):
            keys[i] = self._lookup(a[i])

    # -- table updates (cold) ------------------------------------------------
    cdef inline int _plen(self, uint32_t key) noexcept nogil:
        return self.slots[key].plen if key else -1

    cdef uint32_t _new_block(self, uint32_t fill) except? 0xFFFFFFFF:
        """A second-level block with every entry ``fill``."""
        cdef uint32_t b, want, i
        cdef uint32_t *v
        if self.free_blocks:
            b = self.free_blocks.pop()
        else:
            if self.nblocks == self.block_cap:
                want = self.block_cap * 2 if self.block_cap else 64
                v = <uint32_t *>realloc(self.tbl8, <size_t>want * BLOCK * sizeof(uint32_t))
                if v == NULL:
                    raise MemoryError()
                self.tbl8 = v
                self.block_cap = want
            b = self.nblocks
            self.nblocks += 1
        for i in range(<uint32_t>BLOCK):
            self.tbl8[b * BLOCK + i] = fill
        return b

    cdef void _fill_block(self, uint32_t b, uint32_t lo, uint32_t n, uint32_t key,
                          int plen) noexcept:
        cdef uint32_t j
        cdef uint32_t *blk = &self.tbl8[b * BLOCK]
        for j in range(lo, lo + n):
            if self._plen(blk[j]) < plen:
                blk[j] = key

    def _rt_link(self, uint32_t key, route):
        cdef uint32_t addr = route.addr, i, end, e
        cdef int plen = route.plen, q
        if plen > 24:
            i = addr >> 8
            if not (self.tbl24[i] & EXTENDED):
                self.tbl24[i] = EXTENDED | self._new_block(self.tbl24[i])
            self._fill_block(self.tbl24[i] & ~EXTENDED, addr & 0xFF, 1u << (32 - plen),
                             key, plen)
            return
        i = addr >> 8
        end = i + (1u << (24 - plen))
        while i < end:
            e = self.tbl24[i]
            if e & EXTENDED:
                self._fill_block(e & ~EXTENDED, 0, BLOCK, key, plen)
            else:
                q = self._plen(e)
                if q < plen:
                    self.tbl24[i] = key
                elif q > plen:
                    # a longer route's /q covers this and the next entries: skip them
                    i |= (1u << (24 - q)) - 1
            i += 1

    def _rt_unlink(self, uint32_t key, route, cover):
        cdef uint32_t addr = route.addr, i, end, e, rep = 0, j, b
        cdef int plen = route.plen, ln
        for ln in range(plen - 1, -1, -1):
            if cover[ln]:
                rep = cover[ln]
                break
        i = addr >> 8
        end = i + (1u << (24 - plen)) if plen <= 24 else i + 1
        while i < end:
            e = self.tbl24[i]
            if e & EXTENDED:
                b = e & ~EXTENDED
                for j in range(<uint32_t>BLOCK):
                    if self.tbl8[b * BLOCK + j] == key:
                        self.tbl8[b * BLOCK + j] = rep
                self._maybe_collapse(i, b)
            elif e == key:
                self.tbl24[i] = rep
            i += 1

    cdef _maybe_collapse(self, uint32_t i, uint32_t b):
        """Folds a block whose entries are all one key back into the first level."""
        cdef uint32_t j, first = self.tbl8[b * BLOCK]
        for j in range(1, <uint32_t>BLOCK):
            if self.tbl8[b * BLOCK + j] != first:
                return
        self.tbl24[i] = first
        self.free_blocks.append(b)

    def _rt_flush(self):
        memset(self.tbl24, 0, TBL24_SIZE * sizeof(uint32_t))
        self.free_blocks = list(range(self.nblocks))
