# packet.pyx -- packet pools and the Python view of a packet
from cpython.bytes cimport PyBytes_FromStringAndSize
from libc.stdint cimport int64_t, uint8_t, uint32_t
from libc.stdlib cimport calloc, free, malloc
from libc.string cimport memcpy

from clickpy.runtime.packet cimport (
    ANNO_AGGREGATE,
    ANNO_DST_IP,
    ANNO_EXTRA_LENGTH,
    ANNO_EXTRA_PACKETS,
    ANNO_FIRST_TIMESTAMP,
    ANNO_FIX_IP_SRC,
    ANNO_ICMP_PARAMPROB,
    ANNO_PAINT,
    ANNO_SIZE,
    ANNO_VLAN_TCI,
    BUF_MALLOC,
    BUF_POOL,
    BUFFER_SIZE,
    DEFAULT_HEADROOM,
    Buffer,
    Packet,
    PacketPool,
    pkt_alloc,
    pkt_clone,
    pkt_headroom,
    pkt_kill,
    pkt_pull,
    pkt_push,
    pkt_put,
    pkt_take,
    pkt_uniqueify,
    pkt_unpull,
)

from clickpy.runtime.atomic cimport atomic_add_u32, atomic_sub_u32, stack_push, stack_take

cdef enum:
    DEFAULT_PACKETS_C = 65536   # descriptors in the default pool
    DEFAULT_BUFFERS_C = 32768   # 2 KiB buffers in the default pool (64 MiB)
    THREAD_PACKETS_C = 32768    # a further driver thread's pool (-j N)
    THREAD_BUFFERS_C = 16384

# The main thread's pool is a global; each further driver thread has its own
# (thread-local: defined in this module only, so every extension shares it)
cdef PacketPool *_default_pool = NULL

cdef extern from *:
    """
    static __thread void *clickpy_thread_pool = 0;
    static __thread unsigned clickpy_thread_index = 0;
    """
    void *_thread_pool "clickpy_thread_pool"
    unsigned _thread_index "clickpy_thread_index"

# Click's annotation names: name -> (offset, size in bytes), from packet.pxd
ANNOTATIONS = {
    "DST_IP": (ANNO_DST_IP, 4),
    "AGGREGATE": (ANNO_AGGREGATE, 4),
    "PAINT": (ANNO_PAINT, 1),
    "ICMP_PARAMPROB": (ANNO_ICMP_PARAMPROB, 1),
    "FIX_IP_SRC": (ANNO_FIX_IP_SRC, 1),
    "VLAN_TCI": (ANNO_VLAN_TCI, 2),
    "EXTRA_PACKETS": (ANNO_EXTRA_PACKETS, 4),
    "EXTRA_LENGTH": (ANNO_EXTRA_LENGTH, 4),
    "FIRST_TIMESTAMP": (ANNO_FIRST_TIMESTAMP, 8),
}

cdef PacketPool *pool_create(uint32_t npackets, uint32_t nbuffers) noexcept nogil:
    """One allocation for descriptors, one for buffers; NULL when out of memory."""
    cdef PacketPool *pool = <PacketPool *>calloc(1, sizeof(PacketPool))
    cdef Packet *descs
    cdef Buffer *bufs
    cdef uint8_t *mem
    cdef void **blocks
    cdef uint32_t i
    if pool == NULL:
        return NULL
    descs = <Packet *>calloc(npackets, sizeof(Packet))
    bufs = <Buffer *>calloc(nbuffers, sizeof(Buffer))
    mem = <uint8_t *>malloc(<size_t>nbuffers * BUFFER_SIZE)
    blocks = <void **>malloc(3 * sizeof(void *))
    if descs == NULL or bufs == NULL or mem == NULL or blocks == NULL:
        free(descs)
        free(bufs)
        free(mem)
        free(blocks)
        free(pool)
        return NULL
    blocks[0] = descs
    blocks[1] = bufs
    blocks[2] = mem
    pool.blocks = blocks
    # link free lists so the first allocations use the lowest addresses
    for i in range(npackets):
        descs[i].pool = pool
        descs[i].next = &descs[i + 1] if i + 1 < npackets else NULL
    for i in range(nbuffers):
        bufs[i].start = mem + <size_t>i * BUFFER_SIZE
        bufs[i].size = BUFFER_SIZE
        bufs[i].next_free = &bufs[i + 1] if i + 1 < nbuffers else NULL
    pool.free_packets = descs if npackets else NULL
    pool.free_buffers = bufs if nbuffers else NULL
    pool.npackets = pool.packets_free = npackets
    pool.nbuffers = pool.buffers_free = nbuffers
    return pool


