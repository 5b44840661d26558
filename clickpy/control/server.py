"""server -- control sockets: listen on TCP or Unix sockets, serve connections in the driver loop"""
from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import time

from clickpy.control.protocol import BLOCKED, DONE, Session
from clickpy.runtime.fdwatch import READ, WRITE

__all__ = ["ControlServer", "attach_control_sockets", "parse_tcp_port"]

COMMANDS_PER_WAKEUP = 64        # then other descriptors and tasks get a turn
RECV_SIZE = 65536
LISTEN_BACKLOG = socket.SOMAXCONN  # bursts of connects queue instead of waiting on SYN retries
ACCEPT_RETRY_S = 1.0            # out of descriptors: look again after this, or when one closes
ACCEPT_REPORT_S = 60.0          # and say so at most once in this long
PORT_TRIES = 10                 # "PORT+" tries this many further ports (Click)


def parse_tcp_port(text: str) -> tuple[int, bool]:
    """A TCP port (number or service name), and whether it ended in '+'
    ("try the next ports if this one is taken")."""
    text = text.strip()
    plus = text.endswith("+")
    word = text[:-1] if plus else text
    if word.isdigit():
        port = int(word)
    else:
        try:
            port = -1 if plus else socket.getservbyname(word, "tcp")
        except OSError:
            port = -1
    if not 0 <= port <= 65535 or (plus and port == 0):
        raise ValueError("PORT requires TCP port")
    return port, plus


