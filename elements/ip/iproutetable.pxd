# iproutetable.pxd -- IPRouteTable, shared base of the IP lookup elements: route slots and helpers
#
# Every lookup element keeps its routes in a C array of IPRouteSlot indexed
# by a key: key 0 is a permanent "no route" slot (port -1), keys 1.. hold
# the routes, in the order the element's `table` handler prints them. The
# lookup structures (radix trie, DIR-24-8 tables, range array) store keys,
# so a packet's route is one array access after the lookup, and replacing a
# route's gateway or output never touches the lookup structure.
from libc.stdint cimport int32_t, uint8_t, uint32_t
from libc.stdlib cimport realloc
from libc.string cimport memset

from clickpy.runtime.element cimport Element
from clickpy.runtime.headers cimport load_be32, store_be32
from clickpy.runtime.packet cimport ANNO_DST_IP, Packet

ctypedef struct IPRouteSlot:
    uint32_t addr               # destination prefix, host order, host bits clear
    uint32_t mask               # netmask, host order
    uint32_t gw                 # gateway, host order; 0: none
    int32_t port                # output port; -1: free slot or no route
    int32_t plen                # prefix length; -1 for a non-contiguous mask


cdef inline int rts_reserve(IPRouteSlot **slots, uint32_t *cap, uint32_t key) noexcept nogil:
    """Grows ``*slots`` so that ``key`` is a valid index; -1 when out of memory.

    New slots are free (port -1); slot 0 is the "no route" slot.
    """
    cdef uint32_t n = cap[0], want
    cdef IPRouteSlot *v
    cdef uint32_t i
    if key < n:
        return 0
    want = n * 2 if n >= 16 else 16
    while want <= key:
        want *= 2
    v = <IPRouteSlot *>realloc(slots[0], want * sizeof(IPRouteSlot))
    if v == NULL:
        return -1
    memset(&v[n], 0, (want - n) * sizeof(IPRouteSlot))
    for i in range(n, want):
        v[i].port = -1
    slots[0] = v
    cap[0] = want
    return 0


cdef inline uint32_t rt_dst_anno(Packet *p) noexcept nogil:
    """The destination IP annotation, host order."""
    return load_be32(&p.anno[ANNO_DST_IP])


cdef inline int rt_forward(Packet *p, const IPRouteSlot *r) noexcept nogil:
    """Applies a looked-up route: gateway into the annotation, returns the port.

    A route without a gateway leaves the annotation alone (Click's
    IPRouteTable::push); the "no route" slot returns -1, a drop.
    """
    if r.gw != 0:
        store_be32(&p.anno[ANNO_DST_IP], r.gw)
    return r.port


cdef class IPRouteTable(Element):
    cdef IPRouteSlot *slots         # key -> route; key 0 is "no route"
    cdef uint32_t cap               # slots allocated
    cdef uint32_t nkeys             # keys below this may be in use
    cdef readonly object rt         # the RouteTable (Python bookkeeping, handlers)

    # the element's lookup: ``keys[i]`` gets the key of the route for
    # ``a[i]`` (0: none). Cold paths only (handlers, bench_lookups): each
    # element's action calls its own inline _lookup, so packets make no
    # virtual call. It takes an array, not one address, because a call per
    # address stops the CPU overlapping the memory misses of consecutive
    # lookups (bench_lookups ran 1.2-2x slower that way).
    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil
