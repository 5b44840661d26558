# tree.pyx -- ClassTree: a compiled classification program in C arrays
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t
from libc.stdlib cimport calloc, free

__all__ = ["ClassTree"]


cdef class ClassTree:
    """A compiler.Program copied into C arrays for ct_match.

    ``ClassTree(program, ip=False)``: with ``ip``, program offsets 256-511
    are IP header bytes (region 0) and 512 on transport header bytes
    (region 1), as IPFilter numbers them; otherwise offsets count from the
    packet data (region 0).
    """

    def __cinit__(self):
        self.prog.nodes = NULL
        self.prog.vals = NULL
        self.prog.targets = NULL
        self.prog.start = -1
        self.nnodes = 0
        self.nswitch_values = 0

    def __init__(self, program, bint ip=False):
        cdef CTNode *nd
        cdef uint32_t i, k
        nodes = program.nodes
        nvals = sum(len(n[5]) for n in nodes if len(n[5]) > 1)
        self.prog.nodes = <CTNode *>calloc(max(1, len(nodes)), sizeof(CTNode))
        self.prog.vals = <uint32_t *>calloc(max(1, nvals), sizeof(uint32_t))
        self.prog.targets = <int32_t *>calloc(max(1, nvals), sizeof(int32_t))
        if self.prog.nodes == NULL or self.prog.vals == NULL or self.prog.targets == NULL:
            raise MemoryError()
        self.nnodes = len(nodes)
        self.nswitch_values = nvals
        self.prog.start = program.start
        k = 0
        for i, (off, mask, need, short_yes, no, cases) in enumerate(nodes):
            nd = &self.prog.nodes[i]
            if ip:
                nd.region = 1 if off >= 512 else 0
                nd.off = off - (512 if off >= 512 else 256)
            else:
                nd.region = 0
                nd.off = off
            nd.mask = mask
            nd.need = need
            nd.short_yes = short_yes
            nd.no = no
            if len(cases) == 1:
                nd.value, nd.yes = cases[0]
                nd.nvals = 0
            else:
                nd.nvals = len(cases)
                nd.first = k
                nd.value = 0
                nd.yes = no
                for value, yes in cases:        # sorted by value already
                    self.prog.vals[k] = value
                    self.prog.targets[k] = yes
                    k += 1

    def __dealloc__(self):
        free(self.prog.nodes)
        free(self.prog.vals)
        free(self.prog.targets)

    def match(self, bytes region0, region1=None):
        """The output for data laid out as the regions (tests); -1 is drop."""
        cdef const uint8_t *base[2]
        cdef int64_t length[2]
        cdef bytes r1 = region1 if region1 is not None else b""
        base[0] = <const uint8_t *><char *>region0
        base[1] = <const uint8_t *><char *>r1
        length[0] = len(region0)
        length[1] = len(r1) if region1 is not None else -1
        return ct_match(&self.prog, base, length)
