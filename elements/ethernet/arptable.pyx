# arptable.pyx -- ARPTable and its C core: the IPv4-to-Ethernet cache ARPQuerier elements share
#
# Click's ARPTable semantics (elements/ethernet/arptable.{hh,cc}): entries
# in a hash table and on an age list, oldest first; an entry holds the
# packets waiting for its address; queries for one address are limited to
# ten a second, and to one every two seconds after ten without a reply.
from libc.stdint cimport int64_t, uint8_t, uint32_t
from libc.stdlib cimport calloc, free
from libc.string cimport memcmp, memcpy, memset

from clickpy.runtime.clock cimport now_ns
from clickpy.runtime.element cimport Element
from clickpy.runtime.packet cimport Packet, pkt_kill
from clickpy.lang import confstring
from clickpy.lang.values import format_ether, format_ip, format_timestamp
from clickpy.runtime.args import (
    MANDATORY,
    POSITIONAL,
    U32,
    Arg,
    EtherAddress,
    IPAddress,
    Timestamp,
    parse_args,
)

__all__ = ["ARPTable", "ARPTableCore", "TABLE_ARGS"]

# ARPTable's arguments; ARPQuerier takes them too for the table it makes
TABLE_ARGS = (Arg("CAPACITY", U32, default=2048),
              Arg("ENTRY_CAPACITY", U32, default=0),
              Arg("ENTRY_PACKET_CAPACITY", U32, default=0),
              Arg("CAPACITY_SLIM_FACTOR", U32, default=2),
              Arg("TIMEOUT", Timestamp, default=300 * 1000000000))

cdef uint8_t BROADCAST[6]
memset(BROADCAST, 0xFF, 6)

INSERT_ARGS = (Arg("IP", IPAddress, MANDATORY | POSITIONAL),
               Arg("ETH", EtherAddress, MANDATORY | POSITIONAL))
DELETE_ARGS = (Arg("IP", IPAddress, MANDATORY | POSITIONAL),)


cdef int64_t arp_now_j() noexcept nogil:
    return now_ns() // 1000000


cdef inline uint32_t _hash(uint32_t ip) noexcept nogil:
    ip ^= ip >> 16
    ip *= 0x45D9F3B
    ip ^= ip >> 16
    return ip


cdef inline bint _expired(ARPEntry *ae, int64_t now_j, int64_t timeout_j) noexcept nogil:
    return timeout_j != 0 and ae.live_at_j + timeout_j < now_j


cdef inline bint _known(ARPEntry *ae, int64_t now_j, int64_t timeout_j) noexcept nogil:
    return ae.known and not _expired(ae, now_j, timeout_j)


