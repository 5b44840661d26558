"""client -- a small blocking client for the ControlSocket protocol (clickpy read/write, tests)"""
from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field

from clickpy.lang.confstring import from_bytes, to_bytes

__all__ = ["ControlClient", "ControlError", "Reply", "parse_address"]

_SIMPLE = re.compile(rb"[!-~]+(?: [!-~]+)*")    # survives WRITE's word splitting as is


class ControlError(Exception):
    """A 5xx reply, or a connection that broke; ``str()`` is the server's message."""

    def __init__(self, code: int, lines: list[str]):
        self.code = code
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


@dataclass
class Reply:
    code: int                                   # the last line's code
    lines: list[str] = field(default_factory=list)   # message texts, codes stripped
    data: bytes | None = None                   # after "DATA n", for reads

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse_address(address: str):
    """``unix:PATH`` (or a path with '/'), ``HOST:PORT``, ``[V6]:PORT`` or
    ``PORT`` (on 127.0.0.1) -> (family, sockaddr)."""
    if address.startswith("unix:"):
        return socket.AF_UNIX, address[5:]
    if "/" in address:
        return socket.AF_UNIX, address
    host, colon, port = address.rpartition(":")
    if not colon:
        host = "127.0.0.1"
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"bad control socket address '{address}'")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return family, (host or "127.0.0.1", int(port))


class ControlClient:
    """Talks to a ControlSocket: ``read``, ``write``, ``check_read``, ...

    ``address`` is a string for parse_address, a (host, port) pair, or a
    Unix socket path. Failed commands raise ControlError with the server's
    code and message; the connection stays usable. Use it as a context
    manager, or call ``close()`` (which sends QUIT).
    """

    def __init__(self, address, timeout: float | None = 10.0):
        if isinstance(address, tuple):
            family, sockaddr = socket.AF_INET, address
        else:
            family, sockaddr = parse_address(str(address))
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        try:
            self.sock.connect(sockaddr)
        except OSError:
            self.sock.close()
            raise
        self._buf = bytearray()
        self.greeting = self._line()
        if not self.greeting.startswith("Click::ControlSocket/"):
            self.sock.close()
            raise ControlError(0, [f"not a control socket: '{self.greeting}'"])
        self.version = self.greeting.partition("/")[2]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- wire ------------------------------------------------------------------------
    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ControlError(0, ["connection closed by the server"])
        self._buf += chunk

    def _line(self) -> str:
        while True:
            i = self._buf.find(b"\r\n")
            if i >= 0:
                line = bytes(self._buf[:i])
                del self._buf[:i + 2]
                return from_bytes(line)
            self._fill()

    def _bytes(self, n: int) -> bytes:
        while len(self._buf) < n:
            self._fill()
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def send(self, data: bytes):
        """Raw bytes to the server (tests: partial lines, pipelining)."""
        self.sock.sendall(data)

    def reply(self, with_data: bool = False) -> Reply:
        """Reads one reply: message lines up to ``NNN text``, then on success
        ``DATA n`` and n bytes when ``with_data``."""
        r = Reply(0)
        while True:
            line = self._line()
            if len(line) < 4 or not line[:3].isdigit() or line[3] not in " -":
                raise ControlError(0, [f"bad reply line '{line}'"])
            r.code = int(line[:3])
            r.lines.append(line[4:])
            if line[3] == " ":
                break
        if with_data and r.ok:
            head = self._line()
            if not head.startswith("DATA "):
                raise ControlError(0, [f"expected DATA, got '{head}'"])
            r.data = self._bytes(int(head[5:]))
        return r

    def command(self, line: str, data: bytes = b"", with_data: bool = False) -> Reply:
        """Sends one command line (and data after it); returns its reply."""
        self.sock.sendall(to_bytes(line) + b"\r\n" + data)
        return self.reply(with_data)

    @staticmethod
    def _check(r: Reply) -> Reply:
        if not r.ok:
            raise ControlError(r.code, r.lines)
        return r

    # -- commands ----------------------------------------------------------------------
    def read_bytes(self, handler: str, param: bytes | str = b"") -> bytes:
        """A read handler's value as bytes; ``param`` goes with READDATA
        unless it is plain words."""
        if isinstance(param, str):
            param = to_bytes(param)
        if not param:
            r = self.command(f"READ {handler}", with_data=True)
        elif _SIMPLE.fullmatch(param):
            r = self.command(f"READ {handler} {from_bytes(param)}", with_data=True)
        else:
            r = self.command(f"READDATA {handler} {len(param)}", param, with_data=True)
        return self._check(r).data

    def read(self, handler: str, param: bytes | str = b"") -> str:
        """A read handler's value as text (bytes map back with to_bytes)."""
        return from_bytes(self.read_bytes(handler, param))

    def write(self, handler: str, value: bytes | str = b"") -> Reply:
        """Calls a write handler; plain words go with WRITE, anything else
        with WRITEDATA, so the handler sees exactly ``value``. Returns the
        reply (code 220 and its lines carry warnings)."""
        if isinstance(value, str):
            value = to_bytes(value)
        if not value:
            r = self.command(f"WRITE {handler}")
        elif _SIMPLE.fullmatch(value):
            r = self.command(f"WRITE {handler} {from_bytes(value)}")
        else:
            r = self.command(f"WRITEDATA {handler} {len(value)}", value)
        return self._check(r)

    def check_read(self, handler: str) -> bool:
        return self.command(f"CHECKREAD {handler}").ok

    def check_write(self, handler: str) -> bool:
        return self.command(f"CHECKWRITE {handler}").ok

    def close(self):
        """Says QUIT (when the connection still works) and closes."""
        if self.sock.fileno() < 0:
            return
        try:
            self.command("QUIT")
        except (OSError, ControlError):
            pass
        finally:
            self.sock.close()
