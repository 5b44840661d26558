"""fdwatch -- the driver's descriptor watcher: services ready descriptors between task batches"""
from __future__ import annotations

import selectors
import signal
import socket
import sys
import threading
import traceback

__all__ = ["FdWatcher", "READ", "WRITE"]

READ = selectors.EVENT_READ
WRITE = selectors.EVENT_WRITE


class FdWatcher:
    """Watches file descriptors for one driver (Click's add_select/selected).

    Elements reach it through ``Driver.watch``/``Driver.unwatch``.
    ``register(fileobj, events, callback)`` asks for ``callback(events)``
    whenever the descriptor is ready for any of ``events``. The driver calls
    ``poll(0)`` between task batches and ``poll(wait)`` when idle;
    ``active()`` tells it whether anything outside can still make work.
    ``wake()``, safe from any thread, ends a blocking ``poll``; so does a
    signal delivered to the main thread.
    """

    def __init__(self):
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._sel.register(self._wake_r, READ, None)
        self._closed = False

    # -- descriptors ----------------------------------------------------------
    def register(self, fileobj, events: int, callback):
        """Watches ``fileobj`` for ``events``; replaces an earlier registration."""
        if self._has(fileobj):
            self._sel.modify(fileobj, events, callback)
        else:
            self._sel.register(fileobj, events, callback)

    def modify(self, fileobj, events: int):
        """Changes the events of a watched descriptor; 0 stops watching it."""
        if not events:
            self.unregister(fileobj)
            return
        key = self._sel.get_key(fileobj)
        if key.events != events:
            self._sel.modify(fileobj, events, key.data)

    def unregister(self, fileobj):
        if self._has(fileobj):
            self._sel.unregister(fileobj)

    def _has(self, fileobj) -> bool:
        try:
            self._sel.get_key(fileobj)
        except (KeyError, ValueError):
            return False
        return True

    def active(self) -> bool:
        """True while any descriptor besides the wake-up socket is watched."""
        return not self._closed and len(self._sel.get_map()) > 1

    # -- waiting ----------------------------------------------------------------
    def poll(self, timeout: float | None = 0) -> int:
        """Services ready descriptors, waiting at most ``timeout`` seconds
        (None: until something happens). Returns how many callbacks ran."""
        if self._closed:
            return 0
        if timeout is None and not self.active():
            return 0
        blocking = timeout is None or timeout > 0
        old_wakeup = None
        if blocking and threading.current_thread() is threading.main_thread():
            # a signal (SIGINT) must end the wait: select() is restarted after
            # Python signal handlers run (PEP 475) unless a descriptor is ready
            old_wakeup = signal.set_wakeup_fd(self._wake_w.fileno(), warn_on_full_buffer=False)
        try:
            ready = self._sel.select(timeout)
        finally:
            if old_wakeup is not None:
                signal.set_wakeup_fd(old_wakeup)
        ran = 0
        for key, events in ready:
            if key.data is None:
                self._drain()
                continue
            if not self._has(key.fileobj):     # closed by an earlier callback
                continue
            try:
                key.data(events)
            except Exception:               # one bad descriptor must not stop the router
                traceback.print_exc(file=sys.stderr)
            ran += 1
        return ran

    def _drain(self):
        try:
            while self._wake_r.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def wake(self):
        """Ends a blocking ``poll`` soon (from any thread)."""
        try:
            self._wake_w.send(b"\0")
        except (BlockingIOError, OSError):
            pass                            # already pending, or closed

    def close(self):
        if self._closed:
            return
        self._closed = True
        self._sel.close()
        self._wake_r.close()
        self._wake_w.close()

