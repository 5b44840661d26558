# arptable.pxd -- the ARP cache (ARPTableCore) that ARPTable and ARPQuerier share, cimported by both
from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t

from clickpy.runtime.packet cimport Packet

cdef enum:
    ARP_HZ = 1000                   # table times are jiffies of 1 ms, as Click's user level
    ARPT_KNOWN_RETRY = -2           # append_query: the address became known, look it up again
    ARPT_NOMEM = -1                 # no entry could be made, or the entry's queue is full


ctypedef struct ARPEntry:
    uint32_t ip                     # IPv4 address, memory order (the key)
    uint8_t eth[6]                  # Ethernet address (FF-FF-FF-FF-FF-FF until known)
    bint known                      # eth is valid
    uint8_t polls                   # queries since the last reply (saturates at 255)
    int64_t live_at_j               # last reply or insert, jiffies
    int64_t polled_at_j             # last query, jiffies
    Packet *head                    # packets waiting for the address, oldest first
    Packet *tail
    uint32_t npackets               # packets queued here
    ARPEntry *hash_next             # bucket chain
    ARPEntry *age_prev              # age list: oldest first
    ARPEntry *age_next


cdef class ARPTableCore:
    cdef ARPEntry **buckets         # chained hash table, nbuckets a power of two
    cdef uint32_t nbuckets
    cdef ARPEntry *age_head         # oldest entry
    cdef ARPEntry *age_tail         # newest entry
    cdef readonly uint32_t entry_count      # entries in the table
    cdef readonly uint32_t packet_count     # packets queued in all entries
    cdef public uint32_t entry_capacity     # ENTRY_CAPACITY; 0: unlimited
    cdef public uint32_t packet_capacity    # CAPACITY; 0: unlimited
    cdef public uint32_t entry_packet_capacity  # ENTRY_PACKET_CAPACITY; 0: unlimited
    cdef public uint32_t slim_factor        # CAPACITY_SLIM_FACTOR
    cdef public int64_t timeout_j           # TIMEOUT in jiffies; 0: entries never expire
    cdef readonly uint64_t drops            # packets killed by timeouts and limits
    cdef object timer                       # expiry timer, once started

    cdef ARPEntry *find(self, uint32_t ip) noexcept nogil
    cdef int lookup(self, uint32_t ip, uint8_t *eth, int64_t poll_timeout_j,
                    int64_t now_j) noexcept nogil
    cdef int insert(self, uint32_t ip, const uint8_t *eth, Packet **head) noexcept nogil
    cdef int append_query(self, uint32_t ip, Packet *p) noexcept nogil
    cdef void slim(self, int64_t now_j) noexcept nogil
    cdef void clear(self) noexcept nogil
    cdef ARPEntry *_ensure(self, uint32_t ip, int64_t now_j) noexcept nogil
    cdef void _unlink_age(self, ARPEntry *ae) noexcept nogil
    cdef void _append_age(self, ARPEntry *ae) noexcept nogil
    cdef void _insert_age_before(self, ARPEntry *ae, ARPEntry *next) noexcept nogil
    cdef void _remove(self, ARPEntry *ae) noexcept nogil
    cdef int _grow(self) noexcept nogil


cdef int64_t arp_now_j() noexcept nogil
