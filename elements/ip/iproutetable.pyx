# iproutetable.pyx -- IPRouteTable, base of the IP lookup elements: route syntax, handlers, slots
"""Click's IPRouteTable interface, kept in Python because it is all cold path.

Each lookup element (LinearIPLookup, RadixIPLookup, DirectIPLookup,
RangeIPLookup; StaticIPLookup through LinearIPLookup) derives from the
IPRouteTable cdef class below, which owns the C route slots and a
RouteTable. The RouteTable parses routes (``ADDR/MASK [GATEWAY] OUTPUT``),
keeps them by key in the order the ``table`` handler prints them, runs the
``add``, ``set``, ``remove`` and ``ctrl`` handlers with Click's messages and
rollback, and tells the element what changed through these methods
(IPRouteTable gives the slot store and no-op defaults; an element overrides
those its lookup structure needs):

- ``_rt_store(key, route)``: write (or, for None, free) the C slot ``key``;
- ``_rt_link(key, route)``: enter a stored route into the lookup structure;
- ``_rt_unlink(key, route, cover)``: take it out again; ``cover[l]`` is the
  key of the route for the ``l``-bit prefix of the same address (0: none),
  for every ``l`` shorter than the route's prefix, so the element can put
  the next-longest covering route back where this one was;
- ``_rt_flush()``: empty the lookup structure (the ``flush`` handler);
- ``_rt_lookup(addr)``: the key a lookup of ``addr`` finds (0: none);
- ``_rt_commit()``: called once after each change of the table.

Addresses are host-order integers throughout.
"""
from libc.stdint cimport int64_t, uint32_t
from libc.stdlib cimport free

import errno
import heapq

from clickpy.lang import confstring as cs
from clickpy.lang import values as v
from clickpy.runtime.args import IPAddress, IPPrefix

__all__ = ["IPRouteTable", "Route", "RouteTable", "parse_route", "format_route",
           "prefix_len"]

cdef enum:
    BENCH_CHUNK = 256           # addresses bench_lookups hands to one lookup_keys call

CMD_ADD = 0
CMD_SET = 1
CMD_REMOVE = 2
_ALL = 0xFFFFFFFF


class Route:
    """One route: prefix ``addr``/``mask``, gateway ``gw`` (0: none), output ``port``."""

    __slots__ = ("addr", "mask", "gw", "port")

    def __init__(self, addr, mask, gw, port):
        self.addr = addr
        self.mask = mask
        self.gw = gw
        self.port = port

    @property
    def plen(self):
        return prefix_len(self.mask)

    def __eq__(self, other):
        return (isinstance(other, Route) and self.addr == other.addr
                and self.mask == other.mask and self.gw == other.gw
                and self.port == other.port)

    def __hash__(self):
        return hash((self.addr, self.mask, self.gw, self.port))

    def __repr__(self):
        return f"Route({format_route(self, False)!r})"


def prefix_len(mask):
    """Prefix length of a contiguous mask, -1 for a non-contiguous one."""
    inv = ~mask & _ALL
    return 32 - inv.bit_length() if inv & (inv + 1) == 0 else -1


def make_mask(plen):
    return (_ALL << (32 - plen)) & _ALL if plen else 0


def _ip(addr):
    return v.format_ip(addr.to_bytes(4, "big"))


def parse_route(text, remove=False, names=None):
    """A Route from ``ADDR/MASK [GATEWAY] OUTPUT`` text, or None (Click's cp_ip_route).

    The gateway may be ``-`` (none); a bare address is a /32 route; host
    bits of the address are cleared. For a removal the output may be left
    out, giving port -1 ("any route for this prefix").
    """
    words = cs.split_spaces(text)
    if not words:
        return None
    try:
        a, m = IPPrefix.parse_in(words[0], names)
    except ValueError:
        return None
    mask = int.from_bytes(m, "big")
    addr = int.from_bytes(a, "big") & mask
    gw = 0
    i = 1
    word = words[i] if i < len(words) else ""
    if word == "-":
        i += 1
    elif word:
        try:
            gw = int.from_bytes(IPAddress.parse_in(word, names), "big")
            i += 1
        except ValueError:
            pass                        # no gateway: the word must be the output
    word = words[i] if i < len(words) else ""
    if word:
        try:
            port = v.parse_int(word, 32)
        except ValueError:
            return None
        i += 1
    elif remove:
        port = -1
    else:
        return None
    if i != len(words):
        return None
    return Route(addr, mask, gw, port)


