# packet.pxd -- packets as C structs in preallocated pools; the inline data-path API
from libc.stdint cimport int32_t, int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy

cdef enum:
    ANNO_SIZE = 48              # Click's annotation area, bytes
    DEFAULT_HEADROOM = 128      # room to push headers (Ethernet, VLAN, IP-in-IP...)
    BUFFER_SIZE = 2048          # pool buffer, headroom included
    BATCH_MAX = 64              # packets per batch (64 measured best on the prototype)

# annotation offsets in the area (Click's packet_anno.hh names)
cdef enum:
    ANNO_DST_IP = 0             # 4 bytes, network order
    ANNO_AGGREGATE = 12         # 4 bytes
    ANNO_PAINT = 16             # 1 byte
    ANNO_ICMP_PARAMPROB = 17    # 1 byte
    ANNO_FIX_IP_SRC = 18        # 1 byte
    ANNO_VLAN_TCI = 20          # 2 bytes
    ANNO_EXTRA_PACKETS = 24     # 4 bytes
    ANNO_EXTRA_LENGTH = 28      # 4 bytes
    ANNO_FIRST_TIMESTAMP = 32   # 8 bytes

# packet types (Click's Packet::PacketType)
cdef enum:
    PKT_HOST = 0
    PKT_BROADCAST = 1
    PKT_MULTICAST = 2
    PKT_OTHERHOST = 3
    PKT_OUTGOING = 4

# where a buffer's memory comes from (Buffer.external)
cdef enum:
    BUF_POOL = 0                # one of a pool's BUFFER_SIZE buffers
    BUF_MALLOC = 1              # an oversize buffer from malloc (jumbo frames)
    BUF_FOREIGN = 2             # owned elsewhere (a ring frame): release(b) gives it back

ctypedef struct Buffer:
    uint8_t *start              # first byte of the buffer
    uint32_t size               # bytes in the buffer
    uint32_t users              # packets sharing it (clones)
    uint8_t external            # BUF_*
    Buffer *next_free
    void (*release)(Buffer *b) noexcept nogil     # BUF_FOREIGN: gives the memory back
    void *owner                 # BUF_FOREIGN: the owner's state (a ring block)

ctypedef struct PacketPool:
    Packet *free_packets        # LIFO free lists keep buffers warm in cache
    Buffer *free_buffers
    uint32_t npackets           # descriptors owned
    uint32_t nbuffers           # pool buffers owned
    uint32_t packets_free
    uint32_t buffers_free
    uint64_t alloc_failures     # requests refused because the pool was empty
    uint64_t external_allocs    # oversize buffers taken from malloc
    void *blocks                # memory blocks to free with the pool
    # several driver threads (-j N): each allocates from a pool of its own;
    # a packet killed by another thread goes onto its pool's remote stacks,
    # which the owner takes back when its free lists run dry
    bint threaded
    uint32_t owner              # index of the thread that allocates from it
    void *remote_packets        # Packet * stack, pushed atomically
    void *remote_buffers        # Buffer * stack

ctypedef struct Packet:
    uint8_t *data               # first byte of packet data
    uint32_t length             # bytes of packet data
    int32_t network_off         # network header, bytes from buf.start (-1: none)
    int32_t transport_off       # transport header, bytes from buf.start (-1: none)
    Buffer *buf                 # the data's buffer, maybe shared with clones
    PacketPool *pool            # where it returns when killed
    Packet *next                # queue and free-list link
    int64_t timestamp_ns        # timestamp annotation, ns since the epoch (0: none)
    uint8_t packet_type         # PKT_* (Click's packet type annotation)
    uint8_t device              # input device index annotation
    uint8_t anno[ANNO_SIZE]     # Click's annotation area

ctypedef struct Batch:
    uint32_t n
    Packet *p[BATCH_MAX]


# -- pools (packet.pyx) -----------------------------------------------------
cdef PacketPool *pool_create(uint32_t npackets, uint32_t nbuffers) noexcept nogil
cdef void pool_destroy(PacketPool *pool) noexcept nogil
cdef PacketPool *pool_default() noexcept nogil
cdef void pool_set_default(PacketPool *pool) noexcept nogil
cdef Buffer *_buffer_external(PacketPool *pool, uint32_t size) noexcept nogil
cdef void _buffer_free_external(Buffer *b) noexcept nogil
cdef Packet *pkt_expand(Packet *p, uint32_t headroom, uint32_t tailroom) noexcept nogil
# threaded pools (out of line: single-threaded runs never call them)
cdef uint32_t thread_index() noexcept nogil
cdef bint _pool_reclaim(PacketPool *pool) noexcept nogil
cdef void _pkt_kill_threaded(Packet *p) noexcept nogil
cdef void _buffer_release_threaded(PacketPool *pool, Buffer *b) noexcept nogil
cdef void _buffer_share_threaded(Buffer *b) noexcept nogil
cdef int pools_start_thread(uint32_t index) noexcept nogil


