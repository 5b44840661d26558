# driver.pyx -- Click's scheduling model: tasks in a run queue, timers, idle waits
import contextlib
import heapq
import signal
import threading
import time

from cpython.exc cimport PyErr_CheckSignals
from libc.stdint cimport int64_t
from libc.stdlib cimport realloc

from clickpy.runtime.clock cimport advance_to, now_ns, simulated
from clickpy.runtime.element cimport Element

cdef int _stop_requests = 0     # please_stop() calls not yet seen by the driver

NEVER_NS = 1 << 62              # timers at or after this never fire

cdef enum:
    ROUNDS_PER_CHECK = 256      # task rounds between looks at timers and signals
    MAX_STOP_STEPS = 1000       # stop-hook calls per check, as Click's driver allows
    NO_DEADLINE = 0


cdef void please_stop() noexcept nogil:
    """Asks the driver to stop (Click's please_stop_driver); callable from C."""
    global _stop_requests
    _stop_requests += 1


cdef class Timer:
    """A one-shot timer; an element reschedules it to make it periodic."""

    def __cinit__(self, driver, callback, bint daemon=False):
        self.driver = driver
        self.callback = callback
        self.expiry_ns = 0
        self.scheduled = False
        self._seq = -1
        self.daemon = daemon

    def schedule_at_ns(self, t_ns):
        """Fires at ``t_ns`` (router time). A time past NEVER_NS (146 years
        from the epoch) is never reached: the timer stays unscheduled, so
        huge TIMEOUT or INTERVAL values neither overflow nor, under
        --simtime, make the clock leap there."""
        if t_ns >= NEVER_NS:
            self.unschedule()
            return
        self.expiry_ns = t_ns
        self.scheduled = True
        (<Driver>self.driver)._push_timer(self)

    def schedule_after(self, double seconds):
        self.schedule_at_ns(now_ns() + int(seconds * 1e9 + 0.5))

    def schedule_after_ns(self, delay_ns):
        self.schedule_at_ns(now_ns() + delay_ns)

    def schedule_now(self):
        self.schedule_at_ns(now_ns())

    def unschedule(self):
        self.scheduled = False
        self._seq = -1

    @property
    def expiry_ns(self):
        return self.expiry_ns

    @property
    def is_scheduled(self):
        return bool(self.scheduled)