cdef void pool_destroy(PacketPool *pool) noexcept nogil:
    cdef void **blocks
    if pool == NULL:
        return
    blocks = <void **>pool.blocks
    free(blocks[0])
    free(blocks[1])
    free(blocks[2])
    free(blocks)
    free(pool)


cdef PacketPool *pool_default() noexcept nogil:
    """This thread's pool: the one to allocate from."""
    global _default_pool
    if _thread_pool != NULL:
        return <PacketPool *>_thread_pool
    if _default_pool == NULL:
        _default_pool = pool_create(DEFAULT_PACKETS_C, DEFAULT_BUFFERS_C)
    return _default_pool


# -- threaded pools ------------------------------------------------------------
cdef uint32_t thread_index() noexcept nogil:
    """The driver thread running this code (0: the main one)."""
    return _thread_index


cdef int pools_start_thread(uint32_t index) noexcept nogil:
    """Called by driver thread ``index`` (> 0) before it runs: gives it a pool
    of its own, and puts the main pool in threaded mode. -1: no memory."""
    global _thread_pool, _thread_index
    cdef PacketPool *pool
    pool_default().threaded = True      # the main pool (still this thread's default)
    pool = pool_create(THREAD_PACKETS_C, THREAD_BUFFERS_C)
    if pool == NULL:
        return -1
    pool.threaded = True
    pool.owner = index
    _thread_pool = pool
    _thread_index = index
    return 0


cdef bint _pool_reclaim(PacketPool *pool) noexcept nogil:
    """Moves what other threads freed into the owner's free lists; whether
    anything came back."""
    cdef Packet *p = <Packet *>stack_take(&pool.remote_packets)
    cdef Buffer *b = <Buffer *>stack_take(&pool.remote_buffers)
    cdef Packet *next_p
    cdef Buffer *next_b
    cdef bint any = p != NULL or b != NULL
    while p != NULL:
        next_p = p.next
        p.next = pool.free_packets
        pool.free_packets = p
        pool.packets_free += 1
        p = next_p
    while b != NULL:
        next_b = b.next_free
        b.next_free = pool.free_buffers
        pool.free_buffers = b
        pool.buffers_free += 1
        b = next_b
    return any


cdef void _buffer_share_threaded(Buffer *b) noexcept nogil:
    atomic_add_u32(&b.users, 1)


cdef void _buffer_release_threaded(PacketPool *pool, Buffer *b) noexcept nogil:
    """_buffer_release when threads share packets: a clone's count may drop
    in two threads at once; a pool buffer freed by a thread other than the
    pool's owner goes onto the pool's remote stack."""
    if b.users != 1 and atomic_sub_u32(&b.users, 1) != 0:
        return                          # a clone still uses it
    b.users = 0
    if b.external == BUF_POOL:
        if pool.owner == _thread_index:
            b.next_free = pool.free_buffers
            pool.free_buffers = b
            pool.buffers_free += 1
        else:
            stack_push(&pool.remote_buffers, b, b,
                       <size_t>(<char *>&b.next_free - <char *>b))
    elif b.external == BUF_MALLOC:
        _buffer_free_external(b)
    else:
        b.release(b)


cdef void _pkt_kill_threaded(Packet *p) noexcept nogil:
    cdef PacketPool *pool = p.pool
    _buffer_release_threaded(pool, p.buf)
    if pool.owner == _thread_index:
        p.next = pool.free_packets
        pool.free_packets = p
        pool.packets_free += 1
    else:
        stack_push(&pool.remote_packets, p, p, <size_t>(<char *>&p.next - <char *>p))


cdef void pool_set_default(PacketPool *pool) noexcept nogil:
    global _default_pool
    _default_pool = pool


cdef Buffer *_buffer_external(PacketPool *pool, uint32_t size) noexcept nogil:
    """An oversize buffer (jumbo frames); the one path that allocates."""
    cdef Buffer *b = <Buffer *>malloc(sizeof(Buffer) + size)
    if b == NULL:
        return NULL
    b.start = <uint8_t *>(b + 1)
    b.size = size
    b.users = 1
    b.external = BUF_MALLOC
    b.next_free = NULL
    b.release = NULL
    b.owner = NULL
    pool.external_allocs += 1
    return b