class _Connection:
    """One accepted client: its socket and its protocol Session."""

    def __init__(self, server, sock):
        self.server = server
        self.sock = sock
        self.fd = sock.fileno()
        self.session = Session(server.router, read_only=server.read_only, proxy=server.proxy)
        self.out_closed = False         # the peer stopped reading (EPIPE, reset)

    def service(self, events: int):
        """Reads what is there, runs waiting commands, sends replies."""
        session = self.session
        if events & READ and not session.in_closed:
            self._receive()
        blocked = False
        for _ in range(COMMANDS_PER_WAKEUP):
            r = session.step()
            if r != DONE:
                blocked = r == BLOCKED
                break
        self.flush()
        more = session.has_input() and not blocked
        if self.out_closed or (session.in_closed and not session.has_input() and not session.out):
            self.server._drop(self)
            return
        # a pending reply or runnable commands keep WRITE selected, so the
        # next poll comes back at once (Click's flush_write)
        events = (0 if session.in_closed else READ) | (WRITE if session.out or more else 0)
        self.server.driver.watch(self.sock, events, self.service)

    def _receive(self):
        try:
            data = self.sock.recv(RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.session.close_input()
            self.out_closed = True
            return
        if data:
            self.session.feed(data)
        else:
            self.session.close_input()

    def flush(self):
        out = self.session.out
        while out and not self.out_closed:
            try:
                n = self.sock.send(out)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:                 # EPIPE, ECONNRESET: nobody listens
                self.out_closed = True
                return
            del out[:n]


class ControlServer:
    """A listening control socket (Click's ControlSocket without the element).

    ``kind`` is "TCP" (``address`` a port, or "N+" for the first free port
    from N) or "UNIX" (``address`` a path). ``open()`` binds and registers
    with the driver's descriptor watching; ``close()`` closes every connection and
    removes the Unix socket file.
    """

    def __init__(self, router, kind: str, address, *, read_only: bool = False,
                 proxy=None, verbose: bool = False, localhost: bool = True,
                 label: str = "ControlSocket"):
        self.router = router
        self.kind = kind.upper()
        self.address = address
        self.read_only = read_only
        self.proxy = proxy
        self.verbose = verbose
        self.localhost = localhost
        self.label = label              # "name :: ControlSocket", for VERBOSE lines
        self.driver = router.driver
        self.sock = None
        self.port = None                # bound TCP port
        self.path = None                # bound Unix socket file
        self.connections: dict[int, _Connection] = {}
        self.accept_paused = False      # out of descriptors: the listener is not watched
        self.accept_reported = None     # when we last said we were out of descriptors
        self.retry_timer = None

    # -- set-up ------------------------------------------------------------------
    def open(self):
        """Binds and listens; raises OSError("bind: reason") on failure."""
        if self.kind == "TCP":
            sock = self._open_tcp()
        elif self.kind == "UNIX":
            sock = self._open_unix()
        else:
            raise ValueError(f"unknown socket type '{self.kind}'")
        try:
            sock.listen(LISTEN_BACKLOG)
        except OSError as err:
            sock.close()
            raise OSError(f"listen: {err.strerror}") from None
        sock.setblocking(False)
        self.sock = sock
        self.driver.watch(sock, READ, self._accept)
        return self

    def _open_tcp(self):
        port, plus = self.address if isinstance(self.address, tuple) else \
            parse_tcp_port(str(self.address))
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        host = "127.0.0.1" if self.localhost else "0.0.0.0"
        tries = 0
        while True:
            try:
                sock.bind((host, port))
                break
            except OSError as err:
                if not plus or tries >= PORT_TRIES or port >= 65534:
                    sock.close()
                    raise OSError(f"bind: {err.strerror}") from None
                port += 1
                tries += 1
        self.port = sock.getsockname()[1]
        return sock

    def _open_unix(self):
        path = os.fspath(self.address)
        try:
            if stat.S_ISSOCK(os.lstat(path).st_mode):
                os.unlink(path)             # a stale socket from an earlier run
        except FileNotFoundError:
            pass
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
        except OSError as err:
            sock.close()
            raise OSError(f"bind: {err.strerror or err}") from None
        self.path = path
        return sock

    # -- connections -------------------------------------------------------------
    def _accept(self, events: int):
        while self.sock is not None:
            try:
                sock, peer = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as err:
                if err.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self._pause_accepting(err)
                else:
                    print(f"{self.label}: accept: {err.strerror}", file=sys.stderr)
                return
            sock.setblocking(False)
            conn = _Connection(self, sock)
            self.connections[conn.fd] = conn
            if self.verbose:
                where = f" from {peer[0]}.{peer[1]}" if self.kind == "TCP" else ""
                print(f"{self.label}: opened connection {conn.fd}{where}", file=sys.stderr)
            self.driver.watch(sock, READ | WRITE, conn.service)
            conn.service(WRITE)                 # send the greeting now

    def _pause_accepting(self, err: OSError):
        """No descriptor for a new connection: stop watching the listener
        (the pending connection would wake the loop again at once), say so
        at most once a minute, and resume when a connection closes or after a second."""
        if self.accept_paused:
            return
        self.accept_paused = True
        now = time.monotonic()
        if self.accept_reported is None or now - self.accept_reported >= ACCEPT_REPORT_S:
            self.accept_reported = now
            print(f"{self.label}: accept: {err.strerror}", file=sys.stderr)
        self.driver.unwatch(self.sock)
        if self.retry_timer is None:
            self.retry_timer = self.driver.new_timer(self._resume_accepting, daemon=True)
        self.retry_timer.schedule_after(ACCEPT_RETRY_S)

    def _resume_accepting(self):
        if self.accept_paused and self.sock is not None:
            self.accept_paused = False
            self.driver.watch(self.sock, READ, self._accept)

    def _drop(self, conn: _Connection):
        self.connections.pop(conn.fd, None)
        self.driver.unwatch(conn.sock)
        conn.sock.close()
        if self.verbose:
            print(f"{self.label}: closed connection {conn.fd}", file=sys.stderr)
        self._resume_accepting()        # a descriptor is free again

    def close(self):
        """Closes the listener and every connection, sending what is pending
        one last time; removes the Unix socket file."""
        if self.sock is not None:
            self.driver.unwatch(self.sock)
            self.sock.close()
            self.sock = None
            if self.path is not None:
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
        for conn in list(self.connections.values()):
            conn.flush()
            self._drop(conn)


def attach_control_sockets(router, tcp_port=None, unix_path=None) -> list[ControlServer]:
    """``clickpy run -p PORT`` / ``-u FILE``: control sockets beside the
    configuration's elements, closed when the router cleans up."""
    from clickpy.errors import ClickError
    servers = []
    try:
        if tcp_port is not None:
            servers.append(ControlServer(router, "TCP", parse_tcp_port(str(tcp_port)),
                                         label="ControlSocket").open())
        if unix_path is not None:
            servers.append(ControlServer(router, "UNIX", unix_path,
                                         label="ControlSocket").open())
    except (OSError, ValueError) as err:
        for s in servers:
            s.close()
        router.cleanup()
        raise ClickError(f"ControlSocket: {err}") from None
    for server in servers:
        router.at_cleanup(server.close)
    return servers