def format_route(r, tabs):
    """Click's route text: ``ADDR/MASK GW PORT``; with ``tabs``, in padded columns."""
    pfx = v.format_ip_prefix(r.addr.to_bytes(4, "big"), r.mask.to_bytes(4, "big"))
    gw = _ip(r.gw) if r.gw else "-"
    if not tabs:
        return f"{pfx} {gw} {r.port}"
    # columns: the prefix padded to two tab stops, the gateway to one more
    return (pfx + ("\t\t" if len(pfx) < 16 else "\t")
            + gw + ("\t\t" if len(gw) < 8 else "\t") + str(r.port))


class RouteTable:
    """Routes of one lookup element, by key (1, 2, ...) and by prefix.

    ``linear`` chooses Click's LinearIPLookup bookkeeping: a replaced route
    keeps its place and a new route fills the first hole. Otherwise keys are
    handed out as RadixIPLookup does: the most recently freed first, and a
    replaced route moves to a fresh key. ``contiguous`` refuses
    non-contiguous masks (the trie and table elements need prefix lengths).
    ``tabs`` selects the padded ``table`` format.
    """

    def __init__(self, element, *, linear=False, contiguous=True, tabs=True):
        self.element = element
        self.linear = linear
        self.contiguous = contiguous
        self.tabs = tabs
        self.routes = []            # key - 1 -> Route, or None for a free key
        self.by_prefix = {}         # (addr, mask) -> key
        self.free = []              # free keys: a min-heap (linear) or a stack

    # -- bookkeeping --------------------------------------------------------
    def _take_key(self):
        if self.free:
            return heapq.heappop(self.free) if self.linear else self.free.pop()
        self.routes.append(None)
        return len(self.routes)

    def _free_key(self, key):
        self.routes[key - 1] = None
        self.element._rt_store(key, None)
        if self.linear:
            heapq.heappush(self.free, key)
        else:
            self.free.append(key)

    def cover(self, r):
        """Keys of the routes for every shorter prefix of ``r.addr`` (0: none)."""
        get = self.by_prefix.get
        out = []
        for plen in range(r.plen):
            m = make_mask(plen)
            out.append(get((r.addr & m, m), 0))
        return out

    def valid(self, r, remove=False):
        if r is None or r.port < (-1 if remove else 0) or r.port >= self.element.noutputs:
            return False
        return not self.contiguous or r.plen >= 0

    def add(self, r, allow_replace):
        """Adds ``r``; returns (0 or -EEXIST, the route it replaced or met)."""
        e = self.element
        key = self.by_prefix.get((r.addr, r.mask))
        if key is not None:
            old = self.routes[key - 1]
            if not allow_replace:
                return -errno.EEXIST, old
            if self.linear:
                self.routes[key - 1] = r
                e._rt_store(key, r)
            else:
                new = self._take_key()
                self.routes[new - 1] = r
                self.by_prefix[(r.addr, r.mask)] = new
                e._rt_store(new, r)
                e._rt_unlink(key, old, self.cover(old))
                e._rt_link(new, r)
                self._free_key(key)
            return 0, old
        key = self._take_key()
        self.routes[key - 1] = r
        self.by_prefix[(r.addr, r.mask)] = key
        e._rt_store(key, r)
        e._rt_link(key, r)
        return 0, None

    def remove(self, r):
        """Removes the route for ``r``'s prefix (and, when ``r.port >= 0``, its
        gateway and port); returns (0 or -ENOENT, the removed route)."""
        key = self.by_prefix.get((r.addr, r.mask))
        if key is None:
            return -errno.ENOENT, None
        old = self.routes[key - 1]
        if r.port >= 0 and (old.gw != r.gw or old.port != r.port):
            return -errno.ENOENT, None
        del self.by_prefix[(r.addr, r.mask)]
        self.element._rt_unlink(key, old, self.cover(old))
        self._free_key(key)
        return 0, old

    def flush(self):
        for key in range(1, len(self.routes) + 1):
            if self.routes[key - 1] is not None:
                self.element._rt_store(key, None)
        self.routes = []
        self.by_prefix = {}
        self.free = []

    def lookup(self, addr):
        """(port, gateway) for ``addr``: port -1 when no route matches."""
        key = self.element._rt_lookup(addr)
        if key == 0:
            return -1, 0
        r = self.routes[key - 1]
        return r.port, r.gw

    def dump(self):
        return "".join(format_route(r, self.tabs) + "\n" for r in self.routes if r is not None)

    # -- configuration ------------------------------------------------------
    def configure(self, args):
        """Adds every argument as a route; a route repeating a prefix is ignored."""
        errors = []
        for i, text in enumerate(args, 1):
            r = parse_route(text, False, self.element.address_names)
            if self.valid(r):
                self.add(r, False)
            else:
                errors.append(f"argument {i} should be 'ADDR/MASK [GATEWAY] OUTPUT'")
        if errors:
            raise ValueError("\n".join(errors))

    # -- handlers -----------------------------------------------------------
    def add_handlers(self, dynamic=True, flush=False):
        e = self.element
        e.add_read_handler("table", self.dump)
        e.add_read_handler("lookup", self.read_lookup, param=True)
        if dynamic:
            e.add_write_handler("add", lambda text: self._handler(CMD_ADD, text))
            e.add_write_handler("set", lambda text: self._handler(CMD_SET, text))
            e.add_write_handler("remove", lambda text: self._handler(CMD_REMOVE, text))
            e.add_write_handler("ctrl", self.write_ctrl)
        if flush:
            e.add_write_handler("flush", self.write_flush, button=True)

    def read_lookup(self, text):
        try:
            addr = int.from_bytes(
                IPAddress.parse_in(cs.uncomment(text).strip(), self.element.address_names), "big")
        except ValueError:
            raise ValueError(f"expected IP address, not '{text}'") from None
        port, gw = self.lookup(addr)
        return f"{port} {_ip(gw)}" if gw else str(port)

    def run_command(self, command, text, undo=None):
        """One add, set or remove; raises ValueError with Click's message.

        With ``undo``, appends what reverses the change.
        """
        remove = command == CMD_REMOVE
        r = parse_route(text, remove, self.element.address_names)
        if not self.valid(r, remove):
            raise ValueError("expected 'ADDR/MASK [GATEWAY OUTPUT]'" if remove
                             else "expected 'ADDR/MASK [GATEWAY] OUTPUT'")
        if remove:
            code, old = self.remove(r)
        else:
            code, old = self.add(r, command == CMD_SET)
        if code == -errno.EEXIST:
            raise ValueError(f"conflict with existing route '{format_route(old, False)}'")
        if code == -errno.ENOENT:
            raise ValueError(f"route '{format_route(r, False)}' not found")
        if undo is not None:
            if remove:
                undo.append((CMD_ADD, old))
            elif old is None:
                undo.append((CMD_REMOVE, r))
            else:
                undo.append((CMD_SET, old))

    def _handler(self, command, text):
        try:
            self.run_command(command, text)
        finally:
            self.element._rt_commit()

    def write_ctrl(self, text):
        """``add``/``set``/``remove`` lines, all applied or none."""
        undo = []
        try:
            for line in text.split("\n"):
                words = cs.split_spaces(line)
                if not words:
                    continue
                cmd = {"add": CMD_ADD, "set": CMD_SET, "remove": CMD_REMOVE}.get(words[0])
                if cmd is None:
                    raise ValueError(f"bad command '{words[0]}'")
                self.run_command(cmd, " ".join(words[1:]), undo)
        except ValueError:
            for cmd, r in reversed(undo):
                if cmd == CMD_REMOVE:
                    self.remove(Route(r.addr, r.mask, 0, -1))
                else:
                    self.add(r, True)
            raise
        finally:
            self.element._rt_commit()

    def write_flush(self, text):
        self.flush()
        self.element._rt_flush()
        self.element._rt_commit()