cdef void _buffer_free_external(Buffer *b) noexcept nogil:
    free(b)


cdef Packet *pkt_expand(Packet *p, uint32_t headroom, uint32_t tailroom) noexcept nogil:
    """Moves ``p``'s data to a buffer of its own with at least this much room.

    Used to unshare a clone's data and to grow past the buffer's room.
    Returns ``p`` (same descriptor, new data pointer), or NULL when the
    pool is out of buffers; ``p`` is unchanged then.
    """
    cdef PacketPool *pool = p.pool
    cdef PacketPool *take_from = pool_default() if pool.threaded else pool
    cdef uint32_t head = pkt_headroom(p)
    cdef uint32_t tail = p.buf.size - head - p.length
    cdef uint32_t need
    cdef Buffer *b
    cdef int32_t shift
    if headroom < head:
        headroom = head
    if tailroom < tail:
        tailroom = tail
    need = headroom + p.length + tailroom
    b = _buffer_take(take_from, need)
    if b == NULL:
        return NULL
    if b.external == BUF_POOL:
        headroom = BUFFER_SIZE - p.length - tailroom     # keep any spare room in front
    # copy the old headroom too, as Click's uniqueify does: headers pulled
    # off earlier (Strip before an IP element) stay in front of the data
    memcpy(b.start + headroom - head, p.buf.start, head + p.length)
    # header offsets are relative to the buffer start: shift them with the data
    shift = <int32_t>headroom - <int32_t>head
    if p.network_off >= 0:
        p.network_off += shift
    if p.transport_off >= 0:
        p.transport_off += shift
    _buffer_release(pool, p.buf)        # the old buffer
    p.buf = b
    p.data = b.start + headroom
    return p


ANNOTATION_AREA_SIZE = ANNO_SIZE


def pool_stats():
    """Counters of the default pool: a dict for handlers and tests."""
    cdef PacketPool *pool = pool_default()
    return {"packets": pool.npackets, "packets_free": pool.packets_free,
            "buffers": pool.nbuffers, "buffers_free": pool.buffers_free,
            "alloc_failures": pool.alloc_failures, "external_allocs": pool.external_allocs}


def use_new_default_pool(uint32_t npackets, uint32_t nbuffers):
    """Replaces the default pool (tests of pool exhaustion). Packets still
    alive keep a pointer to their own pool, which is then leaked, not freed."""
    cdef PacketPool *pool = pool_create(npackets, nbuffers)
    if pool == NULL:
        raise MemoryError("cannot allocate packet pool")
    pool_set_default(pool)


