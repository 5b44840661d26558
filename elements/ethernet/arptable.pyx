# arptable.pyx -- ARPTable: an IPv4-to-Ethernet table that ARPQuerier elements can share
from clickpy.runtime.arptable cimport ARPTableCore
from clickpy.runtime.element cimport Element
from clickpy.runtime.arptable import TABLE_ARGS


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