# -- inline data-path functions ---------------------------------------------
cdef inline Buffer *_buffer_take(PacketPool *pool, uint32_t size) noexcept nogil:
    """A buffer of at least ``size`` bytes, used once: one of the pool's, or
    an external one when ``size`` exceeds BUFFER_SIZE; NULL when there is
    none (counted in alloc_failures)."""
    cdef Buffer *b
    if size <= BUFFER_SIZE:
        b = pool.free_buffers
        if b == NULL:
            if not (pool.threaded and _pool_reclaim(pool)):
                pool.alloc_failures += 1
                return NULL
            b = pool.free_buffers
        pool.free_buffers = b.next_free
        pool.buffers_free -= 1
        b.users = 1
        return b
    b = _buffer_external(pool, size)
    if b == NULL:
        pool.alloc_failures += 1
    return b


cdef inline Packet *pkt_alloc(PacketPool *pool, uint32_t length,
                              uint32_t headroom=DEFAULT_HEADROOM) noexcept nogil:
    """A packet of ``length`` uninitialized bytes, or NULL when the pool is empty."""
    cdef Packet *p = pool.free_packets
    cdef Buffer *b
    if p == NULL:
        if not (pool.threaded and _pool_reclaim(pool)):
            pool.alloc_failures += 1
            return NULL
        p = pool.free_packets
    b = _buffer_take(pool, headroom + length)
    if b == NULL:
        return NULL
    pool.free_packets = p.next
    pool.packets_free -= 1
    p.buf = b
    p.data = b.start + headroom
    p.length = length
    p.network_off = -1
    p.transport_off = -1
    p.next = NULL
    p.timestamp_ns = 0
    p.packet_type = PKT_HOST
    p.device = 0
    (<uint64_t *>p.anno)[0] = 0     # 48 bytes of annotations, cleared 8 at a time
    (<uint64_t *>p.anno)[1] = 0
    (<uint64_t *>p.anno)[2] = 0
    (<uint64_t *>p.anno)[3] = 0
    (<uint64_t *>p.anno)[4] = 0
    (<uint64_t *>p.anno)[5] = 0
    return p


cdef inline Packet *pkt_make(PacketPool *pool, const uint8_t *data, uint32_t length) noexcept nogil:
    """A new packet holding a copy of ``data``."""
    cdef Packet *p = pkt_alloc(pool, length)
    if p != NULL:
        memcpy(p.data, data, length)
    return p


cdef inline void _buffer_release(PacketPool *pool, Buffer *b) noexcept nogil:
    """One user fewer; the last one returns the buffer to ``pool`` (or to
    malloc, or to its foreign owner)."""
    if pool.threaded:
        _buffer_release_threaded(pool, b)
        return
    b.users -= 1
    if b.users == 0:
        if b.external == BUF_POOL:
            b.next_free = pool.free_buffers
            pool.free_buffers = b
            pool.buffers_free += 1
        elif b.external == BUF_MALLOC:
            _buffer_free_external(b)
        else:
            b.release(b)


cdef inline void pkt_kill(Packet *p) noexcept nogil:
    """Returns a packet (and its buffer, if no clone still uses it) to its pool."""
    cdef PacketPool *pool = p.pool
    if pool.threaded:
        _pkt_kill_threaded(p)
        return
    _buffer_release(pool, p.buf)
    p.next = pool.free_packets
    pool.free_packets = p
    pool.packets_free += 1


cdef inline Packet *pkt_attach(PacketPool *pool, Buffer *b, uint8_t *data,
                               uint32_t length) noexcept nogil:
    """A packet whose data is ``length`` bytes at ``data`` in the caller's
    buffer ``b`` (a ring frame: BUF_FOREIGN, users set by the caller); only
    the descriptor comes from ``pool``. NULL when it has none."""
    cdef Packet *p = pool.free_packets
    if p == NULL:
        if not (pool.threaded and _pool_reclaim(pool)):
            pool.alloc_failures += 1
            return NULL
        p = pool.free_packets
    pool.free_packets = p.next
    pool.packets_free -= 1
    p.buf = b
    p.data = data
    p.length = length
    p.network_off = -1
    p.transport_off = -1
    p.next = NULL
    p.timestamp_ns = 0
    p.packet_type = PKT_HOST
    p.device = 0
    (<uint64_t *>p.anno)[0] = 0
    (<uint64_t *>p.anno)[1] = 0
    (<uint64_t *>p.anno)[2] = 0
    (<uint64_t *>p.anno)[3] = 0
    (<uint64_t *>p.anno)[4] = 0
    (<uint64_t *>p.anno)[5] = 0
    return p


cdef inline uint8_t *pkt_data(Packet *p) noexcept nogil:
    return p.data