cdef inline bint _allow_poll(ARPEntry *ae, int64_t now_j) noexcept nogil:
    # ten queries a second; one every two seconds once ten went unanswered
    return now_j >= ae.polled_at_j + (2 * ARP_HZ if ae.polls >= 10 else ARP_HZ // 10)


cdef inline void _mark_poll(ARPEntry *ae, int64_t now_j) noexcept nogil:
    ae.polled_at_j = now_j
    if ae.polls < 255:
        ae.polls += 1


cdef class ARPTableCore:
    """The C table; Python sees handlers' worth of methods."""

    def __cinit__(self):
        self.nbuckets = 64
        self.buckets = <ARPEntry **>calloc(self.nbuckets, sizeof(ARPEntry *))
        if self.buckets == NULL:
            raise MemoryError()
        self.age_head = self.age_tail = NULL
        self.entry_count = self.packet_count = 0
        self.entry_capacity = 0
        self.packet_capacity = 2048
        self.entry_packet_capacity = 0
        self.slim_factor = 2
        self.timeout_j = 300 * ARP_HZ
        self.drops = 0
        self.timer = None

    def __init__(self):
        pass

    def __dealloc__(self):
        self.clear()
        free(self.buckets)

    # -- configuration (cold) ----------------------------------------------------
    def configure(self, args):
        """Takes parsed TABLE_ARGS values."""
        if args.CAPACITY_SLIM_FACTOR == 0:
            raise ValueError("CAPACITY_SLIM_FACTOR cannot be zero")
        self.packet_capacity = args.CAPACITY
        self.entry_capacity = args.ENTRY_CAPACITY
        self.entry_packet_capacity = args.ENTRY_PACKET_CAPACITY
        self.slim_factor = args.CAPACITY_SLIM_FACTOR
        self.set_timeout_ns(args.TIMEOUT)

    def set_timeout_ns(self, int64_t timeout_ns):
        """TIMEOUT; Click treats timeouts of 2^32 jiffies or more as none."""
        if timeout_ns // 1000000000 >= 0xFFFFFFFF // ARP_HZ:
            self.timeout_j = 0
        else:
            self.timeout_j = timeout_ns // 1000000

    def start_timer(self, driver):
        """Expires old entries every TIMEOUT (+1 s), as Click's expiry timer."""
        if self.timeout_j and self.timer is None:
            # a daemon timer: housekeeping does not keep the router running
            self.timer = driver.new_timer(self._run_timer, daemon=True)
            self.timer.schedule_after(self.timeout_j // ARP_HZ)

    def _run_timer(self):
        self.slim(arp_now_j())
        if self.timeout_j:
            self.timer.schedule_after(self.timeout_j // ARP_HZ + 1)

    # -- the table (C) -------------------------------------------------------------
    cdef ARPEntry *find(self, uint32_t ip) noexcept nogil:
        cdef ARPEntry *ae = self.buckets[_hash(ip) & (self.nbuckets - 1)]
        while ae != NULL and ae.ip != ip:
            ae = ae.hash_next
        return ae

    cdef int _grow(self) noexcept nogil:
        cdef uint32_t n = self.nbuckets * 2, i, h
        cdef ARPEntry **nb = <ARPEntry **>calloc(n, sizeof(ARPEntry *))
        cdef ARPEntry *ae
        cdef ARPEntry *nxt
        if nb == NULL:
            return -1
        for i in range(self.nbuckets):
            ae = self.buckets[i]
            while ae != NULL:
                nxt = ae.hash_next
                h = _hash(ae.ip) & (n - 1)
                ae.hash_next = nb[h]
                nb[h] = ae
                ae = nxt
        free(self.buckets)
        self.buckets = nb
        self.nbuckets = n
        return 0

    cdef void _unlink_age(self, ARPEntry *ae) noexcept nogil:
        if ae.age_prev != NULL:
            ae.age_prev.age_next = ae.age_next
        else:
            self.age_head = ae.age_next
        if ae.age_next != NULL:
            ae.age_next.age_prev = ae.age_prev
        else:
            self.age_tail = ae.age_prev
        ae.age_prev = ae.age_next = NULL

    cdef void _append_age(self, ARPEntry *ae) noexcept nogil:
        self._insert_age_before(ae, NULL)

    cdef void _insert_age_before(self, ARPEntry *ae, ARPEntry *next) noexcept nogil:
        """Puts ``ae`` before ``next`` on the age list (at the end when NULL)."""
        ae.age_next = next
        if next == NULL:
            ae.age_prev = self.age_tail
            self.age_tail = ae
        else:
            ae.age_prev = next.age_prev
            next.age_prev = ae
        if ae.age_prev != NULL:
            ae.age_prev.age_next = ae
        else:
            self.age_head = ae

    cdef void _remove(self, ARPEntry *ae) noexcept nogil:
        """Unhashes, unlinks and frees an entry, killing its packets."""
        cdef ARPEntry **pp = &self.buckets[_hash(ae.ip) & (self.nbuckets - 1)]
        cdef Packet *p
        while pp[0] != ae:
            pp = &pp[0].hash_next
        pp[0] = ae.hash_next
        self._unlink_age(ae)
        while ae.head != NULL:
            p = ae.head
            ae.head = p.next
            p.next = NULL
            pkt_kill(p)
            self.packet_count -= 1
            self.drops += 1
        self.entry_count -= 1
        free(ae)

    cdef ARPEntry *_ensure(self, uint32_t ip, int64_t now_j) noexcept nogil:
        """The entry for ``ip``, made (unknown, at the end of the age list) if new."""
        cdef ARPEntry *ae = self.find(ip)
        cdef uint32_t h
        if ae != NULL:
            return ae
        if self.entry_count >= self.nbuckets * 2:
            self._grow()                    # a failed grow only lengthens chains
        ae = <ARPEntry *>calloc(1, sizeof(ARPEntry))
        if ae == NULL:
            return NULL
        # count it first: slimming for ENTRY_CAPACITY leaves room for it
        self.entry_count += 1
        if self.entry_capacity and self.entry_count > self.entry_capacity:
            self.slim(now_j)
        ae.ip = ip
        memcpy(ae.eth, BROADCAST, 6)
        ae.live_at_j = now_j
        ae.polled_at_j = now_j - ARP_HZ
        h = _hash(ip) & (self.nbuckets - 1)
        ae.hash_next = self.buckets[h]
        self.buckets[h] = ae
        self._append_age(ae)
        return ae

    cdef void slim(self, int64_t now_j) noexcept nogil:
        """Drops expired and excess entries (oldest first), then excess packets."""
        cdef ARPEntry *ae = self.age_head
        cdef ARPEntry *nxt
        cdef Packet *p
        cdef uint32_t target
        while ae != NULL and (_expired(ae, now_j, self.timeout_j)
                              or (self.entry_capacity
                                  and self.entry_count > self.entry_capacity)):
            nxt = ae.age_next
            self._remove(ae)
            ae = nxt
        if self.packet_capacity and self.packet_count > self.packet_capacity:
            target = self.packet_capacity - self.packet_capacity // self.slim_factor
            if target == 0:
                target = 1                  # the packet being added is counted already
            while ae != NULL and self.packet_count > target:
                while ae.head != NULL and self.packet_count > target:
                    p = ae.head
                    ae.head = p.next
                    if ae.head == NULL:
                        ae.tail = NULL
                    p.next = NULL
                    pkt_kill(p)
                    self.packet_count -= 1
                    ae.npackets -= 1
                    self.drops += 1
                ae = ae.age_next

    cdef int lookup(self, uint32_t ip, uint8_t *eth, int64_t poll_timeout_j,
                    int64_t now_j) noexcept nogil:
        """-1 unknown; 0 known (``eth`` set); 1 known and due for a renewal query.

        ``now_j`` is the caller's clock (one reading per batch: reading the
        clock per packet cost more than the lookup itself)."""
        cdef ARPEntry *ae = self.find(ip)
        if ae == NULL:
            return -1
        if not _known(ae, now_j, self.timeout_j):
            return -1
        memcpy(eth, ae.eth, 6)
        if poll_timeout_j and now_j >= ae.live_at_j + poll_timeout_j and _allow_poll(ae, now_j):
            _mark_poll(ae, now_j)
            return 1
        return 0

    cdef int insert(self, uint32_t ip, const uint8_t *eth, Packet **head) noexcept nogil:
        """Records ``ip`` at ``eth`` (broadcast: not known). With ``head``, hands
        over the packets queued for it, oldest first, linked by ``next``."""
        cdef int64_t now_j = arp_now_j()
        cdef ARPEntry *ae = self._ensure(ip, now_j)
        if ae == NULL:
            return ARPT_NOMEM
        memcpy(ae.eth, eth, 6)
        ae.known = memcmp(eth, BROADCAST, 6) != 0
        ae.live_at_j = now_j
        ae.polls = 0
        ae.polled_at_j = now_j - ARP_HZ
        if ae.age_next != NULL:
            self._unlink_age(ae)
            self._append_age(ae)
        if head != NULL:
            head[0] = ae.head
            ae.head = ae.tail = NULL
            self.packet_count -= ae.npackets
            ae.npackets = 0
        return 0

    cdef int append_query(self, uint32_t ip, Packet *p) noexcept nogil:
        """Queues ``p`` for ``ip``: 1 queued and a query is due, 0 queued,
        ARPT_KNOWN_RETRY (not queued) or ARPT_NOMEM (not queued: kill it)."""
        cdef int64_t now_j = arp_now_j()
        cdef ARPEntry *ae = self._ensure(ip, now_j)
        cdef ARPEntry *nxt
        cdef int64_t live_min
        if ae == NULL:
            return ARPT_NOMEM
        if _known(ae, now_j, self.timeout_j):
            return ARPT_KNOWN_RETRY
        # still wanted: keep the entry just short of expiring, so slimming
        # below cannot free it (Click's fix of 5 Nov 2009)
        if self.timeout_j:
            live_min = now_j - self.timeout_j
            if ae.live_at_j < live_min:
                ae.live_at_j = live_min
                nxt = ae.age_next
                while nxt != NULL and nxt.live_at_j < ae.live_at_j:
                    nxt = nxt.age_next
                if nxt != ae.age_next:
                    self._unlink_age(ae)
                    self._insert_age_before(ae, nxt)
        if self.entry_packet_capacity and ae.npackets >= self.entry_packet_capacity:
            self.drops += 1
            return ARPT_NOMEM
        self.packet_count += 1
        if self.packet_capacity and self.packet_count > self.packet_capacity:
            self.slim(now_j)
        p.next = NULL
        if ae.tail != NULL:
            ae.tail.next = p
        else:
            ae.head = p
        ae.tail = p
        ae.npackets += 1
        if _allow_poll(ae, now_j):
            _mark_poll(ae, now_j)
            return 1
        return 0

    cdef void clear(self) noexcept nogil:
        while self.age_head != NULL:
            self._remove(self.age_head)
        self.entry_count = self.packet_count = 0

    # -- handlers' view (cold) -------------------------------------------------------
    def table(self):
        """Click's table text: "IP VALID ETH AGE" per entry, oldest first."""
        cdef int64_t now_j = arp_now_j()
        cdef ARPEntry *ae = self.age_head
        lines = []
        while ae != NULL:
            lines.append(f"{format_ip((<char *>&ae.ip)[:4])} "
                         f"{1 if _known(ae, now_j, self.timeout_j) else 0} "
                         f"{format_ether((<char *>ae.eth)[:6])} "
                         f"{format_timestamp((now_j - ae.live_at_j) * 1000000)}\n")
            ae = ae.age_next
        return "".join(lines)

    def insert_address(self, bytes ip, bytes eth):
        cdef uint32_t a
        memcpy(&a, <const char *>ip, 4)
        if self.insert(a, <const uint8_t *><const char *>eth, NULL) < 0:
            raise MemoryError()

    def write_insert(self, text):
        """The insert handler: "IP ETH"."""
        args = parse_args(INSERT_ARGS, confstring.split_spaces(text))
        self.insert_address(args.IP, args.ETH)

    def write_delete(self, text):
        """The delete handler: "IP". As in Click, the entry stays, unknown."""
        args = parse_args(DELETE_ARGS, confstring.split_spaces(text))
        self.insert_address(args.IP, bytes(BROADCAST[:6]))

    def clear_all(self):
        self.clear()

    def lookup_address(self, bytes ip):
        """The Ethernet address known for ``ip``, or None."""
        cdef uint32_t a
        cdef uint8_t eth[6]
        memcpy(&a, <const char *>ip, 4)
        if self.lookup(a, eth, 0, arp_now_j()) < 0:
            return None
        return (<char *>eth)[:6]


cdef class ARPTable(Element):
    """
    =c
    ARPTable([CAPACITY, ENTRY_CAPACITY, ENTRY_PACKET_CAPACITY, CAPACITY_SLIM_FACTOR, TIMEOUT])
    =s arp
    stores IP-to-Ethernet mappings
    =io
    None.
    =processing
    None: an information element.
    =d
    Holds IPv4-to-Ethernet mappings and the packets waiting for an
    address, for the ARPQuerier elements that name it with TABLE (several
    may share one). Entries sit on an age list, oldest first; an entry
    older than TIMEOUT expires, killing the packets it holds. Every
    TIMEOUT (plus a second after the first time) expired entries are
    removed.

    When more than CAPACITY packets wait, packets are killed, oldest
    entries first, until CAPACITY - CAPACITY / CAPACITY_SLIM_FACTOR
    remain. When more than ENTRY_CAPACITY entries exist, the oldest go.
    =item CAPACITY
    Unsigned. Packets held at most, all entries together; 0 means no
    limit. Default is 2048.
    =item ENTRY_CAPACITY
    Unsigned. Entries held at most; 0 means no limit. Default is 0.
    =item ENTRY_PACKET_CAPACITY
    Unsigned. Packets held at most for one address; 0 means no limit.
    Default is 0.
    =item CAPACITY_SLIM_FACTOR
    Unsigned, not 0. How far below CAPACITY a full table is slimmed.
    Default is 2.
    =item TIMEOUT
    Time. Entries expire this long after their last update; 0 means
    never. Default is 5 minutes.
    =n
    Times have Click's user-level resolution of 1 ms. The expiry timer
    does not keep the router running. Entries live in insertion (age)
    order; nothing depends on Click's hash order.
    =e
      arpt :: ARPTable(TIMEOUT 60s);
      ARPQuerier(10.0.0.1, 00:01:02:03:04:05, TABLE arpt);
    =h table read-only
    One line per entry, oldest first: the IP address, 1 when the entry
    is valid and 0 when not, the Ethernet address, and the time since its
    last update ("SEC.USEC").
    =h drops read-only
    Packets killed by timeouts and capacity limits.
    =h count read-only
    Number of entries.
    =h length read-only
    Number of packets held.
    =h insert write-only
    Adds or updates an entry, "IP ETH".
    =h delete write-only
    Takes an IP address; marks its entry invalid (the entry stays, as in
    Click).
    =h clear write-only
    Removes every entry, killing the packets they hold.
    =a ARPQuerier, ARPResponder
    """
    port_count = "0/0"
    processing = "a/a"
    ARGS = TABLE_ARGS

    cdef ARPTableCore core      # the table itself

    def __cinit__(self):
        self.core = ARPTableCore()

    @property
    def arp_table_core(self):
        """The C table; ARPQuerier's TABLE finds it here."""
        return self.core

    def configure(self, args):
        self.core.configure(args)

    def initialize(self):
        self.core.start_timer(self.router.driver)

    def add_handlers(self):
        core = self.core
        self.add_read_handler("table", core.table)
        self.add_read_handler("drops", lambda: core.drops)
        self.add_read_handler("count", lambda: core.entry_count)
        self.add_read_handler("length", lambda: core.packet_count)
        self.add_write_handler("insert", core.write_insert)
        self.add_write_handler("delete", core.write_delete)
        self.add_write_handler("clear", lambda _: core.clear_all(), button=True)