cdef class PacketView:
    """A packet seen from Python: tests, handlers and Python elements.

    Owns its C packet until handed to the data path (``_release``). Data
    is copied out as ``bytes``; annotations are read and written by name.
    """

    def __cinit__(self, data=None, *, uint32_t headroom=DEFAULT_HEADROOM):
        self._p = NULL
        if data is None:
            return
        if hasattr(data, "build"):          # a scapy packet
            data = bytes(data)
        cdef const uint8_t[:] view = memoryview(bytes(data)).cast("B")
        cdef uint32_t n = <uint32_t>view.shape[0]
        self._p = pkt_alloc(pool_default(), n, headroom)
        if self._p == NULL:
            raise MemoryError("packet pool exhausted")
        if n:
            memcpy(self._p.data, &view[0], n)

    def __dealloc__(self):
        if self._p != NULL:
            pkt_kill(self._p)
            self._p = NULL

    @staticmethod
    cdef PacketView wrap(Packet *p):
        """Takes ownership of a C packet."""
        cdef PacketView v = PacketView.__new__(PacketView)
        v._p = p
        return v

    cdef Packet *_release(self) except NULL:
        """Gives the C packet to the data path; the view is empty afterwards."""
        cdef Packet *p = self._p
        if p == NULL:
            raise ValueError("packet already handed to the router")
        self._p = NULL
        return p

    cdef Packet *_get(self) except NULL:
        if self._p == NULL:
            raise ValueError("packet already handed to the router")
        return self._p

    @property
    def data(self):
        cdef Packet *p = self._get()
        return PyBytes_FromStringAndSize(<char *>p.data, p.length)

    def __bytes__(self):
        return self.data

    def __len__(self):
        return self._get().length

    def __repr__(self):
        if self._p == NULL:
            return "<Packet (released)>"
        return f"<Packet {self._p.length} bytes>"

    @property
    def anno(self):
        cdef Packet *p = self._get()
        return PyBytes_FromStringAndSize(<char *>p.anno, ANNO_SIZE)

    def set_anno(self, int offset, bytes value):
        cdef Packet *p = self._get()
        if offset < 0 or offset + len(value) > ANNO_SIZE:
            raise ValueError("annotation outside the annotation area")
        memcpy(&p.anno[offset], <char *>value, len(value))

    @property
    def paint(self):
        return self._get().anno[ANNO_PAINT]

    @paint.setter
    def paint(self, uint8_t value):
        self._get().anno[ANNO_PAINT] = value

    @property
    def dst_ip(self):
        """Destination IP annotation as dotted text."""
        cdef Packet *p = self._get()
        return ".".join(str(p.anno[ANNO_DST_IP + i]) for i in range(4))

    @dst_ip.setter
    def dst_ip(self, value):
        cdef Packet *p = self._get()
        parts = [int(x) for x in str(value).split(".")]
        for i in range(4):
            p.anno[ANNO_DST_IP + i] = parts[i]

    @property
    def timestamp(self):
        """Timestamp annotation in seconds (float), 0 when unset."""
        return self._get().timestamp_ns / 1e9

    @property
    def timestamp_ns(self):
        return self._get().timestamp_ns

    @timestamp_ns.setter
    def timestamp_ns(self, int64_t value):
        self._get().timestamp_ns = value

    @property
    def packet_type(self):
        return self._get().packet_type

    @packet_type.setter
    def packet_type(self, uint8_t value):
        self._get().packet_type = value

    @property
    def network_header_offset(self):
        """Offset of the network header from the data start, or None."""
        cdef Packet *p = self._get()
        if p.network_off < 0:
            return None
        return <int>(p.buf.start + p.network_off - p.data)

    def set_network_header(self, int offset, int length):
        cdef Packet *p = self._get()
        if offset < 0 or length < 0 or offset + length > <int>p.length:
            raise ValueError("network header outside the packet")
        p.network_off = <int>(p.data - p.buf.start) + offset
        p.transport_off = p.network_off + length

    @property
    def shared(self):
        return self._get().buf.users > 1

    @property
    def headroom(self):
        cdef Packet *p = self._get()
        return <uint32_t>(p.data - p.buf.start)

    def clone(self):
        cdef Packet *q = pkt_clone(self._get())
        if q == NULL:
            raise MemoryError("packet pool exhausted")
        return PacketView.wrap(q)

    def uniqueify(self):
        if pkt_uniqueify(self._get()) < 0:
            raise MemoryError("packet pool exhausted")
        return self

    def pull(self, uint32_t n):
        pkt_pull(self._get(), n)
        return self

    def take(self, uint32_t n):
        pkt_take(self._get(), n)
        return self

    def unpull(self, uint32_t n):
        """Gives back ``n`` bytes pulled off earlier (what Unstrip does)."""
        if pkt_unpull(self._get(), n) < 0:
            raise MemoryError("packet pool exhausted")
        return self

    def push(self, bytes header):
        cdef Packet *p = self._get()
        if pkt_push(p, len(header)) < 0:
            raise MemoryError("packet pool exhausted")
        memcpy(p.data, <char *>header, len(header))
        return self

    def put(self, bytes tail):
        cdef Packet *p = self._get()
        cdef uint32_t old = p.length
        if pkt_put(p, len(tail)) < 0:
            raise MemoryError("packet pool exhausted")
        memcpy(p.data + old, <char *>tail, len(tail))
        return self

    def write(self, uint32_t offset, bytes value):
        """Overwrites bytes at ``offset`` (copying first if shared)."""
        cdef Packet *p = self._get()
        if offset + len(value) > p.length:
            raise ValueError("write past the end of the packet")
        if pkt_uniqueify(p) < 0:
            raise MemoryError("packet pool exhausted")
        memcpy(p.data + offset, <char *>value, len(value))

    def to_scapy(self, layer=None):
        """The packet as a scapy object (Ethernet unless ``layer`` says otherwise)."""
        if layer is None:
            from scapy.layers.l2 import Ether as layer
        return layer(self.data)

    @classmethod
    def from_scapy(cls, pkt):
        return cls(bytes(pkt))
