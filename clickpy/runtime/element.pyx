# element.pyx -- the Element base class: ports, batch push and pull, actions, tasks
from libc.stdint cimport uint32_t
from libc.stdlib cimport calloc, free

from clickpy.runtime.packet cimport BATCH_MAX, Batch, Packet, PacketView, batch_kill, pkt_kill

__all__ = ["Element", "DROP_PORT", "set_batch_limit", "batch_limit"]

DROP_PORT = DROP


# The most packets that travel together through a port (clickpy run --batch).
# BATCH_MAX by default; 1 makes every element see one packet at a time, in
# the order Click's per-packet push gives across branches that meet again.
cdef uint32_t _batch_limit = BATCH_MAX


def set_batch_limit(int n):
    """Caps batches at ``n`` packets (1 to BATCH_MAX), for every router in
    this process; returns the old cap."""
    global _batch_limit
    if not 1 <= n <= BATCH_MAX:
        raise ValueError(f"batch size must be between 1 and {BATCH_MAX}")
    old = _batch_limit
    _batch_limit = n
    return old


def batch_limit():
    return _batch_limit


cdef int _virtual_action(Element self, Packet *p) noexcept nogil:
    return self.action(p)             # through the vtable: any subclass's action


cdef class Element:
    """Base of every element. Subclasses declare, as Click does::

        port_count = "1/1"      # Click port count code
        processing = "a/a"      # Click processing code
        flow_code = "x/x"       # optional
        ARGS = (Arg(...), ...)  # optional; parsed before configure()

    and implement the per-packet ``action`` (one-in, several-out elements),
    or ``push_batch``/``pull_batch`` (anything else), plus ``run_task`` for
    elements with a task. Everything on the data path is C, ``nogil``.
    """

    port_count = "1/1"
    processing = "a/a"
    flow_code = "x/x"

    def __cinit__(self, *args, **kwargs):
        self.name = ""
        self.eindex = -1
        self.router = None
        self.landmark = None
        self.configuration = ""
        self._ninputs = self._noutputs = 0
        self._inputs = self._outputs = NULL
        self._task_scheduled = False
        self._tickets = 1024            # Click's DEFAULT_TICKETS

    def __dealloc__(self):
        free(self._inputs)
        free(self._outputs)

    # -- set-up by the router (cold) -------------------------------------
    def _attach(self, router, str name, int eindex, landmark, str configuration):
        self.router = router
        self.name = name
        self.eindex = eindex
        self.landmark = landmark
        self.configuration = configuration

    def _set_nports(self, int ninputs, int noutputs):
        self._ninputs = ninputs
        self._noutputs = noutputs
        self._inputs = <PortLink *>calloc(max(ninputs, 1), sizeof(PortLink))
        self._outputs = <PortLink *>calloc(max(noutputs, 1), sizeof(PortLink))
        if self._inputs == NULL or self._outputs == NULL:
            raise MemoryError()

    def _link_output(self, int port, bint push, Element other, int other_port):
        self._outputs[port].push = push
        if push:
            self._outputs[port].element = <void *>other
            self._outputs[port].port = other_port

    def _link_input(self, int port, bint push, Element other, int other_port):
        self._inputs[port].push = push
        if not push:
            self._inputs[port].element = <void *>other
            self._inputs[port].port = other_port

    @property
    def ninputs(self):
        return self._ninputs

    @property
    def noutputs(self):
        return self._noutputs

    def input_is_push(self, int port):
        return bool(self._inputs[port].push)

    def output_is_push(self, int port):
        return bool(self._outputs[port].push)

    @property
    def class_name(self):
        return getattr(type(self), "class_name_", None) or type(self).__name__

    # -- element life cycle (cold; overridden) -------------------------------
    def configure(self, args):
        """Stores parsed arguments (``args`` from ARGS, or the raw argument list).

        An element that declares no ARGS and does not override configure takes
        no arguments, as Click's default Element::configure.
        """
        if getattr(type(self), "ARGS", None) is None and args:
            raise ValueError("too many arguments")

    def initialize(self):
        """Allocates, opens files, schedules tasks and timers."""

    def cleanup(self):
        """Releases what initialize took; called once when the router stops."""

    def add_handlers(self):
        """Registers element-specific handlers with add_read_handler/add_write_handler."""

    def add_read_handler(self, str hname, reader, **flags):
        self.router._handlers.add_read(self, hname, reader, **flags)

    def add_write_handler(self, str hname, writer, **flags):
        self.router._handlers.add_write(self, hname, writer, **flags)

    @property
    def address_names(self):
        """The router's AddressInfo names (an AddressTable), or None."""
        return self.router.address_table if self.router is not None else None

    def parse_value(self, argtype, str text):
        """``text``, stripped, parsed as ``argtype`` (an args type) with the
        router's AddressInfo names: how write handlers read their values."""
        return argtype.parse_in(text.strip(), self.address_names)

    # -- file descriptors ----------------------------------------------------
    def watch(self, fileobj, int events, callback):
        """Calls ``callback(events)`` from the driver loop of this element's
        thread whenever ``fileobj`` is ready for ``events``
        (clickpy.runtime.fdwatch.READ | WRITE); events 0 stop watching it.
        Devices and sockets wait this way, never by polling."""
        self.router.driver.watch(fileobj, events, callback)

    def unwatch(self, fileobj):
        """Stops watching ``fileobj`` (before closing it)."""
        self.router.driver.unwatch(fileobj)

    # -- tasks ---------------------------------------------------------------
    def schedule_task(self):
        """Puts this element's task in the run queue (Click's ScheduleInfo order)."""
        self._task_scheduled = True
        self.router._driver.add_task(self)

    def unschedule_task(self):
        self._task_scheduled = False

    @property
    def task_scheduled(self):
        return bool(self._task_scheduled)

    @property
    def tickets(self):
        return self._tickets

    cdef bint run_task(self) noexcept nogil:
        return False

    cdef void *empty_notifier(self, int port) noexcept:
        return NULL

    cdef void *full_notifier(self, int port) noexcept:
        return NULL

    # -- the data path ---------------------------------------------------------
    cdef int action(self, Packet *p) noexcept nogil:
        return 0

    cdef void push_batch(self, int port, Batch *b) noexcept nogil:
        push_actions(self, b, _virtual_action)

    cdef uint32_t pull_batch(self, int port, Batch *b, uint32_t max) noexcept nogil:
        return pull_actions(self, b, max, _virtual_action)

    cdef void output_push(self, int port, Batch *b) noexcept nogil:
        """Pushes a batch out of a push output; it is consumed either way."""
        cdef PortLink *link
        cdef Batch part
        cdef uint32_t i, j
        if port < 0 or port >= self._noutputs or self._outputs[port].element == NULL:
            batch_kill(b)
            return
        link = &self._outputs[port]
        if b.n <= _batch_limit:
            (<Element>link.element).push_batch(link.port, b)
            return
        # --batch N: at most N packets travel together, each part all the way
        # downstream before the next (N = 1 gives Click's per-packet order)
        i = 0
        while i < b.n:
            part.n = 0
            j = i
            while j < b.n and part.n < _batch_limit:
                part.p[part.n] = b.p[j]
                part.n += 1
                j += 1
            i = j
            (<Element>link.element).push_batch(link.port, &part)
        b.n = 0

    cdef void output_push_one(self, int port, Packet *p) noexcept nogil:
        cdef Batch b
        b.n = 1
        b.p[0] = p
        self.output_push(port, &b)

    cdef uint32_t input_pull(self, int port, Batch *b, uint32_t max) noexcept nogil:
        """Pulls up to ``max`` packets from a pull input into ``b``."""
        cdef PortLink *link
        b.n = 0
        if port < 0 or port >= self._ninputs or self._inputs[port].element == NULL:
            return 0
        link = &self._inputs[port]
        if max > _batch_limit:
            max = _batch_limit
        return (<Element>link.element).pull_batch(link.port, b, max)

    # -- Python access, for tests and Python elements ----------------------
    def push(self, int port, PacketView packet):
        """Pushes one packet into input ``port`` (hands it over)."""
        cdef Batch b
        b.n = 1
        b.p[0] = packet._release()
        self.push_batch(port, &b)

    def pull(self, int port):
        """Pulls one packet from output ``port``: a Packet or None."""
        cdef Batch b
        cdef uint32_t i
        b.n = 0
        if self.pull_batch(port, &b, 1) == 0:
            return None
        for i in range(1, b.n):          # a batch pull asked for one: keep it honest
            pkt_kill(b.p[i])
        return PacketView.wrap(b.p[0])

    def output_push_packet(self, int port, PacketView packet):
        """Sends one packet out of push output ``port``."""
        self.output_push_one(port, packet._release())

    def input_pull_packet(self, int port):
        cdef Batch b
        if self.input_pull(port, &b, 1) == 0:
            return None
        for i in range(1, b.n):
            pkt_kill(b.p[i])
        return PacketView.wrap(b.p[0])

    def run_task_once(self):
        """Runs the task once (tests); True when it did work."""
        return bool(self.run_task())

    def __repr__(self):
        return f"<{self.class_name} {self.name!r}>"