cdef class Driver:
    """Runs tasks round after round with the GIL released; between batches
    of rounds it fires due timers, services file descriptors and signals.

    When a round does no work the driver is idle: it sleeps until the next
    timer (real time) or jumps the clock to it (``--simtime``). With no
    timer, no watched file descriptor and no work, nothing can happen any
    more and the driver stops.
    """

    def __cinit__(self):
        self._tasks = NULL
        self._ntasks = self._cap = 0
        self._task_refs = []
        self._timers = []
        self._seq = 0
        self.runcount = 1
        self.stop_hook = None
        self._fds = None
        self.stopped = False

    def add_task(self, Element e):
        if e in self._task_refs:
            return
        if self._ntasks == self._cap:
            self._cap = max(8, self._cap * 2)
            self._tasks = <void **>realloc(self._tasks, self._cap * sizeof(void *))
            if self._tasks == NULL:
                raise MemoryError()
        self._tasks[self._ntasks] = <void *>e
        self._ntasks += 1
        self._task_refs.append(e)

    def task_elements(self):
        return list(self._task_refs)

    def new_timer(self, callback, daemon=False):
        """A timer; a daemon timer (statistics display) never keeps the router running."""
        return Timer(self, callback, daemon)

    def _push_timer(self, Timer t):
        self._seq += 1
        t._seq = self._seq
        heapq.heappush(self._timers, (t.expiry_ns, self._seq, t))

    # -- file descriptors (Click's add_select/remove_select) -----------------
    def watch(self, fileobj, int events, callback):
        """Calls ``callback(events)`` from the driver loop whenever ``fileobj``
        is ready for any of ``events`` (fdwatch.READ | fdwatch.WRITE);
        replaces an earlier watch of the same descriptor. Events 0 stop
        watching it. A watched descriptor keeps the driver running."""
        if self._fds is None:
            if not events:
                return
            from clickpy.runtime.fdwatch import FdWatcher
            self._fds = FdWatcher()
        if events:
            self._fds.register(fileobj, events, callback)
        else:
            self._fds.unregister(fileobj)

    def unwatch(self, fileobj):
        """Stops watching ``fileobj`` (before closing it)."""
        if self._fds is not None:
            self._fds.unregister(fileobj)

    def wake(self):
        """Ends an idle wait soon; safe from any thread."""
        if self._fds is not None:
            self._fds.wake()

    def close(self):
        """Releases the descriptor watcher (the router's cleanup)."""
        if self._fds is not None:
            self._fds.close()

    cdef bint _watching(self):
        return self._fds is not None and self._fds.active()

    def adjust_runcount(self, int delta):
        self.runcount += delta

    def set_runcount(self, int value):
        self.runcount = value

    def please_stop(self):
        please_stop()

    cdef bint _rounds(self, int max_rounds, int64_t until_ns) noexcept nogil:
        """Runs up to ``max_rounds`` rounds of every scheduled task.

        Returns whether any task did work. Stops early at a stop request or
        when the next timer is due.
        """
        cdef int _, i
        cdef bint work = False, round_work
        for _ in range(max_rounds):
            round_work = False
            for i in range(self._ntasks):
                # a borrowed reference: casting it in place needs no GIL
                if (<Element>self._tasks[i])._task_scheduled \
                        and (<Element>self._tasks[i]).run_task():
                    round_work = True
            if not round_work:
                return work
            work = True
            if _stop_requests or (until_ns != NO_DEADLINE and not simulated()
                                  and now_ns() >= until_ns):
                return work
        return work

    def _next_timer(self):
        """Expiry of the earliest live timer, or None (drops stale heap entries)."""
        timers = self._timers
        while timers:
            expiry, seq, t = timers[0]
            if (<Timer>t).scheduled and (<Timer>t)._seq == seq:
                return expiry
            heapq.heappop(timers)
        return None

    def _only_daemons(self):
        """True when every live timer is a daemon: nothing real is pending."""
        return all(not (<Timer>t).scheduled or (<Timer>t)._seq != seq or (<Timer>t).daemon
                   for _, seq, t in self._timers)

    def _run_timers(self):
        """Fires every timer that is due; returns how many fired."""
        cdef Timer t
        fired = 0
        now = now_ns()
        timers = self._timers
        while timers and timers[0][0] <= now:
            _, seq, t = heapq.heappop(timers)
            if not t.scheduled or t._seq != seq:
                continue
            t.scheduled = False
            t._seq = -1
            t.callback()
            fired += 1
        return fired

    def _take_stop_requests(self):
        global _stop_requests
        n = _stop_requests
        _stop_requests = 0
        if n:
            self.runcount -= n
        # a DriverManager script decides what each stop request means: the hook
        # consumes one request a call (raising runcount by one when it blocks),
        # so it is called until runcount is positive again (Click's check_driver)
        for _ in range(MAX_STOP_STEPS):
            if self.runcount > 0:
                return False
            if self.stop_hook is None or not self.stop_hook():
                return True
        return True

    def _on_signal(self, signum, frame):
        please_stop()
        self.runcount = 0
        self.stop_hook = None           # a signal always stops, scripts or not
        self.wake()

    @contextlib.contextmanager
    def handling_signals(self):
        """SIGINT and SIGTERM stop the driver while the block runs; the main
        thread only (a driver on another thread is stopped from there)."""
        old_int = signal.signal(signal.SIGINT, self._on_signal)
        old_term = signal.signal(signal.SIGTERM, self._on_signal)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, old_int)
            signal.signal(signal.SIGTERM, old_term)

    def run(self):
        """The driver loop; returns when the router stops. On the main thread
        it handles SIGINT/SIGTERM itself; on another thread (a data path that
        needs a bigger stack) the caller does, and idle waits stay wakeable."""
        if threading.current_thread() is threading.main_thread():
            with self.handling_signals():
                self._loop()
        else:
            if self._fds is None:
                from clickpy.runtime.fdwatch import FdWatcher
                self._fds = FdWatcher()     # so wake() can end an idle wait
            self._loop()

    def _loop(self):
        global _stop_requests
        cdef bint work
        cdef int64_t deadline
        try:
            while True:
                if self._take_stop_requests():
                    break
                self._run_timers()
                if self._take_stop_requests():
                    break
                next_timer = self._next_timer()
                deadline = next_timer if next_timer is not None else NO_DEADLINE
                with nogil:
                    work = self._rounds(ROUNDS_PER_CHECK, deadline)
                PyErr_CheckSignals()
                if self._fds is not None:
                    self._fds.poll(0)
                if work or _stop_requests:
                    continue
                if not self._idle():
                    break
        finally:
            self.stopped = True

    def _idle(self):
        """Waits for the next event; False when none can ever come."""
        next_timer = self._next_timer()
        watching = self._watching()
        if next_timer is not None and self._only_daemons() and not watching:
            return False
        if simulated():
            if next_timer is None:
                if not watching:
                    return False
                self._fds.poll(None)        # only outside events can make work now
                return True
            advance_to(next_timer)
            return True
        if next_timer is None and not watching:
            return False
        wait = None if next_timer is None else max(0.0, (next_timer - now_ns()) / 1e9)
        if self._fds is not None:
            self._fds.poll(wait)
        elif wait:
            time.sleep(wait)
        return True