cdef inline uint32_t pkt_len(Packet *p) noexcept nogil:
    return p.length


cdef inline uint32_t pkt_headroom(Packet *p) noexcept nogil:
    return <uint32_t>(p.data - p.buf.start)


cdef inline uint32_t pkt_tailroom(Packet *p) noexcept nogil:
    return p.buf.size - pkt_headroom(p) - p.length


cdef inline bint pkt_shared(Packet *p) noexcept nogil:
    return p.buf.users > 1


cdef inline void pkt_pull(Packet *p, uint32_t n) noexcept nogil:
    """Removes ``n`` bytes from the front (callers check ``n <= length``)."""
    if n > p.length:
        n = p.length
    p.data += n
    p.length -= n


cdef inline void pkt_take(Packet *p, uint32_t n) noexcept nogil:
    """Removes ``n`` bytes from the end."""
    if n > p.length:
        n = p.length
    p.length -= n


cdef inline int pkt_push(Packet *p, uint32_t n) noexcept nogil:
    """Adds ``n`` bytes in front (headroom first); -1 when no memory.

    Pushing into a shared buffer would change what clones see, so a shared
    packet is copied first (Click's push() does the same).
    """
    if n <= pkt_headroom(p) and not pkt_shared(p):
        p.data -= n
        p.length += n
        return 0
    if pkt_expand(p, n + DEFAULT_HEADROOM, 0) == NULL:
        return -1
    p.data -= n
    p.length += n
    return 0


cdef inline int pkt_unpull(Packet *p, uint32_t n) noexcept nogil:
    """Gives back ``n`` bytes pulled earlier (Unstrip); never copies unless needed."""
    if n <= pkt_headroom(p):
        p.data -= n
        p.length += n
        return 0
    return pkt_push(p, n)


cdef inline int pkt_put(Packet *p, uint32_t n) noexcept nogil:
    """Adds ``n`` bytes at the end (tailroom first); -1 when no memory."""
    if n <= pkt_tailroom(p) and not pkt_shared(p):
        p.length += n
        return 0
    if pkt_expand(p, 0, n) == NULL:
        return -1
    p.length += n
    return 0


cdef inline int pkt_uniqueify(Packet *p) noexcept nogil:
    """Makes the data writable by this packet alone; -1 when no memory."""
    if not pkt_shared(p):
        return 0
    return 0 if pkt_expand(p, 0, 0) != NULL else -1


cdef inline Packet *pkt_clone(Packet *p) noexcept nogil:
    """A second packet sharing ``p``'s data (copy on write), or NULL."""
    cdef PacketPool *pool = p.pool
    cdef Packet *q
    if pool.threaded:
        pool = pool_default()           # this thread's: only its owner takes from a pool
    q = pool.free_packets
    if q == NULL:
        if not (pool.threaded and _pool_reclaim(pool)):
            pool.alloc_failures += 1
            return NULL
        q = pool.free_packets
    pool.free_packets = q.next
    pool.packets_free -= 1
    memcpy(q, p, sizeof(Packet))
    q.pool = pool
    q.next = NULL
    if pool.threaded:
        _buffer_share_threaded(p.buf)
    else:
        p.buf.users += 1
    return q


cdef inline uint8_t *pkt_network_header(Packet *p) noexcept nogil:
    return p.buf.start + p.network_off if p.network_off >= 0 else NULL


cdef inline uint8_t *pkt_transport_header(Packet *p) noexcept nogil:
    return p.buf.start + p.transport_off if p.transport_off >= 0 else NULL


cdef inline void pkt_set_network_header(Packet *p, uint8_t *nh, uint32_t nh_len) noexcept nogil:
    p.network_off = <int32_t>(nh - p.buf.start)
    p.transport_off = <int32_t>(nh - p.buf.start + nh_len)


cdef inline int32_t pkt_network_offset(Packet *p) noexcept nogil:
    """Network header position relative to the data (may be negative); -1
    without a network header annotation, so check ``network_off`` where a
    header just before the data matters."""
    return <int32_t>(p.buf.start + p.network_off - p.data) if p.network_off >= 0 else -1


cdef inline int32_t pkt_transport_offset(Packet *p) noexcept nogil:
    """Transport header position relative to the data, as pkt_network_offset."""
    return <int32_t>(p.buf.start + p.transport_off - p.data) if p.transport_off >= 0 else -1


cdef inline void batch_kill(Batch *b) noexcept nogil:
    cdef uint32_t i
    for i in range(b.n):
        pkt_kill(b.p[i])
    b.n = 0


cdef class PacketView:
    cdef Packet *_p                 # owned; NULL once released to the data path

    @staticmethod
    cdef PacketView wrap(Packet *p)
    cdef Packet *_release(self) except NULL
    cdef Packet *_get(self) except NULL