cdef class IPRouteTable(Element):
    """Base of the lookup elements: route slots, RouteTable, handlers.

    A subclass implements ``lookup_keys`` with a loop over its own ``cdef
    inline _lookup``, and keeps ``action`` and the push_batch/pull_batch
    one-liners so that lookup is inlined into the batch loop (a call through
    the vtable per packet would cost more than the lookup). It overrides
    the ``_rt_*`` methods its lookup structure needs and sets the class
    options below.
    """

    # RouteTable options (class attributes; a subclass sets those it changes)
    LINEAR_KEYS = False         # LinearIPLookup's keys: replace in place, fill the first hole
    CONTIGUOUS_MASKS = True     # refuse non-contiguous masks (tries and tables need lengths)
    TABBED_TABLE = True         # the table handler pads its columns with tabs
    DYNAMIC_ROUTES = True       # add, set, remove and ctrl handlers
    FLUSH_HANDLER = False       # flush handler

    def __cinit__(self):
        self.slots = NULL
        self.cap = 0
        self.nkeys = 1
        if rts_reserve(&self.slots, &self.cap, 0) < 0:
            raise MemoryError()

    def __dealloc__(self):
        free(self.slots)

    def configure(self, args):
        cls = type(self)
        self.rt = RouteTable(self, linear=cls.LINEAR_KEYS, contiguous=cls.CONTIGUOUS_MASKS,
                             tabs=cls.TABBED_TABLE)
        self.rt.configure(args)

    def add_handlers(self):
        cls = type(self)
        self.rt.add_handlers(dynamic=cls.DYNAMIC_ROUTES, flush=cls.FLUSH_HANDLER)

    cdef void lookup_keys(self, const uint32_t *a, uint32_t *keys, Py_ssize_t n) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(n):
            keys[i] = 0                 # every element overrides this

    # -- the RouteTable's view of the C slots (cold) -------------------------
    def _rt_store(self, uint32_t key, route):
        if rts_reserve(&self.slots, &self.cap, key) < 0:
            raise MemoryError()
        cdef IPRouteSlot *r = &self.slots[key]
        if route is None:
            r.addr = r.mask = r.gw = 0
            r.port = r.plen = -1
            return
        r.addr, r.mask, r.gw, r.port, r.plen = (route.addr, route.mask, route.gw,
                                                route.port, route.plen)
        if key >= self.nkeys:
            self.nkeys = key + 1

    # no-ops for elements that search the slots themselves (LinearIPLookup)
    # or rebuild from them on commit (RangeIPLookup)
    def _rt_link(self, uint32_t key, route):
        pass

    def _rt_unlink(self, uint32_t key, route, cover):
        pass

    def _rt_flush(self):
        pass

    def _rt_lookup(self, uint32_t addr):
        cdef uint32_t key
        self.lookup_keys(&addr, &key, 1)
        return key

    def _rt_commit(self):
        pass

    def bench_lookups(self, const uint32_t[::1] addrs):
        """Looks up every address (host order) in C; returns the sum of the ports."""
        cdef uint32_t keys[BENCH_CHUNK]
        cdef int64_t total = 0
        cdef Py_ssize_t i = 0, j, n, size = addrs.shape[0]
        with nogil:
            while i < size:
                n = min(size - i, <Py_ssize_t>BENCH_CHUNK)
                self.lookup_keys(&addrs[i], keys, n)
                for j in range(n):
                    total += self.slots[keys[j]].port
                i += n
        return total
