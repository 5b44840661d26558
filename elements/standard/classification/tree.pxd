# tree.pxd -- decision trees of masked 32-bit word tests, walked in C (Click's Classification)
#
# compiler.py builds a tree; ClassTree copies it into flat C arrays;
# ct_match walks it for one packet, whose regions ct_match_data and
# ct_match_ip lay out as Classifier's and IPFilter's offsets count. A node
# reads the big-endian word at ``off`` in one of two regions (0: packet
# data or IP header, 1: transport header), masks it and compares it with
# one value, or, for a switch, looks the masked word up among sorted
# values. A word that lies partly past its region's end takes the node's
# short branch.
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t

from clickpy.runtime.packet cimport Packet

ctypedef struct CTNode:
    uint32_t mask               # bits of the word tested
    uint32_t value              # one-value test: (word & mask) == value goes to yes
    uint32_t off                # byte offset of the word in its region
    uint8_t region              # 0 or 1: which base pointer the offset counts from
    uint8_t need                # bytes from off that must exist (0-4); fewer: short
    uint8_t short_yes           # too short: take yes (1) or no (0)
    int32_t yes                 # target: >= 0 a node, < 0 output -yes - 2 (-1: drop)
    int32_t no                  # target when the word matches no value
    uint32_t nvals              # 0: one-value test; n: switch over vals/targets[first:first+n]
    uint32_t first              # index of the switch's first value

ctypedef struct CTProgram:
    CTNode *nodes
    uint32_t *vals              # switch values, sorted within each switch
    int32_t *targets            # where each switch value goes
    int32_t start               # first target (a node, or an output for "all")


cdef class ClassTree:
    cdef CTProgram prog         # the arrays, owned (freed with the object)
    cdef readonly uint32_t nnodes
    cdef readonly uint32_t nswitch_values


cdef inline uint32_t ct_word(const uint8_t *q, int64_t left) noexcept nogil:
    """The big-endian word at q, with bytes at or past ``left`` read as 0."""
    cdef uint32_t w = 0
    cdef int i
    if left >= 4:
        return (<uint32_t>q[0] << 24) | (<uint32_t>q[1] << 16) | (<uint32_t>q[2] << 8) | q[3]
    for i in range(4):
        w <<= 8
        if i < left:
            w |= q[i]
    return w


cdef inline int ct_match(const CTProgram *pr, const uint8_t **base,
                         const int64_t *length) noexcept nogil:
    """The output for a packet (-1: drop): ``base[r]`` and ``length[r]`` give
    region r's first byte and how many bytes it holds."""
    cdef int32_t t = pr.start
    cdef const CTNode *n
    cdef int64_t left
    cdef uint32_t w, lo, hi, mid, x
    while t >= 0:
        n = &pr.nodes[t]
        left = length[n.region] - <int64_t>n.off
        if left < n.need:
            t = n.yes if n.short_yes else n.no
            continue
        w = ct_word(base[n.region] + n.off, left) & n.mask
        if n.nvals == 0:
            t = n.yes if w == n.value else n.no
            continue
        lo = n.first
        hi = n.first + n.nvals
        t = n.no
        while lo < hi:
            mid = lo + (hi - lo) // 2
            x = pr.vals[mid]
            if x == w:
                t = pr.targets[mid]
                break
            if x < w:
                lo = mid + 1
            else:
                hi = mid
    return -t - 2


cdef inline int ct_match_data(const CTProgram *prog, Packet *p) noexcept nogil:
    """Runs a program with data offsets (Classifier's) on the packet data."""
    cdef const uint8_t *base[2]
    cdef int64_t length[2]
    base[0] = p.data
    base[1] = p.data
    length[0] = p.length
    length[1] = -1
    return ct_match(prog, base, length)


cdef inline int ct_match_ip(const CTProgram *prog, Packet *p) noexcept nogil:
    """Runs a program with IP offsets on the packet's network and transport
    headers (the annotations; the data start and its header length when
    the network header is unset)."""
    cdef const uint8_t *base[2]
    cdef int64_t length[2]
    cdef const uint8_t *end = p.data + p.length
    cdef const uint8_t *nh
    cdef const uint8_t *th
    if p.network_off >= 0:
        nh = p.buf.start + p.network_off
        th = p.buf.start + p.transport_off if p.transport_off >= 0 else NULL
    else:
        nh = p.data
        th = nh + ((nh[0] & 0x0F) << 2) if p.length > 0 else NULL
    base[0] = nh
    length[0] = end - nh if end > nh else 0
    base[1] = th if th != NULL else nh
    length[1] = end - th if th != NULL else -1
    return ct_match(prog, base, length)
